import { JobsOptions } from 'bullmq';
import { AppConfig, QueueBackendKind } from '@app/config';
import { ALL_QUEUES, DEFAULT_JOB_OPTIONS, JOB_QUEUE, JobName, JobPayloads, QueueName } from './jobs';
import { AnyQueue, connectQueueTransport, JobProcessor, QueueTransport, QueueWorkerOptions, WorkerHandle } from './backend';

export interface EnqueueItem<J extends JobName> {
  payload: JobPayloads[J];
  jobId?: string;
  opts?: Omit<JobsOptions, 'jobId'>;
}

/**
 * Typed enqueue over BullMQ queues, on the configured backend (QUEUE_BACKEND). On Redis
 * every queue uses the configured key prefix, so parallel test files (each with its own
 * prefix) never share jobs; on PostgreSQL the queues live in the queue schema of the
 * file's own database.
 */
export class JobQueue {
  private readonly queues = new Map<QueueName, AnyQueue>();

  private constructor(private readonly transport: QueueTransport) {
    for (const name of ALL_QUEUES) this.queues.set(name, transport.createQueue(name));
  }

  static async connect(config: AppConfig): Promise<JobQueue> {
    return new JobQueue(await connectQueueTransport(config));
  }

  get backend(): QueueBackendKind {
    return this.transport.kind;
  }

  queue(name: QueueName): AnyQueue {
    return this.queues.get(name)!;
  }

  /** A BullMQ Worker on the same backend, with connections of its own. */
  createWorker(name: QueueName, processor: JobProcessor, opts: QueueWorkerOptions): Promise<WorkerHandle> {
    return this.transport.createWorker(name, processor, opts);
  }

  async enqueue<J extends JobName>(name: J, payload: JobPayloads[J], jobId?: string, opts: Omit<JobsOptions, 'jobId'> = {}): Promise<void> {
    await this.queue(JOB_QUEUE[name]).add(name, payload, { ...DEFAULT_JOB_OPTIONS[name], ...opts, jobId });
  }

  /** Re-adding an existing job id is ignored by BullMQ, so this is safe to repeat. */
  async enqueueBulk<J extends JobName>(name: J, items: EnqueueItem<J>[]): Promise<void> {
    if (!items.length) return;
    await this.queue(JOB_QUEUE[name]).addBulk(items.map((i) => ({ name, data: i.payload, opts: { ...DEFAULT_JOB_OPTIONS[name], ...i.opts, jobId: i.jobId } })));
  }

  async close(): Promise<void> {
    for (const q of this.queues.values()) await q.close().catch(() => undefined);
    await this.transport.close();
  }
}
