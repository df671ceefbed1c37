/**
 * Triage against the built API as its own process only, on a database a `npm run bench
 * -- --keep` run left: CPU of the API process per request (a figure that holds on a
 * loaded machine, unlike req/s), RSS idle and peak, p50 at 32 and at one connection.
 * For measuring a change to the request path quickly; `npm run bench` is the full run.
 *
 *   npm run bench:api -- --db=tr_bench [--actions=2000] [--api-workers=1] [--cpu-prof]
 *                        [--node-args=--max-semi-space-size=8,...] [--bare] [--api-main=/other/build/dist/apps/api/src/main.js]
 *
 * --cpu-prof writes the API process's V8 profile to bench/results/api-process/ when it exits;
 * The API process gets the production node arguments (apps/api/src/node-args.ts) unless --bare;
 * --node-args passes more node/V8 flags to it; --api-main runs another build (before/after
 * in alternation on the same loaded machine).
 */
import os from 'node:os';
import path from 'node:path';
import { mkdirSync, writeFileSync } from 'node:fs';
import { Client } from 'pg';
import { loadConfig } from '@app/config';
import { migrate } from '@app/persistence';
import { API_NODE_ARGS } from '../apps/api/src/node-args';
import { benchApiEnv, measureApiTriage, withApiProcess } from './api-process';
import { loadIds, prepareSubmitted } from './seed-data';

const PG = 'postgres://postgres@127.0.0.1:5432';
const RESULTS = path.resolve(__dirname, '..', '..', 'bench', 'results');
const opt = (name: string) => process.argv.find((x) => x.startsWith(`--${name}=`))?.slice(name.length + 3);
const DB = opt('db') ?? 'tr_bench';
if (!/^[a-z_][a-z0-9_]{0,62}$/.test(DB)) throw new Error(`--db must be a plain database name (a-z, 0-9, _), not "${DB}"`);
const ACTIONS = Number(opt('actions') ?? 2000);
const WORKERS = Number(opt('api-workers') ?? 1);
const SERIAL = 200;
const WARMUP = 300;
const CONNECTIONS = 32;
const BARE = process.argv.includes('--bare');

async function main(): Promise<void> {
  const env = benchApiEnv(PG, DB);
  const config = loadConfig(env);
  await migrate(config);
  const owner = new Client({ connectionString: config.database.url });
  await owner.connect();
  try {
    const ids = await loadIds(owner);
    const spare = CONNECTIONS * 3;
    const warm = await prepareSubmitted(owner, ids, WARMUP + spare);
    const load = await prepareSubmitted(owner, ids, ACTIONS + spare);
    const serial = await prepareSubmitted(owner, ids, SERIAL + spare);
    await owner.query('ANALYZE collaboration_case, case_event, case_timer');
    const profDir = path.join(RESULTS, 'api-process');
    if (process.argv.includes('--cpu-prof')) mkdirSync(profDir, { recursive: true });
    const nodeArgs = [
      ...(process.argv.includes('--cpu-prof') ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : []),
      ...(opt('node-args')?.split(',').filter(Boolean) ?? []),
    ];
    const loadStart = os.loadavg()[0];
    const run = await withApiProcess(
      env,
      WORKERS,
      (api) =>
        measureApiTriage(api, { warm, ids: load, amount: ACTIONS, connections: CONNECTIONS, serial, body: { riskLevel: 'low', exportControlRelevant: false } }),
      nodeArgs,
      opt('api-main'),
      BARE,
    );
    const out = {
      db: DB,
      actions: ACTIONS,
      workers: WORKERS,
      nodeArgs: [...(BARE ? [] : API_NODE_ARGS), ...nodeArgs],
      apiMain: opt('api-main') ?? 'this build',
      load1: [Math.round(loadStart * 100) / 100, Math.round(os.loadavg()[0] * 100) / 100],
      ...run,
    };
    mkdirSync(RESULTS, { recursive: true });
    writeFileSync(path.join(RESULTS, 'api-bench.json'), JSON.stringify(out, null, 2));
    process.stdout.write(
      `API process (API_WORKERS=${WORKERS}${out.nodeArgs.length ? ` ${out.nodeArgs.join(' ')}` : ''}${opt('api-main') ? `, ${opt('api-main')}` : ''}), ${run.ok} triage at ${CONNECTIONS} connections: ${run.requestsPerSecond} req/s, p50 ${run.p50} ms, p99 ${run.p99} ms, ` +
        `CPU ${run.cpuMsPerRequest} ms per request (system ${run.systemCpuMsPerRequest}); at 1 connection p50 ${run.serial?.p50} ms, p99 ${run.serial?.p99} ms; ` +
        `RSS idle ${run.rssIdleMb} MB, peak ${run.rssPeakMb} MB; load ${out.load1.join(' -> ')}\n`,
    );
  } finally {
    await owner.end();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
