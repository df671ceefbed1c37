import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/config';
import { JobName, JobQueue, QueueName } from '@app/queue';
import { DeliveryService } from './deliveries/delivery.service';
import { DIGEST_CRON } from './digest/digest.service';
import { MONTHLY_REPORT_CRON } from './reports/monthly-report.service';
import { TimerService } from './timers/timer.service';
import { WORKER_OPTIONS, WorkerOptions } from './worker-options';

/** Jobs at a wall-clock time where the office is (config.timezone): one BullMQ Job Scheduler each, shared by all workers. */
const CRON_JOBS: { job: JobName; pattern: string }[] = [
  { job: 'send-digest', pattern: DIGEST_CRON }, // idempotent per (user, day)
  { job: 'send-monthly-report', pattern: MONTHLY_REPORT_CRON }, // idempotent per month
];

/**
 * Every periodic job of the worker is scheduled here. The reconciler and the sweeper run twice over: as BullMQ Job Schedulers (one run per
 * period across all workers) and from a plain interval in each worker, because a Redis
 * flush deletes the schedulers too. Both are idempotent, so overlap does no harm.
 */
@Injectable()
export class MaintenanceScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Maintenance');
  private readonly intervals: NodeJS.Timeout[] = [];
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(WORKER_OPTIONS) private readonly opts: WorkerOptions,
    private readonly queue: JobQueue,
    private readonly timers: TimerService,
    private readonly deliveries: DeliveryService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.opts.loops) return;
    const maintenance = this.queue.queue(QueueName.Maintenance);
    await maintenance.upsertJobScheduler('reconcile-timers', { every: this.opts.reconcileEveryMs }, { name: 'reconcile-timers', data: {} });
    await maintenance.upsertJobScheduler('sweep-deliveries', { every: this.opts.sweepEveryMs }, { name: 'sweep-deliveries', data: {} });
    // upsert is idempotent, so every worker may do it.
    for (const { job, pattern } of CRON_JOBS) await maintenance.upsertJobScheduler(job, { pattern, tz: this.config.timezone }, { name: job, data: {} });
    this.every(this.opts.reconcileEveryMs, 'reconcile timers', () => this.timers.reconcile());
    this.every(this.opts.sweepEveryMs, 'sweep deliveries', () => this.deliveries.sweep());
  }

  private every(ms: number, what: string, fn: () => Promise<unknown>): void {
    const run = () => {
      const p = fn()
        .catch((err) => this.logger.error(`${what} failed: ${(err as Error).message}`))
        .finally(() => this.inFlight.delete(p));
      this.inFlight.add(p);
    };
    run();
    this.intervals.push(setInterval(run, ms));
  }

  async onModuleDestroy(): Promise<void> {
    for (const i of this.intervals) clearInterval(i);
    await Promise.all(this.inFlight);
  }
}
