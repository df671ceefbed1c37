import { allQuestions, QUESTIONNAIRE_V2, RISK_CONFIG } from '@app/domain';
import { CaseDriver, completeAnswers, createTestApp, DEMO, TestApp } from '@app/testing';

const checklist = Object.fromEntries(
  allQuestions(QUESTIONNAIRE_V2)
    .filter((q) => q.checklist)
    .map((q) => [q.id, { answer: 'no' }]),
);
const v2 = (over: Record<string, unknown> = {}) => ({
  ...completeAnswers(),
  fundingType: 'uk_public',
  technologyReadiness: 'applied_research',
  publication: 'public_domain',
  exportsFromUk: [],
  personalData: 'none',
  resultsOwnership: 'university',
  commercialExploitation: 'none',
  partnerAccess: 'none',
  redFlags: [],
  checklist,
  ...over,
});

/** The structured intake: versioned questions, field-level completeness, scoring at submit and on respond. */
describe('structured intake and explained triage', () => {
  let t: TestApp;
  let d: CaseDriver;
  beforeAll(async () => {
    t = await createTestApp();
    d = new CaseDriver(t);
  });
  afterAll(() => t.close());

  it('serves the questionnaire definitions as data', async () => {
    const list = await d.get(DEMO.researcher, '/api/questionnaires');
    expect(list.body.current).toBe(3);
    const def = await d.get(DEMO.researcher, '/api/questionnaires/2');
    expect(def.body.sections.map((s: { id: string }) => s.id)).toContain('partner_suitability');
    const v3 = await d.get(DEMO.researcher, '/api/questionnaires/3');
    expect(v3.body.sections.map((s: { id: string }) => s.id)).toContain('foreign_influence');
    expect((await d.get(DEMO.researcher, '/api/questionnaires/9')).status).toBe(404);
  });

  it('a draft saves partial v2 answers; submit names every missing field', async () => {
    const c = await d.draft(DEMO.researcher, 'Partial', completeAnswers({ fundingType: 'uk_public', checklist: { ps_misuse: { answer: 'unsure' } } }));
    const res = await d.act(DEMO.researcher, c.id, 'submit');
    expect(res.status).toBe(422);
    const fields = res.body.details.fields.map((f: { field: string }) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['publication', 'exportsFromUk', 'checklist.ps_misuse.comment', 'checklist.ps_wmd_end_use']));
  });

  it('submit scores the case, records the questionnaire and rules versions, and explains the proposal', async () => {
    const c = await d.draft(
      DEMO.researcher,
      'Quantum sensing with Fudan',
      v2({
        partners: [{ name: 'Fudan University', country: 'CN', type: 'university' }],
        sensitiveAreas: ['quantum_technologies'],
      }),
    );
    const submitted = await d.ok(DEMO.researcher, c.id, 'submit');
    expect(submitted.case.questionnaireVersion).toBe(2);
    const risk = (await d.get(DEMO.officer, `/api/cases/${c.id}/risk`)).body;
    expect(risk.proposedRiskLevel).toBe('medium');
    expect(risk.assessment).toMatchObject({
      level: 'medium',
      route: 'head_sign_off',
      rulesVersion: RISK_CONFIG.version,
      questionnaireVersion: 2,
      trigger: 'submit',
    });
    expect(risk.assessment.summary).toContain('partner country on the UK arms embargo list: Fudan University (CN)');
    expect(risk.assessment.summary).toContain('area: Quantum Technologies');
    // the officer decides: disagreeing needs a comment
    expect((await d.act(DEMO.officer, c.id, 'triage', { riskLevel: 'low', exportControlRelevant: false })).body.code).toBe('COMMENT_REQUIRED');
    await d.ok(DEMO.officer, c.id, 'triage', { riskLevel: 'medium', exportControlRelevant: false, route: 'head_sign_off' });
  });

  it('changed answers on respond are a diff; the case is rescored and the triage goes stale when the level changes', async () => {
    const c = await d.draft(DEMO.researcher, 'Batteries with Toronto', v2());
    await d.ok(DEMO.researcher, c.id, 'submit');
    await d.ok(DEMO.officer, c.id, 'triage', { riskLevel: 'low', exportControlRelevant: false });
    await d.ok(DEMO.officer, c.id, 'request_information', { question: 'Who else is involved?', replyBy: '2099-01-01' });
    const partners = [
      { name: 'University of Toronto', country: 'CA', type: 'university' },
      { name: 'Zhejiang University', country: 'CN', type: 'university' },
    ];
    const responded = await d.ok(DEMO.researcher, c.id, 'respond', {
      message: 'We added Zhejiang.',
      changes: { partners, sensitiveAreas: ['advanced_materials'] },
    });
    expect(responded.case.triageStale).toBeUndefined(); // the researcher's view hides triage
    const events = (await d.get(DEMO.officer, `/api/cases/${c.id}/events`)).body.items;
    const respond = events.find((e: { action: string }) => e.action === 'respond');
    expect(Object.keys(respond.payload.diff).sort()).toEqual(['partners', 'sensitiveAreas']);
    expect(respond.payload.rescored).toMatchObject({ previousLevel: 'low', proposedRiskLevel: 'medium', levelChanged: true, triageStale: true });
    const risk = (await d.get(DEMO.officer, `/api/cases/${c.id}/risk`)).body;
    expect(risk).toMatchObject({ triageStale: true, proposedRiskLevel: 'medium' });
    expect((await d.act(DEMO.officer, c.id, 'approve', { decisionText: 'ok' })).body.code).toBe('TRIAGE_STALE');
  });

  it('a case answered under version 1 still renders with its own questions', async () => {
    const c = await d.submitted();
    const res = await d.get(DEMO.researcher, `/api/cases/${c.id}/answers`);
    expect(res.status).toBe(200);
    expect(res.body.questionnaireVersion).toBe(1);
    const items = res.body.sections.flatMap((s: { items: { id: string; value: string }[] }) => s.items);
    expect(items.find((i: { id: string }) => i.id === 'dataSharing').value).toBe('Published results only.');
    expect(res.body.sections.map((s: { id: string }) => s.id)).not.toContain('other');
    // version 1 answers are scored, but only as an indication: no proposal an override must justify
    const risk = (await d.get(DEMO.officer, `/api/cases/${c.id}/risk`)).body;
    expect(risk).toMatchObject({ proposedRiskLevel: null, questionnaireVersion: 1 });
    expect(risk.assessment.level).toBe('low');
  });
});
