import { sealSecret } from '@app/domain';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';
import { createDataSource } from '@app/persistence';
import { createTestDatabase, dropTestDatabase, eventually, SmtpSink, spawnWorker, testConfig, workerEnv } from '@app/testing';

jest.setTimeout(240_000);

const N = 200;

/**
 * The worker as a child process (apps/worker/src/main.ts, default periods), SIGKILLed
 * mid-flight and started again: every delivery ends `sent`. A crash between the SMTP
 * server's "250 accepted" and the status update can legitimately send a message twice
 * (same Message-ID); the test measures and prints that instead of hiding it.
 */
describe('worker: SIGKILL mid-flight, then restart', () => {
  let sink: SmtpSink;
  let dbName: string;
  let config: AppConfig;
  let owner: DataSource;
  const children: ReturnType<typeof spawnWorker>[] = [];

  beforeAll(async () => {
    sink = await SmtpSink.start();
    dbName = await createTestDatabase();
    config = testConfig(dbName, { SMTP_URL: sink.url });
    owner = createDataSource(config, 'owner', 2);
    await owner.initialize();
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await owner?.destroy();
    const r = new Redis(config.redis.url);
    const keys = await r.keys(`${config.redis.keyPrefix}:*`);
    if (keys.length) await r.del(...keys);
    r.disconnect();
    await dropTestDatabase(dbName);
    await sink?.close();
  });

  const counts = async () => {
    const rows: { status: string; n: number }[] = await owner.query(`SELECT status, count(*)::int AS n FROM delivery GROUP BY status`);
    return Object.fromEntries(rows.map((r) => [r.status, r.n])) as Record<string, number>;
  };

  it(`delivers all ${N} emails across a crash, each Message-ID once (duplicates measured)`, async () => {
    // N invited users, N outbox rows: the relay turns them into N deliveries.
    const users: { id: string }[] = await owner.query(
      `INSERT INTO app_user (email, name, roles) SELECT 'kill' || g || '@example.ac.uk', 'Person ' || g, '{researcher}' FROM generate_series(1, $1) g RETURNING id`,
      [N],
    );
    await owner.query(
      `INSERT INTO outbox (topic, payload) SELECT 'user-invited', jsonb_build_object('userId', u, 'invitationId', 'i', 'token', $2::jsonb) FROM unnest($1::uuid[]) u`,
      // Producers seal invitation tokens (the relay refuses a plain one).
      [users.map((u) => u.id), JSON.stringify(sealSecret('t', config.audit.key, 'invitation'))],
    );

    const env = workerEnv(config, sink.url);
    const first = spawnWorker(env);
    children.push(first);
    const t0 = Date.now();
    await eventually(
      async () => sink.messages.length >= 40 || (first.exitCode !== null ? Promise.reject(new Error(`worker exited: ${first.output()}`)) : false),
      60_000,
      'the first 40 emails',
    );
    const firstMailAt = Math.min(...sink.messages.map((m) => m.receivedAt));
    first.kill('SIGKILL');
    const killedAt = Date.now();
    const atKill = sink.messages.length;
    await new Promise((r) => first.once('exit', r));
    const statusAtKill = await counts();

    const second = spawnWorker(env);
    children.push(second);
    await eventually(async () => (await counts()).sent === N, 180_000, `all ${N} deliveries sent (now ${JSON.stringify(await counts())})`);
    const doneAt = Date.now();
    await new Promise((r) => setTimeout(r, 1000));

    const byId = new Map<string, number>();
    for (const m of sink.messages) byId.set(m.messageId, (byId.get(m.messageId) ?? 0) + 1);
    const duplicates = [...byId.entries()].filter(([, n]) => n > 1);
    const rows: { message_id: string; attempts: number }[] = await owner.query(`SELECT message_id, attempts FROM delivery`);
    const report = {
      deliveries: N,
      startupToFirstMailMs: firstMailAt - t0,
      sentBeforeKill: atKill,
      firstRunRatePerSec: Math.round((atKill / Math.max(1, killedAt - firstMailAt)) * 1000),
      statusAtKill,
      recoveryMs: doneAt - killedAt,
      received: sink.messages.length,
      distinctMessageIds: byId.size,
      duplicates: duplicates.map(([id, n]) => ({ id, n })),
      rowsWithMoreThanOneAttempt: rows.filter((r) => r.attempts > 1).length,
    };
    console.log(`kill test: ${JSON.stringify(report)}`);

    expect(byId.size).toBe(N);
    expect(new Set(rows.map((r) => r.message_id))).toEqual(new Set(byId.keys()));
    // Only rows caught between SMTP accept and the status update may arrive twice: at most the in-flight ones.
    expect(duplicates.length).toBeLessThanOrEqual(statusAtKill.sending ?? 0);

    // Graceful shutdown: SIGTERM lets the second worker finish and exit 0.
    const exit = new Promise<number | null>((r) => second.once('exit', (code) => r(code)));
    second.kill('SIGTERM');
    expect(await exit).toBe(0);
  });
});
