import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@app/config';
import { ReportRepository } from '@app/persistence';
import { AnyQueue, connectQueueTransport, QueueName, QueueTransport } from '@app/queue';

const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized'] as const;

/**
 * Prometheus metrics of this API process (one registry per app, so test apps in one process
 * do not share counters). Request metrics are observed as responses finish; the database,
 * queue and delivery figures are read when Prometheus scrapes, so every API process reports
 * the same shared state and the worker needs no HTTP port of its own.
 */
@Injectable()
export class MetricsService implements OnApplicationShutdown {
  readonly registry = new Registry();
  private readonly http: Histogram<'method' | 'route' | 'status'>;
  private readonly commands: Counter<'action' | 'outcome'>;
  private readonly screening: Histogram<'outcome'>;
  private transport: Promise<QueueTransport> | null = null;
  private readonly queues = new Map<QueueName, AnyQueue>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly ds: DataSource,
    private readonly reportRows: ReportRepository,
  ) {
    const register = this.registry;
    collectDefaultMetrics({ register });
    this.http = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'API requests by route pattern and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [register],
    });
    this.commands = new Counter({
      name: 'case_commands_total',
      help: 'Case actions by action and outcome (ok, refused, error)',
      labelNames: ['action', 'outcome'],
      registers: [register],
    });
    this.screening = new Histogram({
      name: 'screening_check_duration_seconds',
      help: 'Restricted-party screening requests',
      labelNames: ['outcome'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [register],
    });
    const self = this;
    new Gauge({
      name: 'db_pool_connections',
      help: 'The API database pool: total, idle, and requests waiting for a connection',
      labelNames: ['state'],
      registers: [register],
      collect() {
        const pool = (self.ds.driver as unknown as { master?: { totalCount: number; idleCount: number; waitingCount: number } }).master;
        if (!pool) return;
        this.set({ state: 'total' }, pool.totalCount);
        this.set({ state: 'idle' }, pool.idleCount);
        this.set({ state: 'waiting' }, pool.waitingCount);
        this.set({ state: 'max' }, self.config.database.poolSize);
      },
    });
    new Gauge({
      name: 'deliveries',
      help: 'Outgoing e-mail deliveries by status',
      labelNames: ['status'],
      registers: [register],
      async collect() {
        const rows = await self.reportRows.deliveryCounts(self.ds.manager);
        this.reset();
        for (const r of rows) this.set({ status: r.status }, r.n);
      },
    });
    new Gauge({
      name: 'timer_lateness_seconds',
      help: 'How late timers fired in the last hour ran after their due time (quantiles)',
      labelNames: ['quantile'],
      registers: [register],
      async collect() {
        const r = await self.reportRows.timerLatenessLastHour(self.ds.manager);
        this.reset();
        if (r.p50 === null) return;
        this.set({ quantile: '0.5' }, Number(r.p50) / 1000);
        this.set({ quantile: '0.95' }, Number(r.p95) / 1000);
        this.set({ quantile: '1' }, Number(r.max) / 1000);
      },
    });
    new Gauge({
      name: 'queue_jobs',
      help: 'Jobs in each queue by state (either backend, through BullMQ)',
      labelNames: ['queue', 'state'],
      registers: [register],
      async collect() {
        this.reset();
        for (const name of Object.values(QueueName)) {
          const counts = await (await self.queue(name)).getJobCounts(...QUEUE_STATES);
          for (const s of QUEUE_STATES) this.set({ queue: name, state: s }, counts[s] ?? 0);
        }
      },
    });
    new Gauge({
      name: 'queue_job_duration_seconds',
      help: 'Processing time of the most recent completed jobs still kept, by queue (mean)',
      labelNames: ['queue'],
      registers: [register],
      async collect() {
        this.reset();
        for (const name of Object.values(QueueName)) {
          const jobs = await (await self.queue(name)).getJobs(['completed'], 0, 49);
          const d = jobs.filter((j) => j.finishedOn && j.processedOn).map((j) => (j.finishedOn! - j.processedOn!) / 1000);
          if (d.length) this.set({ queue: name }, d.reduce((a, b) => a + b, 0) / d.length);
        }
      },
    });
  }

  /** A producer-side handle on a queue (either backend), opened on first use; the queue board shares them. */
  async queue(name: QueueName): Promise<AnyQueue> {
    this.transport ??= connectQueueTransport(this.config);
    const t = await this.transport;
    let q = this.queues.get(name);
    if (!q) {
      q = t.createQueue(name);
      this.queues.set(name, q);
    }
    return q;
  }

  /** Express middleware: observes each API response by its route pattern (never the raw URL: ids would explode the series). */
  readonly middleware = (req: Request, res: Response, next: NextFunction): void => {
    const start = process.hrtime.bigint();
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      const pattern = (req.route as { path?: string } | undefined)?.path;
      const route = pattern ? `${req.baseUrl}${pattern}` : 'unmatched';
      const status = res.statusCode;
      this.http.observe({ method: req.method, route, status: String(status) }, seconds);
      const outcome = status < 400 ? 'ok' : status < 500 ? 'refused' : 'error';
      if (pattern && /\/actions\/:action$/.test(route) && req.method === 'POST') this.commands.inc({ action: String(req.params.action ?? 'unknown'), outcome });
      if (pattern && route.startsWith('/api/screening')) this.screening.observe({ outcome }, seconds);
    });
    next();
  };

  async onApplicationShutdown(): Promise<void> {
    for (const q of this.queues.values()) await q.close().catch(() => undefined);
    if (this.transport) await (await this.transport).close().catch(() => undefined);
  }
}
