import { sealSecret } from '@app/domain';
import { createServer, connect, Server, Socket } from 'node:net';
import { INestApplicationContext } from '@nestjs/common';
import { CaseDriver, createTestApp, DEMO, eventually, SmtpSink, startWorker, TestApp } from '@app/testing';

/**
 * SMTP faults, end to end (outbox → relay → BullMQ → nodemailer → sink): a 451 is
 * retried, a 550 at RCPT fails once and flags the address, a 535 raises the operator
 * alarm and keeps deliveries pending, and an outage delays mail without losing any.
 * The worker talks to the sink through a TCP proxy that the outage test switches off.
 */
jest.setTimeout(120_000);

/** A TCP relay on a fixed port that can be taken down (refusing connections, cutting pooled ones) and brought back. */
class SwitchableProxy {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  port = 0;
  constructor(private readonly targetPort: number) {}

  async up(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.targetPort, '127.0.0.1');
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as { port: number }).port;
    this.server = server;
  }

  async down(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

describe('notifications: SMTP faults', () => {
  let sink: SmtpSink;
  let proxy: SwitchableProxy;
  let t: TestApp;
  let d: CaseDriver;
  let worker: INestApplicationContext;

  beforeAll(async () => {
    sink = await SmtpSink.start();
    proxy = new SwitchableProxy(sink.port);
    await proxy.up();
    t = await createTestApp({ SMTP_URL: `smtp://127.0.0.1:${proxy.port}` });
    d = new CaseDriver(t);
    worker = await startWorker(t.config);
  });
  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await proxy?.down();
    await sink?.close();
  });

  const newUser = async (email: string): Promise<string> =>
    (await t.owner.query(`INSERT INTO app_user (email, name, roles, active) VALUES ($1, 'Test Person', '{researcher}', true) RETURNING id`, [email]))[0].id;
  /** An invitation email through the outbox, as the admin API writes it. */
  const invite = async (userId: string) =>
    t.owner.query(`INSERT INTO outbox (topic, payload) VALUES ('user-invited', $1)`, [
      JSON.stringify({ userId, invitationId: userId, token: sealSecret(`tok-${userId}`, t.config.audit.key, 'invitation') }),
    ]);
  const deliveryOf = async (userId: string) => (await t.owner.query(`SELECT * FROM delivery WHERE recipient_user_id = $1 ORDER BY id`, [userId]))[0];
  const get = async (email: string, path: string) =>
    t
      .http()
      .get(path)
      .set('Authorization', `Bearer ${await t.token(email)}`);

  it('451 then 250: one email, the delivery sent after a retry', async () => {
    const email = 'greylist.once@example.ac.uk';
    sink.refuse(email, 451, '451 4.7.1 Greylisted, try again later', 1);
    const userId = await newUser(email);
    await invite(userId);
    const row = await eventually(
      async () => {
        const r = await deliveryOf(userId);
        return r?.status === 'sent' ? r : null;
      },
      20_000,
      'the greylisted delivery',
    );
    expect(row.attempts).toBe(2);
    expect(row.last_error).toMatch(/451/);
    await new Promise((r) => setTimeout(r, 500));
    expect(sink.to(email)).toHaveLength(1);
    expect(sink.refusals.filter((r) => r.rcpt === email).map((r) => r.code)).toEqual([451]);
  });

  it('550 at RCPT: the delivery fails, the address is flagged and shown on the case, no retry storm', async () => {
    sink.refuse(DEMO.researcher2, 550, '550 5.1.1 No such user');
    const c = await d.submitted(DEMO.researcher2);
    const researcherId = await t.userId(DEMO.researcher2);
    const row = await eventually(
      async () => {
        const r = (await t.owner.query(`SELECT * FROM delivery WHERE case_id = $1 AND recipient_user_id = $2`, [c.id, researcherId]))[0];
        return r?.status === 'failed' ? r : null;
      },
      20_000,
      'the failed delivery',
    );
    expect(row.attempts).toBe(1);
    expect(row.reason).toMatch(/recipient rejected \(550/);
    // Long enough for several retries at the test's 200 ms base: there are none.
    await new Promise((r) => setTimeout(r, 3000));
    expect(sink.refusals.filter((r) => r.rcpt === DEMO.researcher2)).toHaveLength(1);
    expect((await t.owner.query(`SELECT attempts, status FROM delivery WHERE id = $1`, [row.id]))[0]).toEqual({ attempts: 1, status: 'failed' });

    const res = await get(DEMO.officer, `/api/cases/${c.id}/notifications`);
    expect(res.status).toBe(200);
    const mine = res.body.items.find((i: { recipient: { email: string } }) => i.recipient.email === DEMO.researcher2);
    expect(mine).toMatchObject({ template: 'case-received', status: 'failed', attempts: 1, recipient: { addressFlagged: true } });
    expect(mine.recipient.flagReason).toMatch(/550/);
    expect(res.body.items.filter((i: { status: string }) => i.status === 'sent')).toHaveLength(2); // the officers
    expect((await get(DEMO.researcher2, `/api/cases/${c.id}/notifications`)).status).toBe(403);

    // The next email to the flagged address is recorded as suppressed, not attempted.
    await d.ok(DEMO.officer, c.id, 'request_information', { question: 'Who funds it?', replyBy: '2099-01-31' });
    const suppressed = await eventually(
      async () => (await t.owner.query(`SELECT status, reason FROM delivery WHERE case_id = $1 AND template = 'information-requested'`, [c.id]))[0],
      15_000,
      'the suppressed delivery',
    );
    expect(suppressed.status).toBe('suppressed');
    expect(suppressed.reason).toMatch(/flagged/);
    expect(sink.refusals.filter((r) => r.rcpt === DEMO.researcher2)).toHaveLength(1);
    sink.clearRules();
  });

  it('535: the operator is alarmed, the delivery is kept pending, and it goes once the server is fixed', async () => {
    const email = 'auth.trouble@example.ac.uk';
    sink.refuse(email, 535, '535 5.7.8 Authentication credentials invalid');
    const userId = await newUser(email);
    await invite(userId);
    const status = await eventually(
      async () => {
        const r = await get(DEMO.admin, '/api/admin/mail/status');
        return r.body.status === 'alarm' ? r.body : null;
      },
      20_000,
      'the mail alarm',
    );
    expect(status.alarms[0]).toMatchObject({ kind: 'smtp-auth', clearedAt: null });
    expect(status.alarms[0].message).toMatch(/535/);
    expect((await get(DEMO.officer, '/api/admin/mail/status')).status).toBe(403);

    await eventually(async () => (await deliveryOf(userId)).attempts >= 3, 20_000, 'a few retries');
    const row = await deliveryOf(userId);
    expect(['pending', 'sending']).toContain(row.status); // never failed, never blamed on the address
    expect((await t.owner.query(`SELECT email_flagged_at FROM app_user WHERE id = $1`, [userId]))[0].email_flagged_at).toBeNull();

    sink.clearRules(); // the operator fixes the credentials
    await eventually(async () => (await deliveryOf(userId)).status === 'sent', 30_000, 'the delivery once the server accepts');
    expect(sink.to(email)).toHaveLength(1);
    const after = await get(DEMO.admin, '/api/admin/mail/status');
    expect(after.body.status).toBe('ok');
    expect(after.body.alarms[0].clearedAt).not.toBeNull();
  });

  it('the SMTP server down for 12 s (retry base 200 ms): every email is delivered once it is back', async () => {
    const userIds: string[] = [];
    for (let i = 0; i < 20; i++) userIds.push(await newUser(`outage.${i}@example.ac.uk`));
    await proxy.down();
    const downAt = Date.now();
    for (const u of userIds) await invite(u);
    // Deliveries are attempted and retried while the server is away.
    await eventually(
      async () => {
        const [r] = await t.owner.query(`SELECT count(*)::int AS n FROM delivery WHERE recipient_user_id = ANY($1::uuid[]) AND attempts >= 2`, [userIds]);
        return r.n === userIds.length;
      },
      20_000,
      'retries during the outage',
    );
    const [midway] = await t.owner.query(`SELECT count(*)::int AS n FROM delivery WHERE recipient_user_id = ANY($1::uuid[]) AND status IN ('failed','sent')`, [
      userIds,
    ]);
    expect(midway.n).toBe(0);
    await new Promise((r) => setTimeout(r, Math.max(0, 12_000 - (Date.now() - downAt))));
    await proxy.up();
    await eventually(
      async () => {
        const [r] = await t.owner.query(`SELECT count(*)::int AS n FROM delivery WHERE recipient_user_id = ANY($1::uuid[]) AND status = 'sent'`, [userIds]);
        return r.n === userIds.length;
      },
      60_000,
      'every delivery sent after the outage',
    );
    await new Promise((r) => setTimeout(r, 500));
    for (let i = 0; i < 20; i++) expect(sink.to(`outage.${i}@example.ac.uk`)).toHaveLength(1);
  });
});
