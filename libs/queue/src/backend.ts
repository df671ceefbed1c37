/**
 * The one place that knows which store BullMQ runs on (QUEUE_BACKEND): Redis, or BullMQ 6's
 * PostgreSQL backend in its own schema of the application database. Everything above
 * (processors, the outbox relay, the timer reconciler, Job Schedulers) sees plain BullMQ
 * Queues and Workers and works unchanged on both.
 *
 * Connections on the PostgreSQL backend, per worker process (the figure in the README):
 *   - the producer Queues share one pool of `QUEUE_PG_POOL_SIZE` connections;
 *   - each BullMQ Worker (one per queue: deliveries, timers, maintenance) owns a pool of
 *     `QUEUE_PG_POOL_SIZE` plus one dedicated LISTEN connection.
 * With the default 3 that is 3 + 3 x (3 + 1) = 15, beside the app's TypeORM pool
 * (DATABASE_POOL_SIZE, 10) and the relay's LISTEN connection (1). pg pools open
 * connections on demand and close idle ones after 10 s, so these are ceilings.
 */
import { createPostgresBackend, Job, PostgresConnection, PostgresPoolConfig, PostgresQueueBackend, Queue, runMigrations, Worker, WorkerOptions } from 'bullmq';
import Redis from 'ioredis';
import { Client } from 'pg';
import { AppConfig, appDatabaseUrl, QueueBackendKind } from '@app/config';
import { QueueName } from './jobs';
import { createRedis, redisUnreachableMessage } from './redis';

/* eslint-disable @typescript-eslint/no-explicit-any */
export type AnyQueue = Queue<any, any, string, any, any, string, any, any>;
export type AnyWorker = Worker<any, any, string, any, any, any>;
export type QueueWorkerOptions = Omit<WorkerOptions, 'connection' | 'prefix'>;
export type JobProcessor = (job: Job) => Promise<unknown>;

export interface WorkerHandle {
  worker: AnyWorker;
  /** Lets running jobs finish (Worker.close), then closes the worker's own connections. */
  close(): Promise<void>;
}

export interface QueueTransport {
  readonly kind: QueueBackendKind;
  createQueue(name: QueueName): AnyQueue;
  createWorker(name: QueueName, processor: JobProcessor, opts: QueueWorkerOptions): Promise<WorkerHandle>;
  /** Closes the producers' shared connection (after their Queues were closed). */
  close(): Promise<void>;
}

class RedisTransport implements QueueTransport {
  readonly kind = 'redis' as const;
  private constructor(
    private readonly config: AppConfig,
    private readonly connection: Redis,
  ) {}

  static async connect(config: AppConfig): Promise<RedisTransport> {
    const connection = createRedis(config, { forWorker: true });
    connection.on('error', () => undefined); // surfaced by failing commands
    await connection.connect().catch((err) => {
      throw new Error(redisUnreachableMessage(config.redis.url, err));
    });
    return new RedisTransport(config, connection);
  }

  createQueue(name: QueueName): AnyQueue {
    return new Queue(name, { connection: this.connection, prefix: this.config.redis.keyPrefix });
  }

  async createWorker(name: QueueName, processor: JobProcessor, opts: QueueWorkerOptions): Promise<WorkerHandle> {
    const connection = createRedis(this.config, { forWorker: true });
    connection.on('error', () => undefined);
    await connection.connect();
    const worker = new Worker(name, processor, { ...opts, connection, prefix: this.config.redis.keyPrefix });
    return {
      worker,
      close: async () => {
        await worker.close().catch(() => undefined);
        await connection.quit().catch(() => connection.disconnect());
      },
    };
  }

  async close(): Promise<void> {
    await this.connection.quit().catch(() => this.connection.disconnect());
  }
}

/** The pg pool config of every BullMQ connection on the PostgreSQL backend: the app role, the queue schema. */
export function queuePostgresConnection(config: AppConfig): PostgresPoolConfig {
  return {
    connectionString: appDatabaseUrl(config),
    schema: config.queuePostgres.schema,
    max: config.queuePostgres.poolSize,
    keepAlive: true,
    connectionTimeoutMillis: 5000,
  };
}

