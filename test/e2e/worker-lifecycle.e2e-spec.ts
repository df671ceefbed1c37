import { INestApplicationContext } from '@nestjs/common';
import { CapturedMail, CaseDriver, DEMO, eventually, SmtpSink, startMailingWorker, stopMailingWorker, TestApp } from '@app/testing';
import { TimerService } from '../../apps/worker/src/timers/timer.service';

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
    expect(summary(mails)).toEqual(
      [
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
      ].sort(),
    );
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
    const note = await t
      .http()
      .post(`/api/cases/${c.id}/notes`)
      .set('Authorization', `Bearer ${await t.token(DEMO.researcher2)}`)
      .send({ body: 'One more detail.', visibility: 'researcher' });
    expect(note.status).toBe(201);

    await sink.waitFor(() => forCase(ref).length >= 6, 15_000, `six emails of ${ref}`);
    await settle();
    expect(summary(forCase(ref))).toEqual(
      [
        `${DEMO.officer} | [${ref}] New case to triage`,
        `${DEMO.officer2} | [${ref}] New case to triage`,
        `${DEMO.officer2} | [${ref}] New message on your case`,
        `${DEMO.officer2} | [${ref}] The researcher has responded`,
        `${DEMO.researcher2} | [${ref}] More information needed`,
        `${DEMO.researcher2} | [${ref}] We have received your case`,
      ].sort(),
    );
  });

  it('a granted licence that lapses without renewal suspends the approval automatically; researcher and officer are told to stop', async () => {
    const c = await d.triaged(DEMO.researcher, { riskLevel: 'low', exportControlRelevant: true });
    const ref = c.reference;
    await d.ok(DEMO.officer, c.id, 'assign', { assigneeId: await t.userId(DEMO.officer) });
    await d.ok(DEMO.officer, c.id, 'start_export_review', { reviewerId: await t.userId(DEMO.exportOfficer) });
    await d.ok(DEMO.exportOfficer, c.id, 'complete_export_review', {
      assessment: 'SIEL held.',
      outcome: 'licence_granted',
      items: [{ description: 'Cryogenic amplifier design data', kind: 'technology', controlEntry: '3E001', destinationCountry: 'US' }],
      licence: { type: 'siel', reference: 'GBSIEL/2026/0042', grantedOn: '2026-01-01', expiresOn: '2099-03-01', conditions: 'none' },
    });
    await d.ok(DEMO.officer, c.id, 'approve', { decisionText: 'Approved under the SIEL.' });
    // Reminders before the expiry; then the licence's expiry passes (moved to now: the database clock decides "due").
    const kinds = await t.owner.query(`SELECT kind FROM case_timer WHERE case_id = $1 AND status = 'pending' AND kind LIKE 'licence%' ORDER BY due_at`, [c.id]);
    expect(kinds.map((r: { kind: string }) => r.kind)).toEqual(['licence_expiry', 'licence_expiry', 'licence_lapsed']);
    await sink.waitFor(() => forCase(ref).some((m) => m.subject.endsWith('Case approved')), 15_000, `the approval of ${ref}`);
    await settle();
    const before = forCase(ref).length;
    await t.owner.query(`UPDATE case_timer SET due_at = now() - interval '1 second' WHERE case_id = $1 AND kind = 'licence_lapsed'`, [c.id]);
    await worker.get(TimerService).drainDue();
    // drainDue skips (SKIP LOCKED) a case the worker's own timer loop is firing at that moment:
    // then that fire, not this one, suspends it.
    await eventually(async () => (await d.get(DEMO.officer, `/api/cases/${c.id}`)).body.state === 'suspended', 15_000, `${ref} suspended`);
    const after = (await d.get(DEMO.officer, `/api/cases/${c.id}`)).body;
    expect(after.state).toBe('suspended');
    const [ev] = (await d.get(DEMO.officer, `/api/cases/${c.id}/events`)).body.items.slice(-1);
    expect(ev).toMatchObject({ action: 'suspend', fromState: 'approved', toState: 'suspended', actorId: null });
    expect(ev.payload).toMatchObject({ reasonCategory: 'licence_expired_or_refused', automatic: true });
    expect(ev.payload.reasonText).toContain('GBSIEL/2026/0042 expired on 1 March 2099');
    // The reminders and the re-review stay with the collaboration; only the lapse fired.
    const timers = await t.owner.query(
      `SELECT kind, status FROM case_timer WHERE case_id = $1 AND scope = 'case' AND status <> 'cancelled' ORDER BY kind, due_at`,
      [c.id],
    );
    expect(timers.map((r: { kind: string; status: string }) => `${r.kind}:${r.status}`)).toEqual([
      'licence_expiry:pending',
      'licence_expiry:pending',
      'licence_lapsed:fired',
      're_review:pending',
    ]);

    await sink.waitFor(() => forCase(ref).length >= before + 2, 15_000, `the suspension emails of ${ref}`);
    await settle();
    const mails = forCase(ref).slice(before);
    expect(summary(mails)).toEqual([
      `${DEMO.officer} | [${ref}] Approval suspended: collaboration work must stop`,
      `${DEMO.researcher} | [${ref}] Approval suspended: collaboration work must stop`,
    ]);
    expect(mails[0].text).toContain('Reason: Export licence expired or refused: The export licence GBSIEL/2026/0042 expired on 1 March 2099');
    // Firing again (a duplicate job) changes nothing.
    await worker.get(TimerService).drainDue();
    expect((await d.get(DEMO.officer, `/api/cases/${c.id}/events`)).body.items.filter((e: { action: string }) => e.action === 'suspend')).toHaveLength(1);
  });
});
