import { INestApplicationContext } from '@nestjs/common';
import { CapturedMail, CaseDriver, DEMO, eventually, SmtpSink, startMailingWorker, stopMailingWorker, TestApp } from '@app/testing';

/**
 * Who hears what, one test per lifecycle event: each action produces exactly the
 * expected emails in a real SMTP sink (recipients, subject, threading, text part, link).
 */
jest.setTimeout(90_000);

describe('notifications: each lifecycle event sends exactly its emails', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let d: CaseDriver;
  let worker: INestApplicationContext;

  beforeAll(async () => {
    ({ sink, t, d, worker } = await startMailingWorker());
  });
  afterAll(() => stopMailingWorker({ sink, t, worker }));

  const forCase = (ref: string) => sink.messages.filter((m) => m.subject.startsWith(`[${ref}] `));

  /** Every outbox row of the case relayed and every delivery finished. */
  const quiet = (caseId: string) =>
    eventually(
      async () => {
        const [r] = await t.owner.query(
          `SELECT (SELECT count(*) FROM outbox WHERE case_id = $1 AND status = 'pending')::int
            + (SELECT count(*) FROM delivery WHERE case_id = $1 AND status IN ('pending','sending'))::int AS n`,
          [caseId],
        );
        return r.n === 0;
      },
      20_000,
      'the case’s emails to settle',
    );

  /** Runs `step`, then returns exactly the emails of the case it caused (after they settle). */
  async function emailsOf(c: { id: string; reference: string }, step: () => Promise<unknown>): Promise<CapturedMail[]> {
    await quiet(c.id);
    const before = forCase(c.reference).length;
    await step();
    await new Promise((r) => setTimeout(r, 300));
    await quiet(c.id);
    await new Promise((r) => setTimeout(r, 300));
    const mails = forCase(c.reference).slice(before);
    const link = `${t.config.publicUrl}/cases/${c.id}`;
    for (const m of mails) {
      expect(m.messageId).toMatch(/^<delivery-\d+@localhost>$/);
      expect(m.references).toEqual([`<case-${c.id}@localhost>`]);
      expect(m.text).toContain(link);
      expect(m.text).toContain(c.reference);
      expect(m.html).toContain(`href="${link}"`);
      expect(m.subject).not.toMatch(/Toronto/);
    }
    return mails;
  }
  const summary = (ms: CapturedMail[]) => ms.map((m) => `${m.to.join(',')} | ${m.subject.replace(/^\[[^\]]+\] /, '')}`).sort();
  const id = (email: string) => t.userId(email);

  it('submit → receipt to the researcher (what happens next), new case to every officer', async () => {
    const c = await d.draft(DEMO.researcher);
    const mails = await emailsOf(c, () => d.ok(DEMO.researcher, c.id, 'submit'));
    expect(summary(mails)).toEqual(
      [`${DEMO.officer} | New case to triage`, `${DEMO.officer2} | New case to triage`, `${DEMO.researcher} | We have received your case`].sort(),
    );
    expect(mails.find((m) => m.to[0] === DEMO.researcher)!.text).toContain('What happens next');
    // The triage target of the SLA policy in force (the seeded 'submitted' policy is 3wd), not a fixed sentence.
    expect(mails.find((m) => m.to[0] === DEMO.researcher)!.text).toContain('our target: within 3 working days');
    expect(mails[0].subject).toMatch(/^\[TR-\d{4}-\d{5}\] /);
  });

  it('assign → the new assignee; assigning yourself sends nothing', async () => {
    const c = await d.submitted(DEMO.researcher);
    expect(summary(await emailsOf(c, async () => d.ok(DEMO.officer, c.id, 'assign', { assigneeId: await id(DEMO.officer2) })))).toEqual([
      `${DEMO.officer2} | Case assigned to you`,
    ]);
    expect(await emailsOf(c, async () => d.ok(DEMO.officer, c.id, 'assign', { assigneeId: await id(DEMO.officer) }))).toEqual([]);
  });

  it('request_information → the researcher, with the question, the due date and a deep link; respond → the officer who asked', async () => {
    const c = await d.submitted(DEMO.researcher2);
    await d.ok(DEMO.officer2, c.id, 'assign', { assigneeId: await id(DEMO.officer2) });
    const asked = await emailsOf(c, () => d.ok(DEMO.officer2, c.id, 'request_information', { question: 'Who funds the visits?', replyBy: '2099-01-31' }));
    expect(summary(asked)).toEqual([`${DEMO.researcher2} | More information needed`]);
    expect(asked[0].text).toContain('Who funds the visits?');
    expect(asked[0].text).toContain('31 January 2099');
    const answered = await emailsOf(c, () => d.ok(DEMO.researcher2, c.id, 'respond', { message: 'The EPSRC grant.' }));
    expect(summary(answered)).toEqual([`${DEMO.officer2} | The researcher has responded`]);
  });

  it('start_export_review → the export-control reviewer; complete_export_review → the assignee', async () => {
    const c = await d.submitted(DEMO.researcher);
    await d.ok(DEMO.officer, c.id, 'assign', { assigneeId: await id(DEMO.officer) });
    await d.ok(DEMO.officer, c.id, 'triage', { riskLevel: 'medium', exportControlRelevant: true, route: 'export_review_then_sign_off' });
    const started = await emailsOf(c, async () => d.ok(DEMO.officer, c.id, 'start_export_review', { reviewerId: await id(DEMO.exportOfficer) }));
    expect(summary(started)).toEqual([`${DEMO.exportOfficer} | Export-control review requested`]);
    const done = await emailsOf(c, () =>
      d.ok(DEMO.exportOfficer, c.id, 'complete_export_review', { assessment: 'Fundamental research.', outcome: 'not_listed' }),
    );
    expect(summary(done)).toEqual([`${DEMO.officer} | Export-control review completed`]);
    expect(done[0].text).toContain('not listed');
  });

  it('request_sign_off → the head; endorse into approval → the researcher and everyone who acted, with the conditions', async () => {
    const c = await d.submitted(DEMO.researcher);
    await d.ok(DEMO.officer, c.id, 'assign', { assigneeId: await id(DEMO.officer2) });
    await d.ok(DEMO.officer2, c.id, 'triage', { riskLevel: 'medium', exportControlRelevant: true, route: 'export_review_then_sign_off' });
    await d.ok(DEMO.officer2, c.id, 'start_export_review', { reviewerId: await id(DEMO.exportOfficer) });
    await d.ok(DEMO.exportOfficer, c.id, 'complete_export_review', { assessment: 'Fundamental research.', outcome: 'not_listed' });
    const asked = await emailsOf(c, () =>
      d.ok(DEMO.officer2, c.id, 'request_sign_off', {
        decisionText: 'Approved with a technology control plan.',
        conditions: [{ text: 'Technology control plan agreed with the RSDO', dueDate: '2027-03-01' }],
      }),
    );
    expect(summary(asked)).toEqual([`${DEMO.headPhysics} | Sign-off requested`]);
    const closed = await emailsOf(c, () => d.ok(DEMO.headPhysics, c.id, 'endorse', { comment: 'Content.' }));
    // researcher (owner, submitted), officer (assigned), officer2 (triaged…), export officer (reviewed), head (endorsed): one each.
    expect(summary(closed)).toEqual(
      [DEMO.exportOfficer, DEMO.headPhysics, DEMO.officer, DEMO.officer2, DEMO.researcher].sort().map((e) => `${e} | Case approved`),
    );
    expect(closed[0].text).toContain('Technology control plan agreed with the RSDO (due 1 March 2027)');
  });

  it('decline → the officer and the researcher, with the comment', async () => {
    const c = await d.submitted(DEMO.researcher);
    await d.ok(DEMO.officer, c.id, 'assign', { assigneeId: await id(DEMO.officer) });
    await d.ok(DEMO.officer, c.id, 'triage', { riskLevel: 'medium', exportControlRelevant: false });
    await d.ok(DEMO.officer, c.id, 'request_sign_off', { decisionText: 'Proceed.' });
    const declined = await emailsOf(c, () => d.ok(DEMO.headPhysics, c.id, 'decline', { comment: 'Need a data management plan first.' }));
    expect(summary(declined)).toEqual([`${DEMO.officer} | Sign-off declined`, `${DEMO.researcher} | Sign-off declined`]);
    expect(declined[0].text).toContain('Need a data management plan first.');
  });

  it('endorse of a high-risk case → lead_review: the RSDO lead is asked; the lead’s approval closes it to everyone who acted', async () => {
    const c = await d.submitted(DEMO.researcher);
    await d.ok(DEMO.officer, c.id, 'assign', { assigneeId: await id(DEMO.officer) });
    await d.ok(DEMO.officer, c.id, 'triage', { riskLevel: 'high', exportControlRelevant: false, comment: 'Dual-use potential.' });
    await d.ok(DEMO.officer, c.id, 'request_sign_off', { decisionText: 'Proceed with controls.' });
    const endorsed = await emailsOf(c, () => d.ok(DEMO.headPhysics, c.id, 'endorse', {}));
    expect(summary(endorsed)).toEqual(
      [`${DEMO.officer} | Sign-off endorsed`, `${DEMO.lead} | Lead review needed`, `${DEMO.researcher} | Sign-off endorsed`].sort(),
    );
    const approved = await emailsOf(c, () => d.ok(DEMO.lead, c.id, 'approve', { comment: 'Agreed.' }));
    expect(summary(approved)).toEqual([DEMO.headPhysics, DEMO.lead, DEMO.officer, DEMO.researcher].sort().map((e) => `${e} | Case approved`));
  });

  it('reject → the researcher and everyone who acted, with the reason', async () => {
    const c = await d.submitted(DEMO.researcher2);
    await d.ok(DEMO.officer2, c.id, 'assign', { assigneeId: await id(DEMO.officer2) });
    const rejected = await emailsOf(c, () => d.ok(DEMO.officer2, c.id, 'reject', { reasonCategory: 'sanctions', reasonText: 'Partner is designated.' }));
    expect(summary(rejected)).toEqual([`${DEMO.officer2} | Case rejected`, `${DEMO.researcher2} | Case rejected`]);
    expect(rejected[0].text).toContain('Reason: Partner is designated.');
  });

  it('withdraw → the researcher (once, though they acted too) and the officer who had acted', async () => {
    const c = await d.submitted(DEMO.researcher);
    await d.ok(DEMO.officer, c.id, 'assign', { assigneeId: await id(DEMO.officer2) });
    const withdrawn = await emailsOf(c, () => d.ok(DEMO.researcher, c.id, 'withdraw', { reason: 'Project cancelled.' }));
    expect(summary(withdrawn)).toEqual([`${DEMO.officer} | Case withdrawn`, `${DEMO.researcher} | Case withdrawn`]);
  });

  it('close_not_in_scope → the researcher is told no review is needed (not a rejection)', async () => {
    const c = await d.submitted(DEMO.researcher2);
    const closed = await emailsOf(c, () => d.ok(DEMO.officer2, c.id, 'close_not_in_scope', { reason: 'No overseas partner.' }));
    expect(summary(closed)).toEqual([`${DEMO.officer2} | No review needed`, `${DEMO.researcher2} | No review needed`]);
    const mail = closed.find((m) => m.to[0] === DEMO.researcher2)!;
    expect(mail.text).toContain('no review needed');
    expect(mail.text).toContain('This is not a rejection');
    expect(mail.text).toContain('Reason: No overseas partner.');
    expect(mail.text).not.toMatch(/rejected/i);
  });

  it('suspend → the researcher and the officer: work must stop; reinstate and revoke tell them too', async () => {
    const c = await d.triaged(DEMO.researcher);
    await d.ok(DEMO.officer, c.id, 'assign', { assigneeId: await id(DEMO.officer) });
    await d.ok(DEMO.officer, c.id, 'approve', { decisionText: 'Approved.' });
    await quiet(c.id);
    const suspended = await emailsOf(c, () =>
      d.ok(DEMO.officer, c.id, 'suspend', { reasonCategory: 'licence_expired_or_refused', reasonText: 'The SIEL expired.' }),
    );
    expect(summary(suspended)).toEqual([
      `${DEMO.officer} | Approval suspended: collaboration work must stop`,
      `${DEMO.researcher} | Approval suspended: collaboration work must stop`,
    ]);
    expect(suspended[0].text).toContain('Collaboration work under this case must stop now');
    expect(suspended[0].text).toContain('Reason: Export licence expired or refused: The SIEL expired.');
    const reinstated = await emailsOf(c, () => d.ok(DEMO.lead, c.id, 'reinstate', { reason: 'SIEL renewed.' }));
    expect(summary(reinstated)).toEqual([`${DEMO.officer} | Approval reinstated`, `${DEMO.researcher} | Approval reinstated`]);
    const revoked = await emailsOf(c, () => d.ok(DEMO.officer, c.id, 'revoke', { reason: 'Partner designated.' }));
    expect(summary(revoked)).toEqual([
      `${DEMO.officer} | Approval revoked: collaboration work must stop`,
      `${DEMO.researcher} | Approval revoked: collaboration work must stop`,
    ]);
  });

  it('the receipt follows the SLA policy in force: a changed triage target is what the researcher reads', async () => {
    const [before] = await t.owner.query(`SELECT target FROM sla_policy WHERE stage = 'submitted'`);
    await t.owner.query(`UPDATE sla_policy SET target = '5wd' WHERE stage = 'submitted'`);
    try {
      const c = await d.draft(DEMO.researcher2);
      const mails = await emailsOf(c, () => d.ok(DEMO.researcher2, c.id, 'submit'));
      const receipt = mails.find((m) => m.to[0] === DEMO.researcher2)!;
      expect(receipt.text).toContain('our target: within 5 working days');
      expect(receipt.text).not.toContain('3 working days');
    } finally {
      await t.owner.query(`UPDATE sla_policy SET target = $1 WHERE stage = 'submitted'`, [before.target]);
    }
  });

  it('a screening re-import hit → the assignee', async () => {
    const c = await d.submitted(DEMO.researcher);
    await d.ok(DEMO.officer, c.id, 'assign', { assigneeId: await id(DEMO.officer2) });
    // What ScreeningService.rescreenAll writes for a case with new hits.
    const hit = await emailsOf(c, () =>
      t.owner.query(`INSERT INTO outbox (topic, case_id, payload) VALUES ('case-event', $1, $2)`, [
        c.id,
        JSON.stringify({
          action: 'screening_hit',
          reference: c.reference,
          newHits: 1,
          fromState: 'submitted',
          toState: 'submitted',
          actorId: null,
        }),
      ]),
    );
    expect(summary(hit)).toEqual([`${DEMO.officer2} | New screening match`]);
    expect(hit[0].text).toContain('1 new entry');
  });

  it('all of a case’s emails thread together and each has its own Message-ID', async () => {
    const c = await d.submitted(DEMO.researcher);
    await quiet(c.id);
    const mails = forCase(c.reference);
    expect(new Set(mails.map((m) => m.references.join())).size).toBe(1);
    expect(new Set(mails.map((m) => m.messageId)).size).toBe(mails.length);
  });
});