/** Serialises schema preparation (migrations and grants) of concurrently starting processes. */
const QUEUE_SCHEMA_LOCK_KEY = 727_002;

/**
 * Brings BullMQ's PostgreSQL schema up to date as the database owner and lets the app
 * role use it (the app role cannot create schemas). Idempotent; `npm start` runs it with
 * the migrations and every worker again at boot, so `npm run migrate` users need nothing extra.
 */
export async function prepareQueueSchema(config: AppConfig): Promise<number> {
  const client = new Client({ connectionString: config.database.url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (err) {
    const u = new URL(config.database.url);
    throw new Error(`PostgreSQL is not reachable at ${u.hostname}:${u.port || 5432} (${(err as Error).message}); the postgres queue backend needs it.`);
  }
  const schema = config.queuePostgres.schema;
  const q = (id: string) => `"${id.replace(/"/g, '""')}"`;
  try {
    await client.query('SELECT pg_advisory_lock($1)', [QUEUE_SCHEMA_LOCK_KEY]);
    try {
      const version = await runMigrations(client, schema);
      const role = config.database.appUser;
      const owner = new URL(config.database.url).username || 'postgres';
      const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
      if (role !== owner && exists.rowCount) {
        // CREATE: BullMQ creates a job-id sequence per queue at run time. The schema holds
        // queue state only, so this does not loosen the audit tables' protection.
        await client.query(`GRANT USAGE, CREATE ON SCHEMA ${q(schema)} TO ${q(role)}`);
        await client.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA ${q(schema)} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${q(role)}`);
        await client.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA ${q(schema)} GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO ${q(role)}`);
        await client.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${q(schema)} TO ${q(role)}`);
        await client.query(`GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA ${q(schema)} TO ${q(role)}`);
        await client.query(`GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA ${q(schema)} TO ${q(role)}`);
      }
      return version;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [QUEUE_SCHEMA_LOCK_KEY]).catch(() => undefined);
    }
  } finally {
    await client.end().catch(() => undefined);
  }
}

class PostgresTransport implements QueueTransport {
  readonly kind = 'postgres' as const;
  private constructor(
    private readonly config: AppConfig,
    private readonly shared: PostgresConnection,
  ) {}

  static async connect(config: AppConfig): Promise<PostgresTransport> {
    await prepareQueueSchema(config);
    const shared = new PostgresConnection(queuePostgresConnection(config));
    shared.on('error', () => undefined); // surfaced by failing queries
    await shared.waitUntilReady();
    return new PostgresTransport(config, shared);
  }

  createQueue(name: QueueName): AnyQueue {
    // The producers share one connection; the backend does not own (close) it.
    const factory = (queueName: string, opts: ConstructorParameters<typeof PostgresQueueBackend>[2]) =>
      new PostgresQueueBackend(this.shared, queueName, opts, false);
    return new Queue(name, { connection: queuePostgresConnection(this.config) }, factory) as unknown as AnyQueue;
  }

  async createWorker(name: QueueName, processor: JobProcessor, opts: QueueWorkerOptions): Promise<WorkerHandle> {
    const worker = new Worker(name, processor, { ...opts, connection: queuePostgresConnection(this.config) }, createPostgresBackend);
    worker.on('error', () => undefined);
    await worker.waitUntilReady();
    return {
      worker: worker as unknown as AnyWorker,
      close: async () => {
        await worker.close().catch(() => undefined);
      }, // the worker owns its pool and LISTEN client
    };
  }

  async close(): Promise<void> {
    await this.shared.close().catch(() => undefined);
  }
}

export async function connectQueueTransport(config: AppConfig): Promise<QueueTransport> {
  return config.queueBackend === 'postgres' ? PostgresTransport.connect(config) : RedisTransport.connect(config);
}
