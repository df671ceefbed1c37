import { CaseDriver, completeAnswersV3 as v3, createTestApp, DEMO, TestApp, V3_CHECKLIST as checklist } from '@app/testing';

/**
 * Four eyes (issue 13 "Decisions and approvals", issue 12 defect 6), through the HTTP API:
 * a hard-flagged case is triaged below high or approved only by an RSDO lead, with a
 * reason, and never by the lead who triaged it; the lead who triaged a case does not give
 * its final approval; export review set to "not relevant" against the proposal needs a comment.
 */
describe('four eyes on hard flags and on final decisions', () => {
  let t: TestApp;
  let d: CaseDriver;
  let lead2: string;
  beforeAll(async () => {
    t = await createTestApp();
    d = new CaseDriver(t);
    // A second RSDO lead, so a lead's downgrade can be approved by another person.
    lead2 = 'rsdo.lead2@example.ac.uk';
    const [lead] = await t.owner.query(`SELECT password_hash, department_id FROM app_user WHERE email = $1`, [DEMO.lead]);
    await t.owner.query(
      `INSERT INTO app_user (email, name, roles, password_hash, department_id, active) VALUES ($1, 'Second Lead', ARRAY['rsdo_lead','rsdo_officer'], $2, $3, true)`,
      [lead2, lead.password_hash, lead.department_id],
    );
  });
  afterAll(() => t.close());

  /** WMD end use suspected: a hard flag (risk.ts), so the proposal is high. */
  async function hardFlagged() {
    const c = await d.draft(
      DEMO.researcher,
      'Hard-flagged work',
      v3({ checklist: { ...checklist, ps_wmd_end_use: { answer: 'unsure', comment: 'The partner lab also works for a defence ministry.' } } }),
    );
    await d.ok(DEMO.researcher, c.id, 'submit');
    return c;
  }

  it('an officer may not triage a hard-flagged case below high; the lead may, only with a reason', async () => {
    const c = await hardFlagged();
    const byOfficer = await d.act(DEMO.officer, c.id, 'triage', { riskLevel: 'low', exportControlRelevant: false, comment: 'Looks fine.' });
    expect(byOfficer.status).toBe(403);
    expect(byOfficer.body.code).toBe('HARD_FLAG_LEAD_ONLY');
    expect(byOfficer.body.message).toMatch(/hard risk flag \(wmd_end_use\).*only an RSDO lead may triage it below high/);
    const noReason = await d.act(DEMO.lead, c.id, 'triage', { riskLevel: 'low', exportControlRelevant: false });
    expect(noReason.status).toBe(422);
    expect(noReason.body.code).toBe('COMMENT_REQUIRED');
    // High stays open to any officer.
    const other = await hardFlagged();
    expect((await d.ok(DEMO.officer, other.id, 'triage', { riskLevel: 'high', exportControlRelevant: false, comment: 'No export.' })).case.riskLevel).toBe(
      'high',
    );
  });

  it('approving a hard-flagged case: not an officer, not the lead who triaged it, another lead with a reason', async () => {
    const c = await hardFlagged();
    await d.ok(DEMO.lead, c.id, 'triage', { riskLevel: 'low', exportControlRelevant: false, comment: 'The end use was checked with the partner: civil only.' });
    const byOfficer = await d.act(DEMO.officer, c.id, 'approve', { decisionText: 'Approved.', comment: 'ok' });
    expect(byOfficer.status).toBe(403);
    expect(byOfficer.body.code).toBe('HARD_FLAG_LEAD_ONLY');
    const byTriager = await d.act(DEMO.lead, c.id, 'approve', { decisionText: 'Approved.', comment: 'ok' });
    expect(byTriager.body.code).toBe('SEGREGATION_OF_DUTIES');
    expect(byTriager.body.message).toMatch(/another RSDO lead must approve it/);
    const noReason = await d.act(lead2, c.id, 'approve', { decisionText: 'Approved.' });
    expect(noReason.body.code).toBe('COMMENT_REQUIRED');
    const ok = await d.ok(lead2, c.id, 'approve', { decisionText: 'Approved.', comment: 'Civil end use confirmed in writing.' });
    expect(ok.case.state).toBe('approved');
    // Offered actions agree: the officer is not offered approve on a hard-flagged case.
    const other = await hardFlagged();
    await d.ok(DEMO.lead, other.id, 'triage', { riskLevel: 'low', exportControlRelevant: false, comment: 'Civil only.' });
    const offered = (await d.get(DEMO.officer, `/api/cases/${other.id}/actions`)).body.items.map((a: { name: string }) => a.name);
    expect(offered).not.toContain('approve');
  });

  it('issue 12 defect 6: the RSDO lead who triaged a case does not give its final approval after the head endorses it', async () => {
    const c = await d.submitted(DEMO.researcher);
    await d.ok(DEMO.lead, c.id, 'triage', { riskLevel: 'high', exportControlRelevant: false, route: 'head_sign_off', comment: 'Sensitive area.' });
    await d.ok(DEMO.lead, c.id, 'request_sign_off', { decisionText: 'Approve with a plan.' });
    expect((await d.ok(DEMO.headPhysics, c.id, 'endorse', { comment: 'Fine.' })).case.state).toBe('lead_review');
    const byTriager = await d.act(DEMO.lead, c.id, 'approve', { comment: 'Mine.' });
    expect(byTriager.status).toBe(403);
    expect(byTriager.body).toMatchObject({ code: 'SEGREGATION_OF_DUTIES' });
    expect(byTriager.body.message).toMatch(/You triaged this case/);
    expect((await d.ok(lead2, c.id, 'approve', { comment: 'Agreed.' })).case.state).toBe('approved');
  });

  it('setting export review to "not relevant" against the proposal needs a comment', async () => {
    const c = await d.draft(
      DEMO.researcher,
      'Quantum exports',
      v3({ sensitiveAreas: ['quantum_technologies'], exportsFromUk: ['software', 'technical_data'] }),
    );
    await d.ok(DEMO.researcher, c.id, 'submit');
    const [a] = await t.owner.query(`SELECT export_indicator FROM case_risk_assessment WHERE case_id = $1 ORDER BY id DESC LIMIT 1`, [c.id]);
    expect(a.export_indicator).toBe(true);
    const refused = await d.act(DEMO.officer, c.id, 'triage', { riskLevel: 'high', exportControlRelevant: false });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ code: 'COMMENT_REQUIRED' });
    expect(refused.body.message).toMatch(/exportControlRelevant/);
    expect(
      (
        await d.ok(DEMO.officer, c.id, 'triage', {
          riskLevel: 'high',
          exportControlRelevant: false,
          comment: 'Only published results leave the UK; checked the DOI.',
        })
      ).case.exportReviewRequired,
    ).toBe(false);
  });
});
