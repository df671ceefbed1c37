import { sealSecret } from '@app/domain';
/**
 * `npm run bench:queues`: the same workload on both queue backends, in one run.
 *
 * For each backend (Redis, then BullMQ's PostgreSQL backend) on a scratch database:
 *  1. throughput: N outbox rows (invitations) committed at once; the worker's outbox
 *     relay turns them into deliveries and enqueues `send-email-batch` jobs, the mail processor
 *     sends them to an in-process SMTP sink. Jobs per second = N / (last `sent` - insert).
 *  2. timer lateness: M pending timers due 3 to 8 s ahead, enqueued by one reconcile as
 *     delayed `fire-timer` jobs; lateness (fired_at - due_at, by the database clock) as
 *     the timer processor records it: p50, p99, max.
 * The worker runs in this process with its production periods. Results go to
 * bench/results/queue-backends.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { INestApplicationContext } from '@nestjs/common';
import { Client } from 'pg';
import Redis from 'ioredis';
import { AppConfig, loadConfig, QueueBackendKind } from '@app/config';
import { createDataSource, migrate, seedDemo } from '@app/persistence';
import { SmtpSink } from '@app/testing';
import { createWorkerApp } from '../apps/worker/src/bootstrap';
import { TimerService } from '../apps/worker/src/timers/timer.service';

const N = Number(process.env.BENCH_JOBS ?? 1000);
const M = Number(process.env.BENCH_TIMERS ?? 300);
const ADMIN = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

async function admin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: ADMIN });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

interface Result {
  backend: QueueBackendKind;
  jobs: number;
  jobsPerSecond: number;
  throughputSeconds: number;
  timers: number;
  latenessMs: { p50: number; p99: number; max: number };
}

async function runOne(backend: QueueBackendKind): Promise<Result> {
  const db = `tr_bench_queues_${backend}_${Date.now().toString(36)}`;
  await admin((c) => c.query(`CREATE DATABASE "${db}"`));
  const url = new URL(ADMIN);
  url.pathname = `/${db}`;
  const sink = await SmtpSink.start();
  const config: AppConfig = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: url.toString(),
    REDIS_URL,
    REDIS_PREFIX: `trbench-${db}`,
    QUEUE_BACKEND: backend,
    SMTP_URL: sink.url,
    JWT_SECRET: 'bench-secret-that-is-long-enough-0123456789',
    PUBLIC_URL: 'http://localhost:3000',
  });
  await migrate(config);
  const owner = createDataSource(config, 'owner', 4);
  await owner.initialize();
  await seedDemo(owner);
  let worker: INestApplicationContext | undefined;
  try {
    worker = await createWorkerApp(config, { logger: false });
    await sleep(1000); // let the first reconcile and sweep pass

    // 1. Throughput through the relay and the mail processor.
    const users: { id: string }[] = await owner.query(
      `INSERT INTO app_user (email, name, roles) SELECT 'bench' || g || '@example.ac.uk', 'Person ' || g, '{researcher}' FROM generate_series(1, $1) g RETURNING id`,
      [N],
    );
    const t0 = Date.now();
    await owner.query(
      `INSERT INTO outbox (topic, payload) SELECT 'user-invited', jsonb_build_object('userId', u, 'invitationId', 'i', 'token', $2::jsonb) FROM unnest($1::uuid[]) u`,
      // Producers seal invitation tokens (the relay refuses a plain one).
      [users.map((u) => u.id), JSON.stringify(sealSecret('t', config.audit.key, 'invitation'))],
    );
    for (;;) {
      const [{ n }] = await owner.query(`SELECT count(*)::int AS n FROM delivery WHERE status = 'sent'`);
      if (n >= N) break;
      if (Date.now() - t0 > 600_000) throw new Error(`${backend}: only ${n} of ${N} sent after 10 minutes`);
      await sleep(50);
    }
    const [{ last }] = await owner.query(`SELECT extract(epoch FROM max(sent_at)) * 1000 AS last FROM delivery`);
    const throughputSeconds = (Number(last) - t0) / 1000;

    // 2. Timer lateness: reminders of a submitted case, due 3 to 8 s ahead.
    const [researcher] = await owner.query(`SELECT id FROM app_user WHERE email = 'researcher@example.ac.uk'`);
    const [c] = await owner.query(
      `INSERT INTO collaboration_case (reference, title, owner_id, state, submitted_at) VALUES ('TR-BENCH-1', 'Bench', $1, 'submitted', now()) RETURNING id, stage_entered_at`,
      [researcher.id],
    );
    await owner.query(
      `INSERT INTO case_timer (case_id, scope, stage, stage_entered_at, kind, due_at)
       SELECT $1, 'stage', 'submitted', $2, 'triage_reminder', now() + make_interval(secs => 3 + 5 * g::float8 / $3) FROM generate_series(1, $3) g`,
      [c.id, c.stage_entered_at, M],
    );
    await worker.get(TimerService).reconcile();
    const tTimers = Date.now();
    for (;;) {
      const [{ n }] = await owner.query(`SELECT count(*)::int AS n FROM case_timer WHERE case_id = $1 AND status <> 'pending'`, [c.id]);
      if (n >= M) break;
      if (Date.now() - tTimers > 180_000) throw new Error(`${backend}: only ${n} of ${M} timers fired after 3 minutes`);
      await sleep(100);
    }
    const rows: { l: number }[] = await owner.query(`SELECT lateness_ms AS l FROM case_timer WHERE case_id = $1 ORDER BY lateness_ms`, [c.id]);
    const lat = rows.map((r) => Number(r.l));
    return {
      backend,
      jobs: N,
      jobsPerSecond: Math.round(N / throughputSeconds),
      throughputSeconds: Math.round(throughputSeconds * 100) / 100,
      timers: M,
      latenessMs: { p50: pct(lat, 50), p99: pct(lat, 99), max: lat[lat.length - 1] },
    };
  } finally {
    await worker?.close();
    await owner.destroy();
    await sink.close();
    await admin((c) => c.query(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`));
    if (backend === 'redis') {
      const r = new Redis(REDIS_URL);
      const keys = await r.keys(`${config.redis.keyPrefix}:*`);
      if (keys.length) await r.del(...keys);
      r.disconnect();
    }
  }
}

async function main(): Promise<void> {
  const results: Result[] = [];
  for (const backend of ['redis', 'postgres'] as const) {
    console.log(`${backend}: ${N} emails through relay + mail processor, then ${M} timers...`);
    const r = await runOne(backend);
    console.log(
      `  ${r.jobsPerSecond} jobs/s (${r.throughputSeconds} s); timer lateness p50 ${r.latenessMs.p50} ms, p99 ${r.latenessMs.p99} ms, max ${r.latenessMs.max} ms`,
    );
    results.push(r);
  }
  const [redis, pg] = results;
  const summary = {
    when: new Date().toISOString(),
    machine: `${require('node:os').cpus().length} cores, node ${process.version}`,
    results,
    ratio: {
      jobsPerSecondPostgresOverRedis: Math.round((pg.jobsPerSecond / redis.jobsPerSecond) * 100) / 100,
      latenessP99PostgresOverRedis: redis.latenessMs.p99 ? Math.round((pg.latenessMs.p99 / redis.latenessMs.p99) * 100) / 100 : null,
    },
  };
  console.log(JSON.stringify(summary.ratio));
  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'queue-backends.json'), JSON.stringify(summary, null, 2) + '\n');
  console.log(`written to bench/results/queue-backends.json`);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
