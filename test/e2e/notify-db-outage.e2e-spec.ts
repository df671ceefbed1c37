import { INestApplicationContext, Logger } from '@nestjs/common';
import { Client } from 'pg';
import { CaseDriver, createTestApp, DEMO, eventually, SmtpSink, startWorker, TestApp } from '@app/testing';

jest.setTimeout(120_000);

/**
 * PostgreSQL unavailable between the mail server's 250 and "mark sent": the worker keeps
 * retrying the update until the database answers, says so in its log, and the message is
 * not sent a second time. The outage is real: the test database stops accepting
 * connections (ALLOW_CONNECTIONS false) and the worker's connections are terminated,
 * while the SMTP sink holds its reply; 3 s later the database is back.
 */
describe('notifications: database outage between SMTP accept and mark-sent', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let d: CaseDriver;
  let worker: INestApplicationContext;
  const warnings: string[] = [];
  /** A statement on the cluster's maintenance database (a database cannot refuse connections to itself). */
  const admin = async (sql: string, params: unknown[] = []) => {
    const url = new URL(t.config.database.url);
    url.pathname = '/postgres';
    const c = new Client({ connectionString: url.toString() });
    await c.connect();
    try {
      return (await c.query(sql, params)).rows;
    } finally {
      await c.end();
    }
  };
  /** The outage's end, awaited before the file ends so nothing runs after jest tears it down. */
  let back: Promise<unknown> | null = null;

  beforeAll(async () => {
    sink = await SmtpSink.start();
    t = await createTestApp({ SMTP_URL: sink.url });
    d = new CaseDriver(t);
    // The worker's Nest logger is off in tests; its warnings are still calls on Logger.
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(function (this: Logger, message: unknown) {
      warnings.push(String(message));
    });
    worker = await startWorker(t.config);
  });
  afterAll(async () => {
    await back?.catch(() => undefined);
    if (t) await admin(`ALTER DATABASE "${t.dbName}" WITH ALLOW_CONNECTIONS true`).catch(() => undefined);
    await worker?.close();
    await t?.close();
    await sink?.close();
    jest.restoreAllMocks();
  });

  it('marks the message sent once the database is back, and sends it once', async () => {
    const appUser = t.config.database.appUser;
    let cut = false;
    sink.beforeAccept = async (mail) => {
      if (cut || !mail.to.includes(DEMO.researcher)) return;
      cut = true;
      // Down: no new connections to this database, the app role's connections cut.
      await admin(`ALTER DATABASE "${t.dbName}" WITH ALLOW_CONNECTIONS false`);
      // From the maintenance database: a new connection to this one is refused from now on.
      const killed = await admin(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND usename = $2`, [t.dbName, appUser]);
      expect(killed.length).toBeGreaterThan(0);
      // Back in 3 s; the 250 goes out now, into the outage.
      back = new Promise((r) => setTimeout(r, 3_000)).then(() => admin(`ALTER DATABASE "${t.dbName}" WITH ALLOW_CONNECTIONS true`));
    };

    const c = await d.submitted(DEMO.researcher);
    const subject = `[${c.reference}] We have received your case`;
    await eventually(async () => cut, 30_000, 'the receipt email to reach the sink');

    const [row] = await eventually(
      async () => {
        const rows = await t.owner.query(
          `SELECT id, status, message_id AS "messageId", attempts FROM delivery WHERE case_id = $1 AND template = 'case-received' AND status = 'sent'`,
          [c.id],
        );
        return rows.length ? rows : null;
      },
      30_000,
      'the receipt delivery to be marked sent',
    );
    expect(row.status).toBe('sent');

    // Longer than the sending lease (5 s in tests) and a sweep: no second copy comes.
    await new Promise((r) => setTimeout(r, 8_000));
    const copies = sink.messages.filter((m) => m.subject === subject);
    expect(copies).toHaveLength(1);
    expect(copies[0].messageId).toBe(row.messageId);
    expect(row.attempts).toBe(1);
    const ids = sink.messages.map((m) => `${m.messageId} ${m.to.join(',')}`);
    expect(new Set(ids).size).toBe(ids.length); // nothing at all arrived twice
    expect(warnings.some((w) => w.includes(`delivery ${row.id} was accepted by the mail server but marking it sent failed`))).toBe(true);
    expect(warnings.some((w) => new RegExp(`delivery ${row.id}: marked sent after waiting \\d+ ms for the database`).test(w))).toBe(true);
  });
});
