import { CaseDriver, createTestApp, DEMO, TestApp } from '@app/testing';

/**
 * Approved is not forever (issue 13): suspend, reinstate and revoke through the HTTP API,
 * and "not in scope" as a closure rather than a rejection.
 */
describe('after approval: suspend, reinstate, revoke; not-in-scope closure', () => {
  let t: TestApp;
  let d: CaseDriver;
  beforeAll(async () => {
    t = await createTestApp();
    d = new CaseDriver(t);
  });
  afterAll(() => t.close());

  async function approved() {
    const c = await d.triaged(DEMO.researcher);
    await d.ok(DEMO.officer, c.id, 'approve', { decisionText: 'Approved.', reviewDate: '2099-06-01' });
    return c;
  }
  const names = async (email: string, id: string) => (await d.get(email, `/api/cases/${id}/actions`)).body.items.map((a: { name: string }) => a.name);
  const timers = async (id: string) => (await t.owner.query(
    `SELECT kind, status FROM case_timer WHERE case_id = $1 AND scope = 'case' ORDER BY id`, [id])).map((r: { kind: string; status: string }) => `${r.kind}:${r.status}`);

  it('an officer suspends an approved case with a reason category; the collaboration timers keep running', async () => {
    const c = await approved();
    expect(await names(DEMO.officer, c.id)).toEqual(expect.arrayContaining(['suspend', 'revoke']));
    expect(await names(DEMO.researcher, c.id)).not.toContain('suspend');

    const bad = await d.act(DEMO.officer, c.id, 'suspend', { reasonCategory: 'bored', reasonText: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/reasonCategory/);
    expect((await d.act(DEMO.researcher, c.id, 'suspend', { reasonCategory: 'other', reasonText: 'x' })).body.code).toBe('NOT_ALLOWED_FOR_ROLE');

    const res = await d.ok(DEMO.officer, c.id, 'suspend', { reasonCategory: 'partner_designated', reasonText: 'The partner was designated under the Russia regime.' });
    expect(res.case.state).toBe('suspended');
    expect(res.case.outcome).toBe('approved');
    expect(await timers(c.id)).toEqual(['re_review:pending']);
    const [ev] = (await d.get(DEMO.officer, `/api/cases/${c.id}/events`)).body.items.slice(-1);
    expect(ev).toMatchObject({ action: 'suspend', fromState: 'approved', toState: 'suspended' });
    expect(ev.payload).toMatchObject({ reasonCategory: 'partner_designated', reasonLabel: 'New designation of a partner' });
  });

  it('only an RSDO lead reinstates, and not the lead who suspended it', async () => {
    const c = await approved();
    await d.ok(DEMO.lead, c.id, 'suspend', { reasonCategory: 'licence_expired_or_refused', reasonText: 'SIEL lapsed.' });
    const byOfficer = await d.act(DEMO.officer, c.id, 'reinstate', { reason: 'Renewed.' });
    expect(byOfficer.status).toBe(403);
    expect(byOfficer.body).toMatchObject({ code: 'NOT_ALLOWED_FOR_ROLE' });
    expect(byOfficer.body.message).toMatch(/only the RSDO lead/);
    const bySuspender = await d.act(DEMO.lead, c.id, 'reinstate', { reason: 'Renewed.' });
    expect(bySuspender.body).toMatchObject({ code: 'SEGREGATION_OF_DUTIES' });
    expect(bySuspender.body.message).toMatch(/another RSDO lead must reinstate/);
    expect((await d.act(DEMO.lead, c.id, 'reinstate', {})).status).toBe(400);
  });

  it('a lead reinstates an officer\'s suspension: approved again, the suspension cleared, timers intact', async () => {
    const c = await approved();
    await d.ok(DEMO.officer, c.id, 'suspend', { reasonCategory: 'condition_breached', reasonText: 'Data shared outside the plan.' });
    const res = await d.ok(DEMO.lead, c.id, 'reinstate', { reason: 'The plan is back in force; training done.' });
    expect(res.case.state).toBe('approved');
    expect(await timers(c.id)).toEqual(['re_review:pending']);
    // Suspended again, a blocking flag stops the reinstatement until it is cleared.
    await d.ok(DEMO.officer, c.id, 'suspend', { reasonCategory: 'other', reasonText: 'Again.' });
    await d.ok(DEMO.officer, c.id, 'flag', { reason: 'New designation to check', blocking: true });
    expect((await d.act(DEMO.lead, c.id, 'reinstate', { reason: 'Fine.' })).body.code).toBe('BLOCKING_FLAG_OPEN');
  });

  it('revoke is terminal, from approved or suspended, and ends every timer', async () => {
    const a = await approved();
    expect((await d.ok(DEMO.officer, a.id, 'revoke', { reason: 'Licence refused.' })).case).toMatchObject({ state: 'revoked', outcome: 'revoked' });
    expect(await timers(a.id)).toEqual(['re_review:cancelled']);
    expect(await names(DEMO.lead, a.id)).toEqual([]);
    const s = await approved();
    await d.ok(DEMO.officer, s.id, 'suspend', { reasonCategory: 'other', reasonText: 'Pending inquiry.' });
    expect((await d.ok(DEMO.lead, s.id, 'revoke', { reason: 'Inquiry upheld.' })).case.state).toBe('revoked');
    expect((await d.act(DEMO.lead, s.id, 'reinstate', { reason: 'x' })).body.code).toBe('INVALID_TRANSITION');
  });

  it('close_not_in_scope closes with outcome not_in_scope; reject no longer takes not_in_scope', async () => {
    const c = await d.submitted(DEMO.researcher);
    const refused = await d.act(DEMO.officer, c.id, 'reject', { reasonCategory: 'not_in_scope', reasonText: 'No partner abroad.' });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toMatch(/reasonCategory/);
    const res = await d.ok(DEMO.officer, c.id, 'close_not_in_scope', { reason: 'No overseas partner; no controlled technology.' });
    expect(res.case).toMatchObject({ state: 'closed', outcome: 'not_in_scope' });
    expect(res.case.closedAt).toBeTruthy();
    const approvedCase = await approved();
    expect((await d.act(DEMO.officer, approvedCase.id, 'close_not_in_scope', { reason: 'x' })).body.code).toBe('INVALID_TRANSITION');
  });
});
