import { ChildProcess, spawn } from 'node:child_process';
import { AddressInfo, createServer } from 'node:net';
import { INestApplicationContext } from '@nestjs/common';
import Redis from 'ioredis';
import { createTestApp, DEMO, eventually, SmtpSink, startWorker, TestApp } from '@app/testing';

jest.setTimeout(240_000);

const TIMERS = 1000;
// Redis only: jest.config.js leaves this file out of the PostgreSQL-queue project.

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const { port } = srv.address() as AddressInfo;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/**
 * Fault test: Redis loses everything (FLUSHALL) while 1,000 timers are pending, and the
 * worker restarts. Postgres holds the truth, so the reconciler re-creates every job:
 * each timer fires exactly once. Runs on a private redis-server on its own port, never
 * the shared one other test files use.
 */
describe('SLA: timers survive a Redis FLUSHALL', () => {
  let redisProc: ChildProcess;
  let redisUrl: string;
  let sink: SmtpSink;
  let t: TestApp;
  let worker: INestApplicationContext | null = null;

  beforeAll(async () => {
    const port = await freePort();
    redisProc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], {
      stdio: 'ignore',
    });
    redisUrl = `redis://127.0.0.1:${port}`;
    await eventually(
      async () => {
        const r = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
        try {
          await r.connect();
          return (await r.ping()) === 'PONG';
        } catch {
          return false;
        } finally {
          r.disconnect();
        }
      },
      10_000,
      'the private redis-server',
    );
    sink = await SmtpSink.start();
    t = await createTestApp({ SMTP_URL: sink.url, REDIS_URL: redisUrl });
  });
  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await sink?.close();
    redisProc?.kill('SIGTERM');
  });

  it(`fires each of ${TIMERS} pending timers exactly once after FLUSHALL and a worker restart`, async () => {
    // One approved-style case whose officer is inactive: the emails are recorded as suppressed, not sent.
    const [owner] = await t.owner.query(`SELECT id FROM app_user WHERE email = $1`, [DEMO.researcher]);
    const [gone] = await t.owner.query(
      `INSERT INTO app_user (email, name, roles, active) VALUES ('gone.officer@example.ac.uk', 'Gone', '{rsdo_officer}', false) RETURNING id`,
    );
    const [c] = await t.owner.query(
      `INSERT INTO collaboration_case (reference, owner_id, assignee_id, state, title) VALUES ('TR-2026-99999', $1, $2, 'approved', 'flush') RETURNING id`,
      [owner.id, gone.id],
    );
    await t.owner.query(
      `INSERT INTO case_timer (case_id, scope, kind, due_at, status, payload)
       SELECT $1, 'case', 'condition_due', now() + interval '6 seconds' + (g % 100) * interval '20 milliseconds', 'pending', '{}'
         FROM generate_series(1, $2) g`,
      [c.id, TIMERS],
    );

    worker = await startWorker(t.config);
    const redis = new Redis(redisUrl);
    try {
      // The reconciler has given every timer its delayed job …
      await eventually(async () => (await redis.keys('*:timers:timer-*')).length >= TIMERS, 20_000, 'the delayed jobs');
      // … the worker stops, Redis loses everything (jobs, schedulers), and the worker starts again.
      await worker.close();
      worker = null;
      await redis.flushall();
      expect(await redis.dbsize()).toBe(0);
    } finally {
      redis.disconnect();
    }
    worker = await startWorker(t.config);
    const restartedAt = Date.now();

    await eventually(
      async () => {
        const [r] = await t.owner.query(`SELECT count(*)::int AS n FROM case_timer WHERE case_id = $1 AND status = 'fired'`, [c.id]);
        return r.n === TIMERS;
      },
      120_000,
      `all ${TIMERS} timers to fire`,
    );
    const allFiredMs = Date.now() - restartedAt;
    await new Promise((r) => setTimeout(r, 1500)); // any duplicate job would run now

    const [once] = await t.owner.query(
      `SELECT count(*)::int AS outbox, count(DISTINCT payload->>'timerId')::int AS timers FROM outbox WHERE topic = 'timer-fired' AND case_id = $1`,
      [c.id],
    );
    expect(once).toEqual({ outbox: TIMERS, timers: TIMERS });
    const [lateness] = await t.owner.query(
      `SELECT max(lateness_ms)::int AS worst, percentile_disc(0.5) WITHIN GROUP (ORDER BY lateness_ms)::int AS p50,
              percentile_disc(0.99) WITHIN GROUP (ORDER BY lateness_ms)::int AS p99
         FROM case_timer WHERE case_id = $1`,
      [c.id],
    );
    console.log(
      `FLUSHALL: ${TIMERS} timers fired once each, all fired ${allFiredMs} ms after the restart; lateness p50 ${lateness.p50} ms, p99 ${lateness.p99} ms, worst ${lateness.worst} ms`,
    );
    expect(lateness.worst).toBeLessThan(30_000);
  });
});
