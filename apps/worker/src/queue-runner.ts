import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Job, UnrecoverableError } from 'bullmq';
import { APP_CONFIG, AppConfig } from '@app/config';
import { SMTP_POOL_SIZE } from '@app/mail';
import { ALL_QUEUES, assertHandlers, InvalidJobPayloadError, JobHandler, JobName, JobQueue, parsePayload, QueueName, WorkerHandle } from '@app/queue';
import { WORKER_OPTIONS, WorkerOptions } from './worker-options';

export const JOB_HANDLERS = Symbol('JOB_HANDLERS');

/**
 * Deliveries: three jobs per pooled SMTP connection. Most are send-email-batch jobs, of
 * which DeliveryService lets two hold leases at once (the others wait before leasing);
 * single send-email jobs (retries) take their lease and render while others talk SMTP.
 * Only SMTP_POOL_SIZE sends are on the wire at once, so a connection goes straight from
 * one message to the next.
 */
const DELIVERY_CONCURRENCY = SMTP_POOL_SIZE * 3;
const CONCURRENCY: Record<QueueName, number> = { deliveries: DELIVERY_CONCURRENCY, timers: 5, maintenance: 1, screening: 1 };

/**
 * One BullMQ Worker per queue, dispatching by job name to the registered handlers, on
 * whichever backend JobQueue was connected to (Redis or PostgreSQL: libs/queue decides).
 * Closing waits for running jobs to finish (graceful SIGTERM).
 */
@Injectable()
export class QueueRunner implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('QueueRunner');
  private readonly handlers = new Map<string, JobHandler>();
  private readonly workers: WorkerHandle[] = [];

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(WORKER_OPTIONS) private readonly opts: WorkerOptions,
    @Inject(JOB_HANDLERS) handlers: JobHandler[],
    private readonly queue: JobQueue,
  ) {
    assertHandlers(handlers);
    for (const h of handlers) this.handlers.set(h.job, h);
  }

  async onApplicationBootstrap(): Promise<void> {
    for (const name of ALL_QUEUES) {
      const handle = await this.queue.createWorker(name, (job: Job) => this.dispatch(job), {
        concurrency: CONCURRENCY[name],
        lockDuration: this.opts.lockDurationMs,
        stalledInterval: this.opts.stalledIntervalMs,
        autorun: false,
      });
      const { worker } = handle;
      worker.on('error', (err) => this.logger.error(`queue ${name}: ${err.message}`));
      worker.on('failed', (job, err) => {
        if (job && !(err instanceof UnrecoverableError) && job.attemptsMade < (job.opts.attempts ?? 1)) return; // will retry
        this.logger.warn(`job ${job?.name} ${job?.id} failed: ${err.message}`);
      });
      void worker.run().catch((err) => this.logger.error(`queue ${name} stopped: ${(err as Error).message}`));
      this.workers.push(handle);
    }
  }

  private async dispatch(job: Job): Promise<unknown> {
    const handler = this.handlers.get(job.name);
    if (!handler) throw new UnrecoverableError(`no handler for job "${job.name}"`);
    let payload;
    try {
      payload = parsePayload(job.name as JobName, job.data);
    } catch (err) {
      if (err instanceof InvalidJobPayloadError) throw new UnrecoverableError(err.message);
      throw err;
    }
    return handler.handle(payload as never, { attemptsMade: job.attemptsMade, maxAttempts: job.opts.attempts ?? 1 });
  }

  async onModuleDestroy(): Promise<void> {
    // Worker.close() lets active jobs finish before it resolves.
    await Promise.all(this.workers.map((w) => w.close()));
    this.workers.length = 0;
  }
}
