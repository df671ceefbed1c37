import { Logger } from '@nestjs/common';
import { ConfigError, loadConfig } from '@app/config';
import { DatabaseUnavailableError } from '@app/persistence';
import { pingRedis } from '@app/queue';
import { createWorkerApp } from './bootstrap';

/**
 * Starts the worker (outbox relay, mail and timer processors, reconciler). Migrations
 * have run before it starts. SIGTERM closes it gracefully: running jobs finish first.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  await pingRedis(config);
  const app = await createWorkerApp(config);
  let closing = false;
  const stop = (signal: string) => {
    if (closing) return;
    closing = true;
    Logger.log(`${signal}: finishing running jobs, then exiting`, 'Bootstrap');
    app.close().then(
      () => process.exit(0),
      (err) => {
        Logger.error(`shutdown failed: ${(err as Error).message}`, 'Bootstrap');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  const where = config.queueBackend === 'postgres' ? `PostgreSQL schema "${config.queuePostgres.schema}"` : `Redis, prefix "${config.redis.keyPrefix}"`;
  Logger.log(`worker running (queues on ${where}, pid ${process.pid})`, 'Bootstrap');
}

main().catch((err) => {
  const e = err as { message?: unknown } | null | undefined;
  const known = err instanceof ConfigError || err instanceof DatabaseUnavailableError || /not reachable/.test(String(e?.message));
  console.error(known ? e?.message : err);
  process.exit(1);
});
