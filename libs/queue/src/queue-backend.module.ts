import { DynamicModule, Global, Module } from '@nestjs/common';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@app/config';
import { FallbackLoginThrottle, LOGIN_THROTTLE, PostgresLoginThrottle, RedisLoginThrottle } from './login-throttle';
import { REDIS, RedisModule } from './redis';

export const QUEUE_BACKEND_PROBE = Symbol('QUEUE_BACKEND_PROBE');

/** What /health asks of the queue backend. */
export interface QueueBackendProbe {
  backend: 'redis' | 'postgres';
  /** Where the queues live, e.g. `redis 127.0.0.1:6379` or `postgresql schema "bullmq"`. */
  where: string;
  ping(): Promise<unknown>;
}

/**
 * The API's side of the backend switch: the login throttle store and the health probe,
 * on Redis or on PostgreSQL (which needs no Redis at all). Needs PersistenceModule's
 * DataSource on the postgres backend.
 */
@Global()
@Module({})
export class QueueBackendModule {
  static forRoot(config: AppConfig): DynamicModule {
    if (config.queueBackend === 'postgres') {
      const schema = config.queuePostgres.schema;
      return {
        module: QueueBackendModule,
        global: true,
        providers: [
          { provide: LOGIN_THROTTLE, inject: [DataSource], useFactory: (ds: DataSource) => new PostgresLoginThrottle(ds) },
          {
            provide: QUEUE_BACKEND_PROBE,
            inject: [DataSource],
            useFactory: (ds: DataSource): QueueBackendProbe => ({
              backend: 'postgres',
              where: `postgresql schema "${schema}"`,
              ping: async () => {
                const [row] = await ds.query<({ ready: boolean } | undefined)[]>(`SELECT to_regclass($1) IS NOT NULL AS ready`, [`"${schema}".job`]);
                if (!row?.ready) throw new Error(`the queue schema "${schema}" is missing (the worker and npm start create it)`);
              },
            }),
          },
        ],
        exports: [LOGIN_THROTTLE, QUEUE_BACKEND_PROBE],
      };
    }
    const u = new URL(config.redis.url);
    return {
      module: QueueBackendModule,
      global: true,
      imports: [RedisModule],
      providers: [
        // PostgreSQL takes over while Redis does not answer: sign-in neither fails nor goes unthrottled.
        {
          provide: LOGIN_THROTTLE,
          inject: [REDIS, APP_CONFIG, DataSource],
          useFactory: (r: Redis, c: AppConfig, ds: DataSource) =>
            new FallbackLoginThrottle(new RedisLoginThrottle(r, c.redis.keyPrefix), new PostgresLoginThrottle(ds)),
        },
        {
          provide: QUEUE_BACKEND_PROBE,
          inject: [REDIS],
          useFactory: (r: Redis): QueueBackendProbe => ({ backend: 'redis', where: `redis ${u.hostname}:${u.port || 6379}`, ping: () => r.ping() }),
        },
      ],
      exports: [LOGIN_THROTTLE, QUEUE_BACKEND_PROBE],
    };
  }
}
