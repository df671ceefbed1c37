import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { APP_CONFIG, AppConfig } from '@app/config';

export const REDIS = Symbol('REDIS');

/** One sentence that names the service and how to start it. */
export function redisUnreachableMessage(url: string, cause: unknown): string {
  const u = new URL(url);
  const reason = cause instanceof Error ? cause.message : String(cause);
  return (
    `Redis is not reachable at ${u.hostname}:${u.port || 6379} (${reason}); start it ` +
    `(on this machine: redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no) or set REDIS_URL.`
  );
}

export function createRedis(config: AppConfig, opts: { forWorker?: boolean } = {}): Redis {
  return new Redis(config.redis.url, {
    // BullMQ workers need blocking commands to wait indefinitely.
    maxRetriesPerRequest: opts.forWorker ? null : 3,
    enableOfflineQueue: true,
    connectTimeout: 5000,
    lazyConnect: true,
  });
}

/** Fails fast with a sentence if Redis does not answer; nothing to check on the postgres queue backend. */
export async function pingRedis(config: AppConfig): Promise<void> {
  if (config.queueBackend !== 'redis') return;
  const r = createRedis(config);
  r.on('error', () => undefined);
  try {
    await r.connect();
    await r.ping();
  } catch (err) {
    throw new Error(redisUnreachableMessage(config.redis.url, err));
  } finally {
    r.disconnect();
  }
}

@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [APP_CONFIG],
      useFactory: async (config: AppConfig) => {
        const r = createRedis(config);
        r.on('error', () => undefined); // surfaced through /health and failing commands
        await r.connect().catch((err) => {
          throw new Error(redisUnreachableMessage(config.redis.url, err));
        });
        return r;
      },
    },
  ],
  exports: [REDIS],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
