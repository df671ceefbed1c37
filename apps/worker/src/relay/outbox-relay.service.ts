import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { APP_CONFIG, AppConfig, appDatabaseUrl } from '@app/config';
import { NewDelivery, PgListener, RelayRepository } from '@app/persistence';
import { JobQueue } from '@app/queue';
import { deliveryBatchJobs } from '../deliveries/delivery.service';
import { WORKER_OPTIONS, WorkerOptions } from '../worker-options';
import { RecipientResolver } from './recipient-resolver';

/**
 * Outbox → delivery rows → send-email-batch jobs. Claim, insert and mark done in one short
 * transaction; enqueue only after commit, so no row lock is held across a Redis call.
 * A crash between commit and enqueue leaves pending deliveries without a job: the
 * sweeper finds them.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('OutboxRelay');
  private listener: PgListener | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(WORKER_OPTIONS) private readonly opts: WorkerOptions,
    private readonly ds: DataSource,
    private readonly repo: RelayRepository,
    private readonly resolver: RecipientResolver,
    private readonly queue: JobQueue,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.opts.loops) return;
    this.listener = new PgListener({
      url: appDatabaseUrl(this.config),
      channel: 'outbox',
      applicationName: 'trusted-research-relay-listen',
      onNotify: () => this.wake(),
      onReconnect: () => this.wake(),
      logger: this.logger,
      fallback: 'polling',
      retryMs: this.opts.pollEveryMs,
    });
    await this.listener.start();
    this.timer = setInterval(() => this.wake(), this.opts.pollEveryMs);
    this.wake();
  }

  /** Single flight: a wake-up during a drain makes it go round once more. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      do {
        this.again = false;
        try {
          await this.drain();
        } catch (err) {
          this.logger.error(`relay pass failed: ${(err as Error).message}`);
        }
      } while (this.again && !this.stopped);
    })().finally(() => {
      this.running = null;
    });
  }

  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const { claimed } = await this.relayOnce();
      total += claimed;
      if (claimed < this.opts.relayBatchSize || this.stopped) return total;
    }
  }

  /**
   * One batch. Returns how many outbox rows it claimed and which deliveries it enqueued.
   * The batch is resolved together (a handful of statements for the whole batch) and
   * finished in one statement; if resolving it meets a database error (a row naming
   * something the database refuses), the transaction is rolled back and the rows are
   * taken again one at a time, each under a savepoint, so the bad row stays pending (and
   * is logged) without holding back the others.
   */
  async relayOnce(): Promise<{ claimed: number; enqueued: string[] }> {
    let result: { claimed: number; ids: string[] };
    try {
      result = await this.ds.transaction((em) => this.relayBatch(em));
    } catch (err) {
      if (!(err instanceof QueryFailedError)) throw err;
      this.logger.warn(`relay batch failed (${err.message}); relaying its rows one at a time`);
      result = await this.ds.transaction((em) => this.relayRowByRow(em));
    }
    await this.enqueue(result.ids);
    return { claimed: result.claimed, enqueued: result.ids };
  }

  private async relayBatch(em: EntityManager): Promise<{ claimed: number; ids: string[] }> {
    const rows = await this.repo.claimPending(em, this.opts.relayBatchSize);
    if (!rows.length) return { claimed: 0, ids: [] };
    const { deliveries, resolved, unresolved } = await this.resolver.deliveriesForBatch(em, rows);
    for (const u of unresolved) this.logger.error(`outbox ${u.row.id} (${u.row.topic}) could not be relayed: ${u.error.message}`);
    return { claimed: rows.length, ids: await this.repo.finishBatch(em, deliveries, resolved) };
  }

  private async relayRowByRow(em: EntityManager): Promise<{ claimed: number; ids: string[] }> {
    const rows = await this.repo.claimPending(em, this.opts.relayBatchSize);
    const done: string[] = [];
    const all: NewDelivery[] = [];
    for (const row of rows) {
      await em.query('SAVEPOINT relay_row');
      try {
        all.push(...(await this.resolver.deliveriesFor(em, row)));
        await em.query('RELEASE SAVEPOINT relay_row');
        done.push(row.id);
      } catch (err) {
        await em.query('ROLLBACK TO SAVEPOINT relay_row');
        this.logger.error(`outbox ${row.id} (${row.topic}) could not be relayed: ${(err as Error).message}`);
      }
    }
    return { claimed: rows.length, ids: await this.repo.finishBatch(em, all, done) };
  }

  /** The deliveries as send-email-batch jobs (each leases its rows in one statement and sends them together). */
  async enqueue(deliveryIds: string[]): Promise<void> {
    await this.queue.enqueueBulk('send-email-batch', deliveryBatchJobs(deliveryIds, this.opts));
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.listener?.stop();
    await this.running;
  }
}
