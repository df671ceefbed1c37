import { CaseDriver, completeAnswers, createTestApp, DEMO, TestApp } from '@app/testing';

/** Sign-off with delegation, decline, conditions with reminders, re-review and amendments, through HTTP. */
describe('decisions', () => {
  let t: TestApp;
  let d: CaseDriver;
  beforeAll(async () => {
    t = await createTestApp();
    d = new CaseDriver(t);
  }, 120_000);
  afterAll(() => t.close());

  const today = () => new Date().toISOString().slice(0, 10);
  const events = async (email: string, id: string) =>
    (await d.get(email, `/api/cases/${id}/events`)).body.items as { action: string; actorId: string; payload: Record<string, unknown> }[];
  const post = async (email: string, path: string, body: Record<string, unknown>) =>
    t
      .http()
      .post(path)
      .set('Authorization', `Bearer ${await t.token(email)}`)
      .send(body);
  const physics = async () => (await t.owner.query(`SELECT id FROM department WHERE code = 'PHYS'`))[0].id as string;

  async function approvedWithConditions() {
    const c = await d.triaged();
    const due = new Date(Date.now() + 30 * 86400_000).toISOString().slice(0, 10);
    const res = await d.ok(DEMO.officer2, c.id, 'approve', {
      decisionText: 'Approved with a technology control plan.',
      conditions: [
        { kind: 'technology_control_plan', text: 'Agree a technology control plan with the research office.', dueDate: due },
        { kind: 'training', text: 'Complete Trusted Research training.' },
      ],
      reviewDate: '2027-06-30',
    });
    return { c, res, due };
  }

  it('delegation: the head appoints a delegate; the sign-off goes to whoever is acting and the audit names both', async () => {
    const dept = await physics();
    const delegate = await t.userId(DEMO.headChemistry);
    const head = await t.userId(DEMO.headPhysics);
    const added = await post(DEMO.headPhysics, `/api/departments/${dept}/delegates`, { userId: delegate, startsOn: today(), endsOn: today() });
    expect(added.status).toBe(201);
    try {
      const c = await d.triaged(DEMO.researcher, { riskLevel: 'medium', exportControlRelevant: false });
      const asked = await d.ok(DEMO.officer, c.id, 'request_sign_off', { decisionText: 'Proceed with conditions.' });
      expect(asked.case.state).toBe('head_sign_off');
      const actions = await d.get(DEMO.headChemistry, `/api/cases/${c.id}/actions`);
      expect(actions.body.items.map((a: { name: string }) => a.name)).toEqual(expect.arrayContaining(['endorse', 'decline']));
      const endorsed = await d.ok(DEMO.headChemistry, c.id, 'endorse', { comment: 'Signing while the head is away.' });
      expect(endorsed.case.state).toBe('approved');
      const ev = (await events(DEMO.officer, c.id)).find((e) => e.action === 'endorse')!;
      expect(ev.actorId).toBe(delegate);
      expect(ev.payload).toMatchObject({ signedAs: 'delegate', signerId: delegate, headId: head, actingForHeadId: head });
      const req = (await events(DEMO.officer, c.id)).find((e) => e.action === 'request_sign_off')!;
      expect((req.payload.signers as { userIds: string[] }).userIds).toEqual(expect.arrayContaining([head, delegate]));
    } finally {
      await t.owner.query(`DELETE FROM department_delegate WHERE delegate_user_id = $1`, [delegate]);
    }
  });

  it('the head signing names the head only', async () => {
    const c = await d.triaged(DEMO.researcher, { riskLevel: 'medium', exportControlRelevant: false });
    await d.ok(DEMO.officer, c.id, 'request_sign_off', { decisionText: 'Proceed.' });
    await d.ok(DEMO.headPhysics, c.id, 'endorse', {});
    const ev = (await events(DEMO.officer, c.id)).find((e) => e.action === 'endorse')!;
    expect(ev.payload).toMatchObject({ signedAs: 'head', actingForHeadId: null });
  });

  it('decline returns the case to the officer (triaged, triage stale) and the researcher is told', async () => {
    const c = await d.triaged(DEMO.researcher, { riskLevel: 'medium', exportControlRelevant: false });
    await d.ok(DEMO.officer, c.id, 'request_sign_off', { decisionText: 'Proceed.' });
    const declined = await d.ok(DEMO.headPhysics, c.id, 'decline', { comment: 'Needs a technology control plan first.' });
    expect(declined.case).toMatchObject({ state: 'triaged', triageStale: true });
    const stale = await d.act(DEMO.officer, c.id, 'request_sign_off', { decisionText: 'Again.' });
    expect(stale.body.code).toBe('TRIAGE_STALE');
    const outbox = await t.owner.query(`SELECT payload FROM outbox WHERE case_id = $1 ORDER BY id`, [c.id]);
    expect(outbox.map((r: { payload: { action: string } }) => r.payload.action)).toContain('decline');
    // The researcher sees the decline and its comment on the timeline.
    const mine = (await events(DEMO.researcher, c.id)).find((e) => e.action === 'decline')!;
    expect(mine.payload.comment).toBe('Needs a technology control plan first.');
  });

  it('a high-risk case endorsed by the head goes to the RSDO lead, whose approve makes the proposal the decision', async () => {
    const c = await d.triaged(DEMO.researcher, { riskLevel: 'high', exportControlRelevant: false });
    await d.ok(DEMO.officer, c.id, 'request_sign_off', {
      decisionText: 'Proceed with segregated IT.',
      conditions: [{ kind: 'segregated_it', text: 'Use the segregated enclave.' }],
    });
    expect((await d.ok(DEMO.headPhysics, c.id, 'endorse', {})).case.state).toBe('lead_review');
    const approved = await d.ok(DEMO.lead, c.id, 'approve', {});
    expect(approved.case).toMatchObject({ state: 'approved', outcome: 'approved_with_conditions', decision: { decisionText: 'Proceed with segregated IT.' } });
  });

  it('conditions with a due date create case-scoped reminders; record_condition_met closes one', async () => {
    const { c, res } = await approvedWithConditions();
    expect(res.case.outcome).toBe('approved_with_conditions');
    const timers = await t.owner.query(`SELECT kind, scope, status, payload FROM case_timer WHERE case_id = $1 AND scope = 'case' ORDER BY kind`, [c.id]);
    expect(timers).toEqual([
      expect.objectContaining({ kind: 'condition_due', status: 'pending', payload: expect.objectContaining({ conditionIndex: 0 }) }),
      expect.objectContaining({ kind: 're_review', status: 'pending' }),
    ]);
    const met = await d.ok(DEMO.officer, c.id, 'record_condition_met', { conditionIndex: 0, note: 'TCP signed 2026-02-01.' });
    expect(met.case.decision.conditions[0].metAt).toBeTruthy();
    const [cond] = await t.owner.query(`SELECT status FROM case_timer WHERE case_id = $1 AND kind = 'condition_due'`, [c.id]);
    expect(cond.status).toBe('cancelled');
    expect((await d.act(DEMO.officer, c.id, 'record_condition_met', { conditionIndex: 0 })).status).toBe(409);
  });

  it('reject records the reason category and text', async () => {
    const c = await d.triaged();
    const res = await d.ok(DEMO.officer, c.id, 'reject', { reasonCategory: 'sanctions', reasonText: 'The partner is designated.' });
    expect(res.case).toMatchObject({ state: 'rejected', rejection: { reasonCategory: 'sanctions', reasonText: 'The partner is designated.' } });
  });

  it('re-review, no change: audited, and the next review is a new timer row a year on', async () => {
    const { c } = await approvedWithConditions();
    const [before] = await t.owner.query(`SELECT id FROM case_timer WHERE case_id = $1 AND kind = 're_review' AND status = 'pending'`, [c.id]);
    const res = await post(DEMO.researcher, `/api/cases/${c.id}/re-review`, { outcome: 'no_change', note: 'Same partner, same scope.' });
    expect(res.status).toBe(200);
    const rows = await t.owner.query(`SELECT id, status, due_at FROM case_timer WHERE case_id = $1 AND kind = 're_review' ORDER BY id`, [c.id]);
    expect(rows.find((r: { id: string }) => r.id === before.id).status).toBe('cancelled');
    const next = rows.filter((r: { status: string }) => r.status === 'pending');
    expect(next).toHaveLength(1);
    expect(next[0].id).not.toBe(before.id);
    expect(new Date(next[0].due_at).getTime() - Date.now()).toBeGreaterThan(360 * 86400_000);
    const ev = (await events(DEMO.officer, c.id)).find((e) => e.action === 're_review')!;
    expect(ev.payload).toMatchObject({ outcome: 'no_change', note: 'Same partner, same scope.', nextReviewDate: res.body.nextReviewDate });
  });

  it('re-review refusals: only the owner, only an approved case', async () => {
    const { c } = await approvedWithConditions();
    expect((await post(DEMO.officer, `/api/cases/${c.id}/re-review`, { outcome: 'no_change' })).body.code).toBe('NOT_ALLOWED_FOR_ROLE');
    expect((await post(DEMO.researcher2, `/api/cases/${c.id}/re-review`, { outcome: 'no_change' })).status).toBe(404);
    const open = await d.submitted();
    expect((await post(DEMO.researcher, `/api/cases/${open.id}/re-review`, { outcome: 'no_change' })).body.code).toBe('INVALID_TRANSITION');
    expect((await post(DEMO.researcher, `/api/cases/${c.id}/re-review`, { outcome: 'maybe' })).status).toBe(400);
  });

  it('re-review, follow-up: opens a linked draft pre-filled from the old case', async () => {
    const { c } = await approvedWithConditions();
    const res = await post(DEMO.researcher, `/api/cases/${c.id}/re-review`, { outcome: 'follow_up', note: 'A new industrial partner joins.' });
    expect(res.status).toBe(200);
    const linked = (await d.get(DEMO.researcher, `/api/cases/${res.body.linkedCase.id}`)).body;
    expect(linked).toMatchObject({ state: 'draft', parentCaseId: c.id, title: 'Superconducting films with Toronto', answers: completeAnswers() });
    const created = (await events(DEMO.researcher, linked.id))[0];
    expect(created.payload).toMatchObject({ reReviewOf: c.id, description: 'A new industrial partner joins.' });
    const [pending] = await t.owner.query(`SELECT count(*)::int AS n FROM case_timer WHERE case_id = $1 AND kind = 're_review' AND status = 'pending'`, [c.id]);
    expect(pending.n).toBe(0);
  });

  it('amendment: opens a linked case pre-filled, and marks what changed against the parent', async () => {
    const { c } = await approvedWithConditions();
    const res = await d.ok(DEMO.researcher, c.id, 'request_amendment', { description: 'Adding ETH Zurich as a partner.', changeType: 'new_partner' });
    expect(res.event.action).toBe('request_amendment');
    const linkedId = (await events(DEMO.researcher, c.id)).find((e) => e.action === 'request_amendment')!.payload.linkedCaseId as string;
    const untouched = await d.get(DEMO.researcher, `/api/cases/${linkedId}/changes`);
    expect(untouched.body).toMatchObject({ parentCaseId: c.id, changes: {} });
    const partners = [...completeAnswers().partners, { name: 'ETH Zurich', country: 'CH', type: 'university' }];
    const patched = await t
      .http()
      .patch(`/api/cases/${linkedId}`)
      .set('Authorization', `Bearer ${await t.token(DEMO.researcher)}`)
      .send({ answers: { partners } });
    expect(patched.status).toBe(200);
    const changed = await d.get(DEMO.researcher, `/api/cases/${linkedId}/changes`);
    expect(Object.keys(changed.body.changes)).toEqual(['partners']);
    expect(changed.body.changes.partners.to).toHaveLength(2);
    // Once submitted, the research office sees the same marking.
    await d.ok(DEMO.researcher, linkedId, 'submit');
    expect(Object.keys((await d.get(DEMO.officer, `/api/cases/${linkedId}/changes`)).body.changes)).toEqual(['partners']);
    expect((await events(DEMO.researcher, linkedId))[0].payload).toMatchObject({ amendmentOf: c.id, changeType: 'new_partner' });
  });
});
