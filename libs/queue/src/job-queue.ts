import { JobsOptions, Queue } from 'bullmq';
import Redis from 'ioredis';
import { AppConfig } from '@app/config';
import { ALL_QUEUES, DEFAULT_JOB_OPTIONS, JOB_QUEUE, JobName, JobPayloads, QueueName } from './jobs';
import { createRedis, redisUnreachableMessage } from './redis';

export interface EnqueueItem<J extends JobName> {
  payload: JobPayloads[J];
  jobId?: string;
  opts?: Omit<JobsOptions, 'jobId'>;
}

/**
 * Typed enqueue over BullMQ queues. Every queue uses the configured key prefix, so
 * parallel test files (each with its own prefix) never share jobs.
 */
export class JobQueue {
  private readonly queues = new Map<QueueName, Queue>();

  private constructor(private readonly connection: Redis, prefix: string) {
    for (const name of ALL_QUEUES) this.queues.set(name, new Queue(name, { connection, prefix }));
  }

  static async connect(config: AppConfig): Promise<JobQueue> {
    const connection = createRedis(config, { forWorker: true });
    connection.on('error', () => undefined); // surfaced by failing commands
    await connection.connect().catch((err) => { throw new Error(redisUnreachableMessage(config.redis.url, err)); });
    return new JobQueue(connection, config.redis.keyPrefix);
  }

  queue(name: QueueName): Queue {
    return this.queues.get(name)!;
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
    await this.connection.quit().catch(() => this.connection.disconnect());
  }
}
