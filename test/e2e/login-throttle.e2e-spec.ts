import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import Redis from 'ioredis';
import { DEMO_PASSWORD } from '@app/persistence';
import { createTestApp, DEMO, releaseTestDatabase, TestApp, testQueueBackend } from '@app/testing';

/**
 * Sign-in throttling (docs/security.md): counted atomically before the password check,
 * slowing an account down rather than locking the right password out, and still there
 * when Redis is not. Runs on both queue backends (jest.config.js), so both stores.
 */
const LIMIT = 5;

async function guessInParallel(t: TestApp, email: string, n: number): Promise<Map<number, number>> {
  const statuses = await Promise.all(
    Array.from({ length: n }, (_, i) =>
      t
        .http()
        .post('/api/auth/login')
        .send({ email, password: `wrong-guess-${i}` })
        .then((r) => r.status),
    ),
  );
  const counts = new Map<number, number>();
  for (const s of statuses) counts.set(s, (counts.get(s) ?? 0) + 1);
  return counts;
}

describe('sign-in throttle', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ LOGIN_MAX_ATTEMPTS: String(LIMIT) });
  });
  afterAll(() => t.close());

  it('60 parallel wrong guesses on one account: at most the limit are checked, the rest refused before the password check', async () => {
    const counts = await guessInParallel(t, DEMO.researcher, 60);
    expect(counts.get(401) ?? 0).toBeLessThanOrEqual(LIMIT);
    expect((counts.get(401) ?? 0) + (counts.get(429) ?? 0)).toBe(60);
    expect(counts.get(429)).toBeGreaterThanOrEqual(60 - LIMIT);
  });

  it('slows the account rather than locking it: after the delay the right password signs in', async () => {
    const now = await t.http().post('/api/auth/login').send({ email: DEMO.researcher, password: DEMO_PASSWORD });
    expect(now.status).toBe(429);
    expect(now.body.details.retryAfterSeconds).toBeGreaterThan(0);
    expect(now.body.details.retryAfterSeconds).toBeLessThanOrEqual(5);
    await new Promise((r) => setTimeout(r, now.body.details.retryAfterSeconds * 1000 + 200));
    const later = await t.http().post('/api/auth/login').send({ email: DEMO.researcher, password: DEMO_PASSWORD });
    expect(later.status).toBe(200);
  });

  it('a success forgets the failures; the delay doubles with each further failure', async () => {
    // researcher signed in above: their failures are forgotten.
    expect((await t.http().post('/api/auth/login').send({ email: DEMO.researcher, password: 'wrong' })).status).toBe(401);
    for (let i = 0; i < LIMIT; i++) expect((await t.http().post('/api/auth/login').send({ email: DEMO.researcher2, password: 'wrong' })).status).toBe(401);
    const first = await t.http().post('/api/auth/login').send({ email: DEMO.researcher2, password: 'wrong' });
    expect(first.status).toBe(429);
    expect(first.body.details.retryAfterSeconds).toBeLessThanOrEqual(5);
    await new Promise((r) => setTimeout(r, first.body.details.retryAfterSeconds * 1000 + 200));
    expect((await t.http().post('/api/auth/login').send({ email: DEMO.researcher2, password: 'wrong' })).status).toBe(401);
    const second = await t.http().post('/api/auth/login').send({ email: DEMO.researcher2, password: DEMO_PASSWORD });
    expect(second.status).toBe(429);
    expect(second.body.details.retryAfterSeconds).toBeGreaterThan(5);
    expect(second.body.details.retryAfterSeconds).toBeLessThanOrEqual(10);
  }, 30_000);
});

/** Blocks this process's event loop (the API runs in it) for `ms`, as a loaded machine or a long GC pause does. */
function stall(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end);
}

// Redis first, PostgreSQL when Redis does not answer: the redis backend's store (the postgres backend has no fallback to fool).
if (testQueueBackend() === 'redis')
  describe('sign-in throttle while the API process stalls', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ LOGIN_MAX_ATTEMPTS: String(LIMIT) });
    });
    afterAll(() => t.close());

    it('60 parallel wrong guesses while the API process stalls with reservations in flight: still at most the limit are checked', async () => {
      // Redis's MONITOR shows when the API's reservations reach Redis; the test process (the API runs in it)
      // then blocks its event loop for longer than the fallback store's timeout (1 s), as a loaded machine
      // does, so answers arrive while it cannot read them. Three stalls: 3.6 s in all, under the 5 s delay
      // that would let a sixth guess through by the policy itself.
      const client = new Redis(t.config.redis.url);
      const monitor = await client.monitor();
      let seen = 0;
      let stalls = 0;
      monitor.on('monitor', (_time: string, args: string[]) => {
        if (args[0]?.toLowerCase() !== 'eval' || !args.some((a) => a.includes(DEMO.lead))) return;
        // Past the limit: the reservations Redis refuses are the ones a slow answer must not turn into checks.
        if (++seen > LIMIT && stalls < 3) {
          stalls++;
          setImmediate(() => stall(1200));
        }
      });
      const counts = await guessInParallel(t, DEMO.lead, 60);
      monitor.disconnect();
      client.disconnect();
      expect(stalls).toBeGreaterThan(0);
      expect(counts.get(401) ?? 0).toBeLessThanOrEqual(LIMIT);
      expect((counts.get(401) ?? 0) + (counts.get(429) ?? 0)).toBe(60);
    }, 60_000);
  });

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

describe('sign-in while Redis is unreachable', () => {
  let t: TestApp;
  let redis: ChildProcess;
  beforeAll(async () => {
    // A private redis-server the API boots against (it refuses to boot without one), stopped before the test.
    const port = await freePort();
    redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    for (let i = 0; ; i++) {
      const probe = new Redis(port, '127.0.0.1', { lazyConnect: true, retryStrategy: () => null });
      probe.on('error', () => undefined);
      const up = await probe
        .connect()
        .then(() => probe.ping())
        .then(
          () => true,
          () => false,
        );
      probe.disconnect();
      if (up) break;
      if (i > 100) throw new Error('the private redis-server did not start');
      await new Promise((r) => setTimeout(r, 50));
    }
    t = await createTestApp({ LOGIN_MAX_ATTEMPTS: String(LIMIT), REDIS_URL: `redis://127.0.0.1:${port}` });
    redis.kill('SIGKILL');
    await new Promise((r) => redis.once('exit', r));
  });
  afterAll(async () => {
    // TestApp.close() would clean keys in the stopped Redis.
    if (redis && redis.exitCode === null) redis.kill('SIGKILL');
    await t?.app.close();
    await t?.owner.destroy();
    if (t) await releaseTestDatabase(t.dbName);
  });

  it('signs in, and still throttles parallel guesses', async () => {
    const ok = await t.http().post('/api/auth/login').send({ email: DEMO.officer, password: DEMO_PASSWORD });
    expect(ok.status).toBe(200);
    const counts = await guessInParallel(t, DEMO.officer, 30);
    expect(counts.get(401) ?? 0).toBeLessThanOrEqual(LIMIT);
    expect(counts.get(429)).toBeGreaterThanOrEqual(30 - LIMIT);
    const [row] = await t.owner.query(`SELECT count FROM login_attempt WHERE key = $1`, [`email:${DEMO.officer}`]);
    expect(row.count).toBe(LIMIT);
  });
});
