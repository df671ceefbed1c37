/**
 * `npm run bench:timers`: 10,000 timers due at the same instant, in a scratch database
 * (tr_bench_timers) and on a private redis-server the bench starts on a free port (the
 * shared Redis is never flushed). Two runs:
 *  - normal: the worker holds a delayed job per timer; time until all fired, lateness p50/p99;
 *  - flushed: Redis loses everything (FLUSHALL) a second before they are due, the worker
 *    keeps running, and its reconciler (period RECONCILE_MS) rebuilds the jobs from Postgres.
 * Lateness is measured by the database clock (case_timer.lateness_ms). The case's officer
 * is inactive, so the 10,000 emails are recorded as suppressed rather than sent.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import Redis from 'ioredis';
import { AppConfig, loadConfig } from '@app/config';
import { createDataSource, migrate, seedDemo } from '@app/persistence';
import { createWorkerApp } from '../apps/worker/src/bootstrap';

const TIMERS = Number(process.env.BENCH_TIMERS ?? 10_000);
const RECONCILE_MS = Number(process.env.BENCH_RECONCILE_MS ?? 5000);
const LEAD_MS = 15_000; // timers are due this long after insertion, time for the worker to hold their jobs

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const { port } = srv.address() as AddressInfo;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

async function until(what: string, fn: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await fn())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

async function run(config: AppConfig, redisUrl: string, flush: boolean) {
  const ds = await createDataSource(config, 'owner', 2).initialize();
  const redis = new Redis(redisUrl);
  try {
    await redis.flushall();
    const [owner] = await ds.query(`SELECT id FROM app_user WHERE email = 'researcher@example.ac.uk'`);
    const [gone] = await ds.query(`INSERT INTO app_user (email, name, roles, active) VALUES ($1, 'Bench', '{rsdo_officer}', false) RETURNING id`, [
      `bench.officer.${Date.now()}@example.ac.uk`,
    ]);
    const ref = `TR-BENCH-${Date.now()}`;
    const [c] = await ds.query(
      `INSERT INTO collaboration_case (reference, owner_id, assignee_id, state, title) VALUES ($1, $2, $3, 'approved', 'timer bench') RETURNING id`,
      [ref, owner.id, gone.id],
    );
    const [{ due }] = await ds.query(
      `WITH d AS (SELECT now() + $3 * interval '1 millisecond' AS due)
       INSERT INTO case_timer (case_id, scope, kind, due_at, status, payload)
       SELECT $1, 'case', 'condition_due', d.due, 'pending', '{}' FROM d, generate_series(1, $2)
       RETURNING due_at AS due`,
      [c.id, TIMERS, LEAD_MS],
    );
    const worker = await createWorkerApp(config, { logger: false, reconcileEveryMs: RECONCILE_MS });
    try {
      await until('the delayed jobs', async () => (await redis.keys('*:timers:timer-*')).length >= TIMERS, LEAD_MS);
      if (flush) {
        await sleep(Math.max(0, new Date(due).getTime() - Date.now() - 1000));
        await redis.flushall(); // the worker keeps running; its interval reconciler has to notice
      }
      const fired = async () => (await ds.query(`SELECT count(*)::int AS n FROM case_timer WHERE case_id = $1 AND status = 'fired'`, [c.id]))[0].n;
      await until('every timer to fire', async () => (await fired()) === TIMERS, 300_000);
      const [s] = await ds.query(
        `SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY lateness_ms)::int AS p50,
                percentile_disc(0.99) WITHIN GROUP (ORDER BY lateness_ms)::int AS p99,
                max(lateness_ms)::int AS max,
                (extract(epoch FROM max(fired_at) - min(due_at)) * 1000)::int AS "allFiredMs",
                (SELECT count(*)::int FROM outbox WHERE topic = 'timer-fired' AND case_id = $1) AS "outboxRows"
           FROM case_timer WHERE case_id = $1`,
        [c.id],
      );
      return { scenario: flush ? 'flushed' : 'normal', timers: TIMERS, reconcileEveryMs: RECONCILE_MS, ...s };
    } finally {
      await worker.close();
    }
  } finally {
    redis.disconnect();
    await ds.destroy();
  }
}

async function main(): Promise<void> {
  const port = await freePort();
  const redisProc: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'],
    { stdio: 'ignore' },
  );
  const redisUrl = `redis://127.0.0.1:${port}`;
  try {
    await sleep(500);
    const base = loadConfig({ ...process.env, REDIS_URL: redisUrl, REDIS_PREFIX: 'trbench', SMTP_URL: process.env.SMTP_URL ?? 'smtp://127.0.0.1:2525' });
    const url = new URL(base.database.url);
    url.pathname = '/tr_bench_timers';
    const config: AppConfig = { ...base, database: { ...base.database, url: url.toString() } };
    console.log('migrating the scratch database tr_bench_timers');
    await migrate(config);
    const owner = await createDataSource(config, 'owner', 2).initialize();
    await seedDemo(owner);
    await owner.destroy();
    const results = [];
    for (const flush of [false, true]) {
      const r = await run(config, redisUrl, flush);
      console.log(
        `${r.scenario}: ${r.timers} timers due at once, all fired ${r.allFiredMs} ms after due; lateness p50 ${r.p50} ms, p99 ${r.p99} ms, max ${r.max} ms (outbox rows ${r.outboxRows})`,
      );
      results.push(r);
    }
    writeFileSync(join(__dirname, 'results', 'timers.json'), JSON.stringify({ at: new Date().toISOString(), results }, null, 2) + '\n');
  } finally {
    redisProc.kill('SIGTERM');
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
