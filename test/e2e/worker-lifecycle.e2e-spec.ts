import { INestApplicationContext } from '@nestjs/common';
import { CapturedMail, CaseDriver, DEMO, SmtpSink, startMailingWorker, stopMailingWorker, TestApp } from '@app/testing';

/**
 * The lifecycle walk of lifecycle.e2e-spec.ts with the worker running in-process
 * against the API's database, sending to a real SMTP sink: the emails that arrive.
 */
jest.setTimeout(60_000);

describe('worker: emails from the case lifecycle', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let d: CaseDriver;
  let worker: INestApplicationContext;

  beforeAll(async () => {
    ({ sink, t, d, worker } = await startMailingWorker());
  });
  afterAll(() => stopMailingWorker({ sink, t, worker }));

  const forCase = (ref: string) => sink.messages.filter((m) => m.subject.startsWith(`[${ref}] `));
  const summary = (ms: CapturedMail[]) => ms.map((m) => `${m.to.join(',')} | ${m.subject}`).sort();
  const settle = () => new Promise((r) => setTimeout(r, 800));

  it('walks a case from draft to approved and sends each party its emails, once', async () => {
    const c = await d.draft(DEMO.researcher);
    await d.ok(DEMO.researcher, c.id, 'submit');
    await d.ok(DEMO.officer, c.id, 'assign', { assigneeId: await t.userId(DEMO.officer) });
    await d.ok(DEMO.officer, c.id, 'triage', { riskLevel: 'medium', exportControlRelevant: true, route: 'export_review_then_sign_off' });
    await d.ok(DEMO.officer, c.id, 'start_export_review', { reviewerId: await t.userId(DEMO.exportOfficer) });
    await d.ok(DEMO.exportOfficer, c.id, 'complete_export_review', { assessment: 'Fundamental research; 3E001 not engaged.', outcome: 'not_listed' });
    await d.ok(DEMO.officer, c.id, 'request_sign_off', {
      decisionText: 'Approved with a technology control plan.',
      conditions: [{ text: 'Technology control plan agreed with the RSDO', dueDate: '2027-03-01' }],
      reviewDate: '2027-11-01',
    });
    const endorsed = await d.ok(DEMO.headPhysics, c.id, 'endorse', { comment: 'Content with the plan.' });
    expect(endorsed.case.state).toBe('approved');

    const ref = c.reference;
    await sink.waitFor(() => forCase(ref).length >= 10, 15_000, `ten emails of ${ref}`);
    await settle();
    const mails = forCase(ref);
    expect(summary(mails)).toEqual([
      `${DEMO.exportOfficer} | [${ref}] Export-control review requested`,
      `${DEMO.officer} | [${ref}] Export-control review completed`,
      `${DEMO.headPhysics} | [${ref}] Sign-off requested`,
      `${DEMO.officer} | [${ref}] Case approved`,
      `${DEMO.exportOfficer} | [${ref}] Case approved`,
      `${DEMO.headPhysics} | [${ref}] Case approved`,
      `${DEMO.officer} | [${ref}] New case to triage`,
      `${DEMO.officer2} | [${ref}] New case to triage`,
      `${DEMO.researcher} | [${ref}] Case approved`,
      `${DEMO.researcher} | [${ref}] We have received your case`,
    ].sort());
    // Self-assignment (the officer assigned themselves) and triage send nothing; the closing email goes to everyone who acted.

    const link = `${t.config.publicUrl}/cases/${c.id}`;
    for (const m of mails) {
      expect(m.messageId).toMatch(/^<delivery-\d+@localhost>$/);
      expect(m.references).toEqual([`<case-${c.id}@localhost>`]);
      expect(m.text).toContain(link);
      expect(m.text).toContain(ref);
      expect(m.html).toContain(`href="${link}"`);
      expect(m.subject).not.toMatch(/Toronto/); // no partner names in subjects
      expect(m.from).toBe('trusted-research@example.ac.uk');
    }
    expect(new Set(mails.map((m) => m.messageId)).size).toBe(10);

    const rows = await t.owner.query(`SELECT status, attempts, message_id FROM delivery WHERE case_id = $1 ORDER BY id`, [c.id]);
    expect(rows).toHaveLength(10);
    for (const r of rows) expect(r).toMatchObject({ status: 'sent', attempts: 1 });
    expect(rows.map((r: { message_id: string }) => r.message_id).sort()).toEqual(mails.map((m) => m.messageId).sort());
    const outbox = await t.owner.query(`SELECT count(*)::int AS n FROM outbox WHERE case_id = $1 AND status <> 'done'`, [c.id]);
    expect(outbox[0].n).toBe(0);
  });

  it('tells the researcher about a request for information, the officer about the answer, and the other party about a message', async () => {
    const c = await d.submitted(DEMO.researcher2);
    const ref = c.reference;
    await d.ok(DEMO.officer2, c.id, 'assign', { assigneeId: await t.userId(DEMO.officer2) });
    await d.ok(DEMO.officer2, c.id, 'request_information', { question: 'Who funds the visits?', replyBy: '2099-01-31' });
    await d.ok(DEMO.researcher2, c.id, 'respond', { message: 'The EPSRC grant.' });
    const note = await t.http().post(`/api/cases/${c.id}/notes`).set('Authorization', `Bearer ${await t.token(DEMO.researcher2)}`)
      .send({ body: 'One more detail.', visibility: 'researcher' });
    expect(note.status).toBe(201);

    await sink.waitFor(() => forCase(ref).length >= 6, 15_000, `six emails of ${ref}`);
    await settle();
    expect(summary(forCase(ref))).toEqual([
      `${DEMO.officer} | [${ref}] New case to triage`,
      `${DEMO.officer2} | [${ref}] New case to triage`,
      `${DEMO.officer2} | [${ref}] New message on your case`,
      `${DEMO.officer2} | [${ref}] The researcher has responded`,
      `${DEMO.researcher2} | [${ref}] More information needed`,
      `${DEMO.researcher2} | [${ref}] We have received your case`,
    ].sort());
  });
});
