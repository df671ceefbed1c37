import { CaseDriver, createTestApp, DEMO, TestApp } from '@app/testing';

describe('case lifecycle through the HTTP API', () => {
  let t: TestApp;
  let d: CaseDriver;
  beforeAll(async () => {
    t = await createTestApp();
    d = new CaseDriver(t);
  });
  afterAll(() => t.close());

  it('walks a medium-risk case from draft to approved with the demo roles', async () => {
    const c = await d.draft(DEMO.researcher);
    expect(c.reference).toMatch(/^TR-\d{4}-\d{5}$/);
    expect(c.state).toBe('draft');

    await d.ok(DEMO.researcher, c.id, 'submit');
    const officerId = await t.userId(DEMO.officer);
    await d.ok(DEMO.officer, c.id, 'assign', { assigneeId: officerId });
    await d.ok(DEMO.officer, c.id, 'triage', { riskLevel: 'medium', exportControlRelevant: true, route: 'export_review_then_sign_off' });
    await d.ok(DEMO.officer, c.id, 'start_export_review', { reviewerId: await t.userId(DEMO.exportOfficer) });
    await d.ok(DEMO.exportOfficer, c.id, 'complete_export_review', { assessment: 'Fundamental research; 3E001 not engaged.', outcome: 'not_listed' });
    await d.ok(DEMO.officer, c.id, 'request_sign_off', {
      decisionText: 'Approved with a technology control plan.',
      conditions: [{ text: 'Technology control plan agreed with the RSDO', dueDate: '2027-03-01' }],
      reviewDate: '2027-11-01',
    });

    // The head of Physics is the acting signer, and sees the case only now.
    const head = await d.get(DEMO.headPhysics, `/api/cases/${c.id}/actions`);
    expect(head.status).toBe(200);
    expect(head.body.items.map((a: { name: string }) => a.name)).toEqual(expect.arrayContaining(['endorse', 'decline']));

    const endorsed = await d.ok(DEMO.headPhysics, c.id, 'endorse', { comment: 'Content with the plan.' });
    expect(endorsed.case.state).toBe('approved');
    expect(endorsed.case.outcome).toBe('approved_with_conditions');
    expect(endorsed.case.decision.conditions).toHaveLength(1);

    const events = await d.get(DEMO.officer, `/api/cases/${c.id}/events`);
    expect(events.body.items.map((e: { action: string }) => e.action)).toEqual([
      'create',
      'submit',
      'assign',
      'triage',
      'start_export_review',
      'complete_export_review',
      'request_sign_off',
      'endorse',
    ]);
    const seqs = events.body.items.map((e: { seq: number }) => e.seq);
    expect(seqs).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);

    // Every transition wrote an outbox row for the worker; no email was sent from the request.
    const outbox = await t.owner.query(`SELECT payload->>'action' AS action FROM outbox WHERE case_id = $1 ORDER BY id`, [c.id]);
    expect(outbox.map((r: { action: string }) => r.action)).toEqual([
      'submit',
      'assign',
      'triage',
      'start_export_review',
      'complete_export_review',
      'request_sign_off',
      'endorse',
    ]);

    // Approval closed the stage timers and opened the case-scoped ones (condition due, re-review).
    const timers = await t.owner.query(`SELECT kind, scope, status FROM case_timer WHERE case_id = $1 AND status = 'pending' ORDER BY kind`, [c.id]);
    expect(timers).toEqual([
      { kind: 'condition_due', scope: 'case', status: 'pending' },
      { kind: 're_review', scope: 'case', status: 'pending' },
    ]);
  });
});
