import { DataSource } from 'typeorm';
import { ScreeningRepository } from '@app/persistence';
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
  const timers = async (id: string) =>
    (await t.owner.query(`SELECT kind, status FROM case_timer WHERE case_id = $1 AND scope = 'case' ORDER BY id`, [id])).map(
      (r: { kind: string; status: string }) => `${r.kind}:${r.status}`,
    );

  it('an officer suspends an approved case with a reason category; the collaboration timers keep running', async () => {
    const c = await approved();
    expect(await names(DEMO.officer, c.id)).toEqual(expect.arrayContaining(['suspend', 'revoke']));
    expect(await names(DEMO.researcher, c.id)).not.toContain('suspend');

    const bad = await d.act(DEMO.officer, c.id, 'suspend', { reasonCategory: 'bored', reasonText: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/reasonCategory/);
    expect((await d.act(DEMO.researcher, c.id, 'suspend', { reasonCategory: 'other', reasonText: 'x' })).body.code).toBe('NOT_ALLOWED_FOR_ROLE');

    const res = await d.ok(DEMO.officer, c.id, 'suspend', {
      reasonCategory: 'partner_designated',
      reasonText: 'The partner was designated under the Russia regime.',
    });
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

  it("a lead reinstates an officer's suspension: approved again, the suspension cleared, timers intact", async () => {
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

  it('re-screening covers every approved or suspended collaboration until its end date plus the re-review period, not 365 days', async () => {
    const setEnd = (id: string, endDate: string, closedAgo: string) =>
      t.owner.query(
        `UPDATE collaboration_case SET answers = jsonb_set(answers, '{endDate}', to_jsonb($2::text)), closed_at = now() - $3::interval WHERE id = $1`,
        [id, endDate, closedAgo],
      );
    const iso = (monthsFromNow: number) => {
      const x = new Date();
      x.setUTCMonth(x.getUTCMonth() + monthsFromNow);
      return x.toISOString().slice(0, 10);
    };
    // Approved three years ago, running for two more: the old 365-day window dropped it.
    const longRunning = await approved();
    await setEnd(longRunning.id, iso(24), '3 years');
    // Ended eight months ago: still inside the 12-month re-review period.
    const recentlyEnded = await approved();
    await setEnd(recentlyEnded.id, iso(-8), '2 years');
    // Ended two years ago: its life and the period after are over.
    const over = await approved();
    await setEnd(over.id, iso(-24), '3 years');
    // Suspended collaborations are still alive; revoked ones and closures are not.
    const suspended = await approved();
    await d.ok(DEMO.officer, suspended.id, 'suspend', { reasonCategory: 'other', reasonText: 'Inquiry.' });
    await setEnd(suspended.id, iso(6), '2 years');
    const revoked = await approved();
    await d.ok(DEMO.officer, revoked.id, 'revoke', { reason: 'Refused.' });
    const open = await d.submitted(DEMO.researcher);

    const ids = await t.app.get(ScreeningRepository).casesToRescreen(t.app.get(DataSource).manager);
    expect(ids).toEqual(expect.arrayContaining([longRunning.id, recentlyEnded.id, suspended.id, open.id]));
    expect(ids).not.toContain(over.id);
    expect(ids).not.toContain(revoked.id);
  });
});
