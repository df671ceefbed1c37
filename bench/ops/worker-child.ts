/**
 * The worker as apps/worker/src/main.ts runs it, with tunables given as a JSON argument
 * (short leases and sweeps for the jest-sized drill). Configuration from the environment
 * through loadConfig, like main.ts.
 */
import { Logger } from '@nestjs/common';
import { loadConfig } from '@app/config';
import { pingRedis } from '@app/queue';
import { createWorkerApp } from '../../apps/worker/src/bootstrap';

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as Record<string, number>;
  const config = loadConfig();
  await pingRedis(config);
  const app = await createWorkerApp(config, { ...options, logger: true });
  let closing = false;
  const stop = () => {
    if (closing) return;
    closing = true;
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  Logger.log(`drill worker running (pid ${process.pid}, options ${JSON.stringify(options)})`, 'Bootstrap');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
