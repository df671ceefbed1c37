import { Client } from 'pg';
import { PgListener } from '@app/persistence';
import { createTestDatabase, dbUrl, releaseTestDatabase, eventually, withAdminClient } from '@app/testing';

jest.setTimeout(60_000);

/**
 * PgListener (libs/persistence), the one LISTEN loop of the worker (outbox relay, timer
 * wake-up), against the real PostgreSQL: it hears NOTIFY, survives its connection being
 * terminated and the database refusing connections, backs off while it is down, says so
 * once, and tells its owner when it is back so the owner can catch up.
 */
describe('PgListener', () => {
  let db: string;
  const notify = async (payload: string) => {
    const c = new Client({ connectionString: dbUrl(db) });
    await c.connect();
    try {
      await c.query(`SELECT pg_notify('pg_listener_test', $1)`, [payload]);
    } finally {
      await c.end();
    }
  };
  const terminate = () =>
    withAdminClient((c) =>
      c.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = 'pg-listener-test'`, [db]),
    );

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await withAdminClient((c) => c.query(`ALTER DATABASE "${db}" WITH ALLOW_CONNECTIONS true`)).catch(() => undefined);
    await releaseTestDatabase(db);
  });

  function listener(extra: { retryMs?: number; maxRetryMs?: number } = {}) {
    const heard: string[] = [];
    const lines: string[] = [];
    let reconnects = 0;
    const l = new PgListener({
      url: dbUrl(db),
      channel: 'pg_listener_test',
      applicationName: 'pg-listener-test',
      onNotify: (p) => heard.push(p),
      onReconnect: () => {
        reconnects += 1;
      },
      logger: { warn: (m) => lines.push(`warn ${m}`), log: (m) => lines.push(`log ${m}`) },
      fallback: 'polling',
      retryMs: 100,
      maxRetryMs: 400,
      ...extra,
    });
    return { l, heard, lines, reconnects: () => reconnects };
  }

  it('hears notifications, and after its connection is cut, comes back, says so and calls onReconnect', async () => {
    const { l, heard, lines, reconnects } = listener();
    await l.start();
    expect(l.listening).toBe(true);
    await notify('one');
    await eventually(async () => heard.includes('one'), 5_000, 'the first notification');
    expect(reconnects()).toBe(0);

    await terminate();
    await eventually(
      async () => lines.some((m) => /^warn LISTEN pg_listener_test connection lost \(.+\); polling until it is back$/.test(m)),
      5_000,
      'the lost line',
    );
    await eventually(async () => reconnects() === 1, 10_000, 'the reconnect');
    expect(l.listening).toBe(true);
    expect(lines).toContain('log LISTEN pg_listener_test is back');
    await notify('two');
    await eventually(async () => heard.includes('two'), 5_000, 'a notification after the reconnect');
    await l.stop();
    expect(l.listening).toBe(false);
    await notify('three');
    await new Promise((r) => setTimeout(r, 300));
    expect(heard).toEqual(['one', 'two']);
  });

  it('keeps trying with backoff while the database refuses connections, logging the failure once', async () => {
    await withAdminClient((c) => c.query(`ALTER DATABASE "${db}" WITH ALLOW_CONNECTIONS false`));
    const { l, lines, reconnects } = listener({ retryMs: 100, maxRetryMs: 200 });
    await l.start(); // does not throw: it keeps trying in the background
    expect(l.listening).toBe(false);
    await new Promise((r) => setTimeout(r, 1_200)); // several attempts
    expect(lines.filter((m) => m.startsWith('warn LISTEN pg_listener_test failed'))).toHaveLength(1);
    expect(reconnects()).toBe(0);

    await withAdminClient((c) => c.query(`ALTER DATABASE "${db}" WITH ALLOW_CONNECTIONS true`));
    await eventually(async () => reconnects() === 1, 10_000, 'the listener to come back after the outage');
    expect(l.listening).toBe(true);
    await l.stop();
  });

  it('stops trying once stopped, even while it is down', async () => {
    await withAdminClient((c) => c.query(`ALTER DATABASE "${db}" WITH ALLOW_CONNECTIONS false`));
    const { l, reconnects } = listener();
    await l.start();
    await l.stop();
    await withAdminClient((c) => c.query(`ALTER DATABASE "${db}" WITH ALLOW_CONNECTIONS true`));
    await new Promise((r) => setTimeout(r, 600));
    expect(l.listening).toBe(false);
    expect(reconnects()).toBe(0);
  });
});
