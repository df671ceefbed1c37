import cluster from 'node:cluster';
import { Logger } from '@nestjs/common';
import { ConfigError, loadConfig } from '@app/config';
import { DatabaseUnavailableError } from '@app/persistence';
import { pingRedis } from '@app/queue';
import { createApiApp } from './bootstrap';
import { API_NODE_ARGS } from './node-args';

/**
 * How many API processes serve the port (`API_WORKERS`, default 1). With more than one,
 * this process is a node:cluster primary that forks them (they share the listening
 * socket) and replaces one that dies; see README "Performance" for the measured choice.
 */
export function apiWorkers(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.API_WORKERS;
  if (raw === undefined || raw.trim() === '') return 1;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 64) {
    throw new ConfigError(`API_WORKERS must be a whole number from 1 to 64 (the number of API processes); it is "${raw}".`);
  }
  return n;
}

/** Starts the HTTP API. Migrations have run (scripts/start.ts or `npm run migrate`). */
async function main(): Promise<void> {
  const config = loadConfig();
  await pingRedis(config);
  const app = await createApiApp(config);
  await app.listen(config.port, '0.0.0.0');
  Logger.log(
    `API listening on ${config.publicUrl}/api (OpenAPI at ${config.publicUrl}/api/docs)${cluster.isWorker ? ` [process ${cluster.worker?.id}]` : ''}`,
    'Bootstrap',
  );
}

/** The cluster primary: N workers, a dead one replaced (at most 5 in a minute, then the primary gives up so the supervisor sees it). */
function primary(n: number): void {
  let stopping = false;
  const deaths: number[] = [];
  // The forked processes serve the requests: they get the API's V8 settings (node-args.ts).
  cluster.setupPrimary({ execArgv: [...process.execArgv, ...API_NODE_ARGS] });
  for (let i = 0; i < n; i++) cluster.fork();
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    const now = Date.now();
    deaths.push(now);
    while (deaths.length && deaths[0] < now - 60_000) deaths.shift();
    if (deaths.length > 5) {
      console.error(`API process ${worker.id} exited (${signal ?? code}); more than 5 exits in a minute, stopping the API`);
      stopping = true;
      for (const w of Object.values(cluster.workers ?? {})) w?.kill('SIGTERM');
      process.exitCode = 1;
      setTimeout(() => process.exit(1), 10_000).unref();
      return;
    }
    console.error(`API process ${worker.id} exited (${signal ?? code}); starting another`);
    cluster.fork();
  });
  const stop = (sig: NodeJS.Signals) => {
    stopping = true;
    for (const w of Object.values(cluster.workers ?? {})) w?.kill(sig);
    if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
    setTimeout(() => process.exit(0), 15_000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  Logger.log(`API: ${n} processes (API_WORKERS=${n})`, 'Bootstrap');
}

function fail(err: unknown): never {
  const e = err as { message?: unknown } | null | undefined;
  const known = err instanceof ConfigError || err instanceof DatabaseUnavailableError || /not reachable/.test(String(e?.message));
  console.error(known ? e?.message : err);
  process.exit(1);
}

if (require.main === module) {
  let n = 1;
  try {
    n = cluster.isPrimary ? apiWorkers() : 1;
  } catch (err) {
    fail(err);
  }
  if (n > 1) primary(n);
  else main().catch(fail);
}
