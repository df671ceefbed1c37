import { INestApplicationContext } from '@nestjs/common';
import { CaseDriver, DEMO, eventually, SmtpSink, startMailingWorker, stopMailingWorker, TestApp } from '@app/testing';
import { JobQueue, QueueName } from '@app/queue';
import { DigestService } from '../../apps/worker/src/digest/digest.service';

/** Preferences (digest instead of immediate, critical emails always sent) and the 08:30 daily digest. */
jest.setTimeout(90_000);

describe('notifications: preferences and the daily digest', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let d: CaseDriver;
  let worker: INestApplicationContext;

  beforeAll(async () => {
    ({ sink, t, d, worker } = await startMailingWorker());
  });
  afterAll(() => stopMailingWorker({ sink, t, worker }));

  const auth = async (email: string) => `Bearer ${await t.token(email)}`;
  const deliveries = (caseId: string) =>
    t.owner.query(
      `SELECT u.email, d.template, d.status, d.reason FROM delivery d JOIN app_user u ON u.id = d.recipient_user_id WHERE d.case_id = $1 ORDER BY d.id`,
      [caseId],
    );
  const quiet = (caseId: string) =>
    eventually(
      async () => {
        const [r] = await t.owner.query(
          `SELECT (SELECT count(*) FROM outbox WHERE status = 'pending')::int + (SELECT count(*) FROM delivery WHERE case_id = $1 AND status IN ('pending','sending'))::int AS n`,
          [caseId],
        );
        return r.n === 0;
      },
      20_000,
      'the emails to settle',
    );

  it('reads and changes preferences; refuses unknown modes and switching decisions off', async () => {
    const initial = await t
      .http()
      .get('/api/me/notification-preferences')
      .set('Authorization', await auth(DEMO.researcher));
    expect(initial.status).toBe(200);
    expect(initial.body.preferences).toEqual({ case_updates: 'immediate', reminders: 'immediate', digest: 'immediate' });
    expect(initial.body.categories.critical).toEqual(expect.arrayContaining(['information-requested', 'case-closed']));

    const bad = await t
      .http()
      .put('/api/me/notification-preferences')
      .set('Authorization', await auth(DEMO.researcher))
      .send({ case_updates: 'sometimes' });
    expect(bad.status).toBe(400);
    const critical = await t
      .http()
      .put('/api/me/notification-preferences')
      .set('Authorization', await auth(DEMO.researcher))
      .send({ critical: 'off' });
    expect(critical.status).toBe(400);
    const digestOfDigest = await t
      .http()
      .put('/api/me/notification-preferences')
      .set('Authorization', await auth(DEMO.researcher))
      .send({ digest: 'digest' });
    expect(digestOfDigest.status).toBe(400);

    const saved = await t
      .http()
      .put('/api/me/notification-preferences')
      .set('Authorization', await auth(DEMO.researcher))
      .send({ case_updates: 'digest', reminders: 'off' });
    expect(saved.status).toBe(200);
    expect(saved.body.preferences).toEqual({ case_updates: 'digest', reminders: 'off', digest: 'immediate' });
  });

  it('digest mode holds non-critical updates (suppressed, "in digest"); decision emails still go at once', async () => {
    // The researcher chose digest for case updates in the test above.
    const c = await d.submitted(DEMO.researcher);
    await d.ok(DEMO.officer, c.id, 'assign', { assigneeId: await t.userId(DEMO.officer2) });
    await d.ok(DEMO.officer2, c.id, 'request_information', { question: 'Who funds it?', replyBy: '2099-01-31' });
    await quiet(c.id);
    const rows = await deliveries(c.id);
    expect(rows).toEqual(
      expect.arrayContaining([
        { email: DEMO.researcher, template: 'case-received', status: 'suppressed', reason: 'in digest' },
        { email: DEMO.researcher, template: 'information-requested', status: 'sent', reason: null },
        { email: DEMO.officer, template: 'case-to-triage', status: 'sent', reason: null },
      ]),
    );
    const toResearcher = sink.to(DEMO.researcher).filter((m) => m.subject.startsWith(`[${c.reference}]`));
    expect(toResearcher.map((m) => m.subject)).toEqual([`[${c.reference}] More information needed`]);

    // Staff see the held email and why on the case.
    const view = await t
      .http()
      .get(`/api/cases/${c.id}/notifications`)
      .set('Authorization', await auth(DEMO.officer));
    expect(view.body.items.find((i: { template: string }) => i.template === 'case-received')).toMatchObject({ status: 'suppressed', reason: 'in digest' });
  });

  it('the 08:30 digest: one per officer per day (a second run sends nothing), with open, due and awaiting-triage cases and held updates', async () => {
    const scheduler = await worker.get(JobQueue).queue(QueueName.Maintenance).getJobScheduler('send-digest');
    expect(scheduler).toMatchObject({ pattern: '30 8 * * *', tz: 'Europe/London' });

    const waiting = await d.submitted(DEMO.researcher2);
    const mine = await d.submitted(DEMO.researcher2);
    await d.ok(DEMO.officer, mine.id, 'assign', { assigneeId: await t.userId(DEMO.officer) });
    // An overdue stage: its deadline passed an hour ago (a past-due timer would race the worker, which fires it).
    await t.owner.query(`UPDATE collaboration_case SET sla_due_at = now() - interval '1 hour' WHERE id = $1`, [mine.id]);
    await quiet(mine.id);
    const before = sink.messages.length;

    const digest = worker.get(DigestService);
    const first = await digest.run('2030-01-07');
    expect(first.written).toBeGreaterThanOrEqual(4); // officer, officer2, the lead, and the researcher in digest mode
    const again = await digest.run('2030-01-07');
    expect(again.written).toBe(0);

    const subject = 'Your Trusted Research digest for 2030-01-07';
    await sink.waitFor((ms) => ms.slice(before).filter((m) => m.subject === subject).length === first.written, 20_000, 'the digests');
    await new Promise((r) => setTimeout(r, 1000));
    const digests = sink.messages.slice(before).filter((m) => m.subject === subject);
    expect(digests).toHaveLength(first.written);
    expect(new Set(digests.map((m) => m.to[0])).size).toBe(digests.length); // one each

    const officer = digests.find((m) => m.to[0] === DEMO.officer)!;
    expect(officer.text).toContain(`${mine.reference}: submitted`);
    expect(officer.text).toMatch(new RegExp(`Due or overdue \\(\\d+\\):\\n\\s+- ${mine.reference}: stage deadline overdue since`));
    expect(officer.text).toContain(`New cases waiting for triage`);
    expect(officer.text).toContain(`${waiting.reference}, submitted`);
    expect(officer.text).toContain(`${t.config.publicUrl}/cases/${mine.id}`);

    const researcher = digests.find((m) => m.to[0] === DEMO.researcher)!;
    expect(researcher.text).toMatch(/Updates held for this digest \(\d+\):\n\s+- TR-\d{4}-\d{5}: case received/);
    expect(researcher.text).not.toContain('waiting for triage (');

    const [runs] = await t.owner.query(`SELECT count(*)::int AS n FROM digest_run WHERE day = '2030-01-07'`);
    expect(runs.n).toBe(first.written);
  });

  it('an officer who turns the digest off gets none', async () => {
    await t
      .http()
      .put('/api/me/notification-preferences')
      .set('Authorization', await auth(DEMO.officer2))
      .send({ digest: 'off' });
    const r = await worker.get(DigestService).run('2030-01-08');
    const [row] = await t.owner.query(`SELECT count(*)::int AS n FROM digest_run WHERE day = '2030-01-08' AND user_id = $1`, [await t.userId(DEMO.officer2)]);
    expect(row.n).toBe(0);
    expect(r.written).toBeGreaterThan(0);
  });
});
