import { CaseDriver, completeAnswers, createTestApp, DEMO, TestApp } from '@app/testing';

/** One HTTP test per refusal code: status, code and a sentence, through the real API. */
describe('refusal codes over HTTP', () => {
  let t: TestApp;
  let d: CaseDriver;
  beforeAll(async () => {
    t = await createTestApp();
    d = new CaseDriver(t);
  });
  afterAll(() => t.close());

  const expectRefusal = (res: { status: number; body: { code: string; message: string; requestId: string } }, status: number, code: string) => {
    expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
    expect(res.body.message).toMatch(/\w+.*[.)]$/);
    expect(res.body.requestId).toBeTruthy();
  };

  it('INVALID_TRANSITION (409): approving a case still in submitted', async () => {
    const c = await d.submitted();
    expectRefusal(await d.act(DEMO.officer, c.id, 'approve', { decisionText: 'ok' }), 409, 'INVALID_TRANSITION');
  });

  it('STALE_VERSION (409): expectedVersion behind the case', async () => {
    const c = await d.submitted();
    expectRefusal(await d.act(DEMO.officer, c.id, 'triage', { riskLevel: 'low', exportControlRelevant: false, expectedVersion: 1 }), 409, 'STALE_VERSION');
  });

  it('NOT_ALLOWED_FOR_ROLE (403): a researcher cannot triage their own case', async () => {
    const c = await d.submitted();
    expectRefusal(await d.act(DEMO.researcher, c.id, 'triage', { riskLevel: 'low', exportControlRelevant: false }), 403, 'NOT_ALLOWED_FOR_ROLE');
  });

  it('SEGREGATION_OF_DUTIES (403): an officer cannot triage a case they submitted', async () => {
    await t.owner.query(
      `UPDATE app_user SET roles = '{rsdo_officer,researcher}', department_id = (SELECT id FROM department WHERE code = 'PHYS') WHERE email = $1`,
      [DEMO.officer2],
    );
    const c = await d.submitted(DEMO.officer2);
    expectRefusal(await d.act(DEMO.officer2, c.id, 'triage', { riskLevel: 'low', exportControlRelevant: false }), 403, 'SEGREGATION_OF_DUTIES');
  });

  it('SEGREGATION_OF_DUTIES (403): the officer who triaged cannot sign as a delegate', async () => {
    const c = await d.triaged(DEMO.researcher, { riskLevel: 'medium', exportControlRelevant: false });
    const officer = await t.userId(DEMO.officer);
    await t.owner.query(
      `INSERT INTO department_delegate (department_id, delegate_user_id, starts_on, ends_on)
       SELECT id, $1, current_date - 1, current_date + 1 FROM department WHERE code = 'PHYS'`,
      [officer],
    );
    await d.ok(DEMO.officer2, c.id, 'request_sign_off', { decisionText: 'Proceed.' });
    expectRefusal(await d.act(DEMO.officer, c.id, 'endorse', {}), 403, 'SEGREGATION_OF_DUTIES');
    await t.owner.query(`DELETE FROM department_delegate WHERE delegate_user_id = $1`, [officer]);
  });

  it('EXPORT_REVIEW_REQUIRED (409): sign-off requested before the required export review', async () => {
    const c = await d.triaged(DEMO.researcher, { riskLevel: 'medium', exportControlRelevant: true });
    expectRefusal(await d.act(DEMO.officer, c.id, 'request_sign_off', { decisionText: 'Proceed.' }), 409, 'EXPORT_REVIEW_REQUIRED');
  });

  it('BLOCKING_FLAG_OPEN (409): a blocking flag stops approval until cleared', async () => {
    const c = await d.triaged();
    const flagged = await d.ok(DEMO.officer, c.id, 'flag', { reason: 'Possible sanctions match', blocking: true });
    expectRefusal(await d.act(DEMO.officer, c.id, 'approve', { decisionText: 'ok' }), 409, 'BLOCKING_FLAG_OPEN');
    const flagId = flagged.case.flags[0].id;
    const unknown = await d.act(DEMO.officer, c.id, 'clear_flag', {
      flagId: '00000000-0000-4000-8000-000000000000',
      resolution: 'false_positive',
      reason: 'x',
    });
    expectRefusal(unknown, 400, 'VALIDATION_FAILED');
    expect(unknown.body.message).toMatch(/^flagId: there is no open flag/);
    await d.ok(DEMO.officer, c.id, 'clear_flag', { flagId, resolution: 'false_positive', reason: 'Different entity: other country.' });
    expect((await d.act(DEMO.officer, c.id, 'approve', { decisionText: 'ok' })).status).toBe(200);
  });

  it('TRIAGE_STALE (409): after a decline, sign-off needs a fresh triage', async () => {
    const c = await d.triaged(DEMO.researcher, { riskLevel: 'medium', exportControlRelevant: false });
    await d.ok(DEMO.officer, c.id, 'request_sign_off', { decisionText: 'Proceed.' });
    await d.ok(DEMO.headPhysics, c.id, 'decline', { comment: 'Need a data management plan first.' });
    expectRefusal(await d.act(DEMO.officer, c.id, 'request_sign_off', { decisionText: 'Proceed.' }), 409, 'TRIAGE_STALE');
    await d.ok(DEMO.officer, c.id, 'retriage', { riskLevel: 'medium', exportControlRelevant: false, comment: 'DMP received.' });
    expect((await d.act(DEMO.officer, c.id, 'request_sign_off', { decisionText: 'Proceed.' })).status).toBe(200);
  });

  it('QUESTIONNAIRE_INCOMPLETE (422): submit lists the missing fields', async () => {
    const c = await d.draft(DEMO.researcher, 'Half-finished', completeAnswers({ fundingSource: undefined, partners: [] }));
    const res = await d.act(DEMO.researcher, c.id, 'submit');
    expectRefusal(res, 422, 'QUESTIONNAIRE_INCOMPLETE');
    const fields = res.body.details.fields.map((f: { field: string }) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['fundingSource']));
    expect(fields.some((f: string) => f.startsWith('partners'))).toBe(true);
  });

  it('RISK_LEVEL_TOO_HIGH (409): an officer cannot approve a medium-risk case alone', async () => {
    const c = await d.triaged(DEMO.researcher, { riskLevel: 'medium', exportControlRelevant: false });
    expectRefusal(await d.act(DEMO.officer, c.id, 'approve', { decisionText: 'ok' }), 409, 'RISK_LEVEL_TOO_HIGH');
  });

  it('COMMENT_REQUIRED (422): overriding the proposed risk level needs a comment', async () => {
    const c = await d.submitted();
    await t.owner.query(`UPDATE collaboration_case SET proposed_risk_level = 'high' WHERE id = $1`, [c.id]);
    expectRefusal(await d.act(DEMO.officer, c.id, 'triage', { riskLevel: 'low', exportControlRelevant: false }), 422, 'COMMENT_REQUIRED');
    expect(
      (
        await d.act(DEMO.officer, c.id, 'triage', {
          riskLevel: 'low',
          exportControlRelevant: false,
          comment: 'Partner is a civil university; proposal over-weights the country.',
        })
      ).status,
    ).toBe(200);
  });

  it('VALIDATION_FAILED (400): the body is checked against the action schema, field by field', async () => {
    const c = await d.submitted();
    const res = await d.act(DEMO.officer, c.id, 'triage', { riskLevel: 'extreme', surprise: 1 });
    expectRefusal(res, 400, 'VALIDATION_FAILED');
    expect(res.body.message).toContain('riskLevel must be one of: low, medium, high.');
    expect(res.body.message).toContain('exportControlRelevant is required.');
    expect(res.body.message).toContain('surprise is not a field this action accepts.');
    // Nothing already saved was lost.
    expect((await d.get(DEMO.officer, `/api/cases/${c.id}`)).body.state).toBe('submitted');
  });

  it('UNKNOWN_ACTION (404): an action that does not exist', async () => {
    const c = await d.submitted();
    expectRefusal(await d.act(DEMO.officer, c.id, 'teleport', {}), 404, 'UNKNOWN_ACTION');
  });

  it('NOT_FOUND (404): a case the caller may not see looks like no case at all', async () => {
    const c = await d.submitted(DEMO.researcher);
    expectRefusal(await d.get(DEMO.researcher2, `/api/cases/${c.id}`), 404, 'NOT_FOUND');
    expectRefusal(await d.act(DEMO.researcher2, c.id, 'withdraw', {}), 404, 'NOT_FOUND');
    expectRefusal(await d.get(DEMO.researcher, `/api/cases/not-a-uuid`), 404, 'NOT_FOUND');
    expectRefusal(await d.get(DEMO.researcher, `/api/cases/00000000-0000-4000-8000-000000000000`), 404, 'NOT_FOUND');
  });

  it('UNAUTHENTICATED (401): no token, or a forged one', async () => {
    expectRefusal(await t.http().get('/api/cases'), 401, 'UNAUTHENTICATED');
    expectRefusal(await t.http().get('/api/cases').set('Authorization', 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.bad'), 401, 'UNAUTHENTICATED');
  });

  it('FORBIDDEN (403): only researchers open cases; only admins verify the audit trail', async () => {
    const res = await t
      .http()
      .post('/api/cases')
      .set('Authorization', `Bearer ${await t.token(DEMO.exportOfficer)}`)
      .send({ title: 'x' });
    expectRefusal(res, 403, 'FORBIDDEN');
    expectRefusal(await d.get(DEMO.researcher, '/api/admin/audit/verify'), 403, 'FORBIDDEN');
  });

  it('CONFLICT (409): a condition already recorded as met', async () => {
    const c = await d.triaged();
    await d.ok(DEMO.officer, c.id, 'approve', { decisionText: 'Approved.', conditions: [{ text: 'Travel-device rules briefing' }] });
    await d.ok(DEMO.officer, c.id, 'record_condition_met', { conditionIndex: 0 });
    expectRefusal(await d.act(DEMO.officer, c.id, 'record_condition_met', { conditionIndex: 0 }), 409, 'CONFLICT');
  });

  it('a draft can no longer be edited once submitted, and bad answers name the field', async () => {
    const c = await d.draft();
    const tok = await t.token(DEMO.researcher);
    const bad = await t
      .http()
      .patch(`/api/cases/${c.id}`)
      .set('Authorization', `Bearer ${tok}`)
      .send({ answers: { partners: [{ name: 'X', country: 'Narnia', type: 'university' }] } });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/country/);
    await d.ok(DEMO.researcher, c.id, 'submit');
    const late = await t.http().patch(`/api/cases/${c.id}`).set('Authorization', `Bearer ${tok}`).send({ title: 'Changed' });
    expectRefusal(late, 409, 'INVALID_TRANSITION');
  });
});
