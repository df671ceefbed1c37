import { Logger } from '@nestjs/common';
import { ConfigError, loadConfig } from '@app/config';
import { DatabaseUnavailableError } from '@app/persistence';
import { pingRedis } from '@app/queue';
import { createApiApp } from './bootstrap';

/** Starts the HTTP API. Migrations have run (scripts/start.ts or `npm run migrate`). */
async function main(): Promise<void> {
  const config = loadConfig();
  await pingRedis(config);
  const app = await createApiApp(config);
  await app.listen(config.port, '0.0.0.0');
  Logger.log(`API listening on ${config.publicUrl}/api (OpenAPI at ${config.publicUrl}/api/docs)`, 'Bootstrap');
}

main().catch((err) => {
  const e = err as { message?: unknown } | null | undefined;
  const known = err instanceof ConfigError || err instanceof DatabaseUnavailableError || /not reachable/.test(String(e?.message));
  console.error(known ? e?.message : err);
  process.exit(1);
});
