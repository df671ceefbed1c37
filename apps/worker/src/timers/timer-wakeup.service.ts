import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig, appDatabaseUrl } from '@app/config';
import { PgListener } from '@app/persistence';
import { jobIds, JobQueue } from '@app/queue';
import { WORKER_OPTIONS, WorkerOptions } from '../worker-options';
import { TimerService } from './timer.service';

/**
 * Gives a timer its delayed job soon after the transaction that inserted it commits: the
 * `case_timer_notify` trigger (migration 1765000000030) NOTIFYs `case_timer` with the ids
 * of new pending timers due within a day; every worker LISTENs and enqueues
 * `fire-timer` as `timer-<id>`, delayed until due by the database clock. The job id is
 * deterministic, so several workers (and the reconciler) adding the same job is harmless.
 *
 * Notifications sent while no worker listened are lost: the reconciler (every
 * `reconcileEveryMs`) stays as the safety net, and a LISTEN connection that comes back
 * after a loss reconciles at once.
 */
@Injectable()
export class TimerWakeup implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('TimerWakeup');
  private listener: PgListener | null = null;
  private readonly waiting = new Set<string>();
  private reconcileWanted = false;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(WORKER_OPTIONS) private readonly opts: WorkerOptions,
    private readonly ds: DataSource,
    private readonly timers: TimerService,
    private readonly queue: JobQueue,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.opts.loops) return;
    this.listener = new PgListener({
      url: appDatabaseUrl(this.config),
      channel: 'case_timer',
      applicationName: 'trusted-research-timer-listen',
      onNotify: (payload) => this.notified(payload),
      // Timers inserted while nobody listened: find them now rather than at the next reconcile.
      onReconnect: () => {
        this.reconcileWanted = true;
        this.kick();
      },
      logger: this.logger,
      fallback: 'the reconciler covers new timers',
      retryMs: Math.max(this.opts.pollEveryMs, 1000),
    });
    await this.listener.start();
  }

  private notified(payload: string): void {
    if (this.stopped) return;
    if (payload === '*') this.reconcileWanted = true;
    else for (const id of payload.split(',')) if (/^\d+$/.test(id)) this.waiting.add(id);
    this.kick();
  }

  /** Single flight; notifications arriving meanwhile are taken by the next round. */
  private kick(): void {
    if (this.running || this.stopped) return;
    this.running = (async () => {
      while ((this.waiting.size || this.reconcileWanted) && !this.stopped) {
        const ids = [...this.waiting];
        this.waiting.clear();
        const all = this.reconcileWanted;
        this.reconcileWanted = false;
        try {
          if (all) await this.timers.reconcile();
          else await this.enqueue(ids);
        } catch (err) {
          this.logger.warn(`enqueueing ${all ? 'due timers' : `timer(s) ${ids.join(', ')}`} failed (${(err as Error).message}); the reconciler will add them`);
        }
      }
    })().finally(() => {
      this.running = null;
    });
  }

  /** The named timers still pending, each as its delayed job (delay by the database clock). */
  async enqueue(ids: string[]): Promise<number> {
    if (!ids.length) return 0;
    const rows: { id: string; delayMs: string }[] = await this.ds.query(
      `SELECT id, GREATEST(ceil(extract(epoch FROM due_at - now()) * 1000), 0)::bigint AS "delayMs"
         FROM case_timer WHERE id = ANY($1::bigint[]) AND status = 'pending'`,
      [ids],
    );
    if (!rows.length) return 0;
    await this.queue.enqueueBulk(
      'fire-timer',
      rows.map((r) => ({ payload: { timerId: String(r.id) }, jobId: jobIds.timer(String(r.id)), opts: { delay: Number(r.delayMs) } })),
    );
    return rows.length;
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    await this.listener?.stop();
    await this.running;
  }
}
