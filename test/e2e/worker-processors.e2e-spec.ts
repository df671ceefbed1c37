import { INestApplicationContext } from '@nestjs/common';
import { sealSecret } from '@app/domain';
import { CaseDriver, DEMO, eventually, SmtpSink, startMailingWorker, stopMailingWorker, TestApp } from '@app/testing';
import { DeliveryService } from '../../apps/worker/src/deliveries/delivery.service';
import { OutboxRelay } from '../../apps/worker/src/relay/outbox-relay.service';
import { TimerService } from '../../apps/worker/src/timers/timer.service';

jest.setTimeout(60_000);

/** Timer processor, delivery idempotency and SMTP failure handling, on real PostgreSQL, Redis and an SMTP sink. */
describe('worker: timers and deliveries', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let d: CaseDriver;
  let worker: INestApplicationContext;

  beforeAll(async () => {
    ({ sink, t, d, worker } = await startMailingWorker());
  });
  afterAll(() => stopMailingWorker({ sink, t, worker }));

  const triageTimer = async (caseId: string): Promise<string> =>
    (await t.owner.query(`SELECT id FROM case_timer WHERE case_id = $1 AND kind = 'triage_reminder'`, [caseId]))[0].id;

  /** A user of its own, so flagging or deactivating it cannot disturb other tests. */
  const newUser = async (email: string, active = true): Promise<string> =>
    (await t.owner.query(`INSERT INTO app_user (email, name, roles, active) VALUES ($1, 'Test Person', '{researcher}', $2) RETURNING id`, [email, active]))[0]
      .id;

  /** A delivery the relay does not own (its outbox row is already done), for driving the mail processor directly. */
  const rawDelivery = async (userId: string, email: string): Promise<string> => {
    const [o] = await t.owner.query(`INSERT INTO outbox (topic, payload, status) VALUES ('test', '{}', 'done') RETURNING id`);
    const [row] = await t.owner.query(
      `INSERT INTO delivery (outbox_id, recipient_user_id, recipient_email, template, context)
       VALUES ($1, $2, $3, 'user-invited', $4) RETURNING id`,
      [o.id, userId, email, JSON.stringify({ recipientName: 'Test Person', inviteUrl: 'http://localhost:3000/accept-invitation?token=x' })],
    );
    return String(row.id);
  };
  const delivery = async (id: string) => (await t.owner.query(`SELECT * FROM delivery WHERE id = $1`, [id]))[0];

  it('fires a due timer once: reminder to the officers of an unassigned case, lateness recorded', async () => {
    const c = await d.submitted(DEMO.researcher);
    const timerId = await triageTimer(c.id);
    // The policy says P2D; tests make it due in a second instead, by the database clock.
    await t.owner.query(`UPDATE case_timer SET due_at = now() + interval '1 second' WHERE id = $1`, [timerId]);

    await sink.waitFor((ms) => ms.filter((m) => m.subject === `[${c.reference}] Reminder: triage reminder`).length === 2, 15_000, 'two reminders');
    const reminders = sink.messages.filter((m) => m.subject === `[${c.reference}] Reminder: triage reminder`);
    expect(reminders.map((m) => m.to[0]).sort()).toEqual([DEMO.officer, DEMO.officer2].sort());
    expect(reminders[0].text).toContain(`/cases/${c.id}`);

    const [timer] = await t.owner.query(`SELECT status, lateness_ms FROM case_timer WHERE id = $1`, [timerId]);
    expect(timer.status).toBe('fired');
    expect(timer.lateness_ms).toBeGreaterThanOrEqual(0);
    expect(timer.lateness_ms).toBeLessThan(5000);

    // A second run (a duplicate job, a reconciler race) does nothing.
    expect(await worker.get(TimerService).fire(timerId)).toBe('not-pending');
    const fired = await t.owner.query(`SELECT count(*)::int AS n FROM outbox WHERE topic = 'timer-fired' AND payload->>'timerId' = $1`, [String(timerId)]);
    expect(fired[0].n).toBe(1);
  });

  it('does nothing for a timer whose case moved on, or that is not due yet', async () => {
    const timers = worker.get(TimerService);
    const c = await d.submitted(DEMO.researcher);
    const timerId = await triageTimer(c.id);
    expect(await timers.fire(timerId)).toBe('not-due'); // due in two days

    await d.ok(DEMO.researcher, c.id, 'withdraw', {});
    const [cancelled] = await t.owner.query(`SELECT status FROM case_timer WHERE id = $1`, [timerId]);
    expect(cancelled.status).toBe('cancelled');
    await t.owner.query(`UPDATE case_timer SET due_at = now() - interval '1 second' WHERE id = $1`, [timerId]);
    expect(await timers.fire(timerId)).toBe('not-pending');

    // Even a timer left pending by mistake does not act once its stage is over.
    await t.owner.query(`UPDATE case_timer SET status = 'pending', cancelled_at = NULL WHERE id = $1`, [timerId]);
    expect(await timers.fire(timerId)).toBe('stage-left');
    await t.owner.query(`UPDATE case_timer SET status = 'cancelled' WHERE id = $1`, [timerId]);
    const fired = await t.owner.query(`SELECT count(*)::int AS n FROM outbox WHERE topic = 'timer-fired' AND case_id = $1`, [c.id]);
    expect(fired[0].n).toBe(0);
  });

  it('sends one email when the same delivery job runs twice, even at the same time', async () => {
    const deliveries = worker.get(DeliveryService);
    const userId = await newUser('twice@example.ac.uk');
    const id = await rawDelivery(userId, 'twice@example.ac.uk');
    const results = await Promise.allSettled([deliveries.send(id, false), deliveries.send(id, false)]);
    const sent = results.filter((r) => r.status === 'fulfilled' && r.value === 'sent');
    expect(sent).toHaveLength(1);
    const other = results.find((r) => !(r.status === 'fulfilled' && r.value === 'sent'))!;
    // The loser either saw the live lease (and throws, so BullMQ retries) or found it already sent.
    if (other.status === 'rejected') expect(String(other.reason)).toMatch(/being sent by another attempt/);
    else expect(other.value).toBe('already-sent');
    expect(await deliveries.send(id, false)).toBe('already-sent');

    const messageId = `<delivery-${id}@localhost>`;
    await new Promise((r) => setTimeout(r, 500));
    expect(sink.messages.filter((m) => m.messageId === messageId)).toHaveLength(1);
    expect(await delivery(id)).toMatchObject({ status: 'sent', attempts: 1, message_id: messageId });
  });

  it('retries a 451 with backoff until it is accepted', async () => {
    const email = 'greylisted@example.ac.uk';
    sink.refuse(email, 451, '451 4.7.1 Greylisted, try again later', 2);
    const id = await rawDelivery(await newUser(email), email);
    await worker.get(OutboxRelay).enqueue([id]);
    const row = await eventually(
      async () => {
        const r = await delivery(id);
        return r.status === 'sent' ? r : null;
      },
      15_000,
      'the greylisted delivery',
    );
    expect(row.attempts).toBe(3);
    expect(sink.refusals.filter((r) => r.rcpt === email).map((r) => r.code)).toEqual([451, 451]);
    expect(sink.to(email)).toHaveLength(1);
  });

  it('fails a 550 at RCPT without retry and flags the address; later emails to it are suppressed', async () => {
    const email = 'nobody@example.ac.uk';
    sink.refuse(email, 550, '550 5.1.1 No such user');
    const userId = await newUser(email);
    const id = await rawDelivery(userId, email);
    await worker.get(OutboxRelay).enqueue([id]);
    const row = await eventually(
      async () => {
        const r = await delivery(id);
        return r.status === 'failed' ? r : null;
      },
      15_000,
      'the failed delivery',
    );
    expect(row.attempts).toBe(1);
    expect(row.reason).toMatch(/recipient rejected \(550/);
    const [u] = await t.owner.query(`SELECT email_flagged_at, email_flag_reason FROM app_user WHERE id = $1`, [userId]);
    expect(u.email_flagged_at).not.toBeNull();

    // The next email to that user is recorded as suppressed, with the reason.
    await t.owner.query(`INSERT INTO outbox (topic, payload) VALUES ('user-invited', $1)`, [
      JSON.stringify({ userId, invitationId: 'x', token: sealSecret('t', t.config.audit.key, 'invitation') }),
    ]);
    const suppressed = await eventually(
      async () => (await t.owner.query(`SELECT * FROM delivery WHERE recipient_user_id = $1 AND status = 'suppressed'`, [userId]))[0],
      10_000,
      'a suppressed delivery',
    );
    expect(suppressed.reason).toMatch(/flagged/);
  });

  it('suppresses email to an inactive user and sends an invitation (no case) to an active one', async () => {
    const inactive = await newUser('gone@example.ac.uk', false);
    const invited = await newUser('new.person@example.ac.uk');
    await t.owner.query(`INSERT INTO outbox (topic, payload) VALUES ('user-invited', $1), ('user-invited', $2)`, [
      JSON.stringify({ userId: inactive, invitationId: 'a', token: sealSecret('tok-a', t.config.audit.key, 'invitation') }),
      JSON.stringify({ userId: invited, invitationId: 'b', token: sealSecret('tok-b', t.config.audit.key, 'invitation') }),
    ]);
    await sink.waitFor(() => sink.to('new.person@example.ac.uk').length === 1, 10_000, 'the invitation');
    const [m] = sink.to('new.person@example.ac.uk');
    expect(m.subject).toBe('Your Trusted Research account');
    expect(m.text).toContain('http://localhost:3000/accept-invitation?token=tok-b');
    // Stored sealed in the delivery row: the link is plain text only in the email itself.
    const [stored] = await t.owner.query(`SELECT context FROM delivery WHERE recipient_user_id = $1`, [invited]);
    expect(JSON.stringify(stored.context)).not.toContain('tok-b');
    const [row] = await t.owner.query(`SELECT status, reason FROM delivery WHERE recipient_user_id = $1`, [inactive]);
    expect(row).toEqual({ status: 'suppressed', reason: 'recipient is inactive' });
    expect(sink.to('gone@example.ac.uk')).toHaveLength(0);
  });
});
