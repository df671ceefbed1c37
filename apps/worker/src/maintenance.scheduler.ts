import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { JobQueue, QueueName } from '@app/queue';
import { DeliveryService } from './deliveries/delivery.service';
import { TimerService } from './timers/timer.service';
import { WORKER_OPTIONS, WorkerOptions } from './worker-options';

/**
 * The reconciler and the sweeper run twice over: as BullMQ Job Schedulers (one run per
 * period across all workers) and from a plain interval in each worker, because a Redis
 * flush deletes the schedulers too. Both are idempotent, so overlap does no harm.
 */
@Injectable()
export class MaintenanceScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Maintenance');
  private readonly intervals: NodeJS.Timeout[] = [];
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
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
    this.every(this.opts.reconcileEveryMs, 'reconcile timers', () => this.timers.reconcile());
    this.every(this.opts.sweepEveryMs, 'sweep deliveries', () => this.deliveries.sweep());
  }

  private every(ms: number, what: string, fn: () => Promise<unknown>): void {
    const run = () => {
      const p = fn().catch((err) => this.logger.error(`${what} failed: ${(err as Error).message}`)).finally(() => this.inFlight.delete(p));
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
