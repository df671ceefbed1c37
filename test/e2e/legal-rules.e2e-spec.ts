import { CaseDriver, completeAnswersV3 as v3, createTestApp, DEMO, TestApp } from '@app/testing';

/** Issue 13 through HTTP: rules 1, 3, 4 and 7, and the FIRS approval guard. */
describe('legal rules (issue 13) through the API', () => {
  let t: TestApp;
  let d: CaseDriver;
  beforeAll(async () => {
    t = await createTestApp();
    d = new CaseDriver(t);
  }, 120_000);
  afterAll(() => t.close());

  async function submitted(title: string, answers: ReturnType<typeof v3>) {
    const c = await d.draft(DEMO.researcher, title, answers);
    const res = await d.ok(DEMO.researcher, c.id, 'submit');
    expect(res.case.questionnaireVersion).toBe(3);
    return c;
  }
  const risk = async (id: string) => (await d.get(DEMO.officer, `/api/cases/${id}/risk`)).body;

  async function inReview(answers = v3()) {
    const c = await submitted('Review', answers);
    await d.ok(DEMO.officer, c.id, 'triage', { riskLevel: (await risk(c.id)).proposedRiskLevel, exportControlRelevant: true });
    await d.ok(DEMO.officer, c.id, 'start_export_review', { reviewerId: await t.userId(DEMO.exportOfficer) });
    return c;
  }

  it('rule 1: "will be published" does not remove the export indicator; the public-domain exemption needs a DOI or link', async () => {
    const c = await submitted('Quantum with Waterloo', v3({ sensitiveAreas: ['quantum_technologies'], exportsFromUk: ['software', 'technical_data'] }));
    const r = await risk(c.id);
    expect(r.assessment).toMatchObject({ exportIndicator: true, route: 'export_review_then_sign_off' });
    expect(r.assessment.exportReasons.join(' ')).toMatch(/only an export-control officer can record/);

    await d.ok(DEMO.officer, c.id, 'triage', { riskLevel: r.proposedRiskLevel, exportControlRelevant: true });
    await d.ok(DEMO.officer, c.id, 'start_export_review', { reviewerId: await t.userId(DEMO.exportOfficer) });
    const item = { description: 'Qubit control know-how', kind: 'technology', destinationCountry: 'CA', controlEntry: '3E001' };
    const claim = { exemption: 'public_domain', applies: true, reasoning: 'The group will publish it.' };
    const refused = await d.act(DEMO.exportOfficer, c.id, 'complete_export_review', {
      assessment: 'Public domain.',
      items: [item],
      // Evidence must be given (the schema's if/then, export-control.e2e-spec.ts); a plan to publish is not a DOI or link.
      exemptions: [{ ...claim, evidence: 'To be submitted to PRL in 2027.' }],
      outcome: 'no_licence_required',
    });
    expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    expect(refused.body.details.fields.map((f: { field: string }) => f.field)).toEqual(['exemptions[0].evidence']);
    expect(refused.body.message).toMatch(/Intending to publish does not put technology in the public domain/);
    const done = await d.ok(DEMO.exportOfficer, c.id, 'complete_export_review', {
      assessment: 'Already published.',
      items: [item],
      exemptions: [{ ...claim, evidence: 'https://doi.org/10.1103/PhysRevLett.130.000001' }],
      outcome: 'no_licence_required',
    });
    expect(done.case.exportAssessment.exemptions[0].evidence).toBe('https://doi.org/10.1103/PhysRevLett.130.000001');
  });

  it('rule 3: an OGEL is refused with an end-use concern or outside its destinations; its registration reference is recorded', async () => {
    const c = await inReview();
    const item = (destinationCountry: string) => ({ description: 'Crypto know-how', kind: 'technology', destinationCountry, controlEntry: '5E002' });
    const ogel = { outcome: 'ogel', ogelName: 'Export of Dual-Use Items to EU Member States', ogelRegistrationReference: 'GBOGE2026/00012' };
    const concern = await d.act(DEMO.exportOfficer, c.id, 'complete_export_review', {
      assessment: 'x',
      items: [item('FR')],
      ...ogel,
      endUseConcern: { concern: true, kind: 'wmd', note: 'Told of a missile programme.' },
    });
    expect({ status: concern.status, code: concern.body.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    expect(concern.body.message).toMatch(/OGEL cannot be relied on when there is an end-use concern/);
    const outside = await d.act(DEMO.exportOfficer, c.id, 'complete_export_review', { assessment: 'x', items: [item('US')], ...ogel });
    expect(outside.body.details.fields.map((f: { field: string }) => f.field)).toEqual(['items[0].destinationCountry']);
    const noRef = await d.act(DEMO.exportOfficer, c.id, 'complete_export_review', {
      assessment: 'x',
      items: [item('FR')],
      ...ogel,
      ogelRegistrationReference: undefined,
    });
    expect(noRef.body.details.fields.map((f: { field: string }) => f.field)).toEqual(['ogelRegistrationReference']);
    const ok = await d.ok(DEMO.exportOfficer, c.id, 'complete_export_review', { assessment: 'Under the EU OGEL.', items: [item('FR')], ...ogel });
    expect(ok.case.exportAssessment).toMatchObject({ outcome: 'ogel', ogelRegistrationReference: 'GBOGE2026/00012' });
  });

  it("rules 2 and 6: the entry check shows the note of the entry's list family and the exemptions it allows", async () => {
    const ml22 = (await d.get(DEMO.exportOfficer, '/api/export-control/check?entry=ML22.a')).body;
    expect(ml22.exemptionRule).toMatchObject({
      family: 'ml22',
      allowance: { public_domain: 'allowed', basic_scientific_research: 'allowed', patent_application: 'allowed' },
    });
    expect(ml22.exemptionRule.note).toMatch(/ML22 Note 2/);
    const soft = (await d.get(DEMO.exportOfficer, '/api/export-control/check?entry=5D002')).body;
    expect(soft.exemptionRule).toMatchObject({ family: 'dual_use_software', allowance: { basic_scientific_research: 'refused' } });
    expect(soft.exemptionRule.note).toMatch(/General Software Note/);
    const pl = (await d.get(DEMO.exportOfficer, '/api/export-control/check?entry=PL9014&kind=technology')).body;
    expect(pl).toMatchObject({
      ok: true,
      entry: { code: 'PL9014', title: expect.stringMatching(/Quantum/) },
      exemptionRule: { allowance: { basic_scientific_research: 'ecju_advice' } },
    });
    const ref = (await d.get(DEMO.exportOfficer, '/api/export-control/reference')).body;
    expect(ref.ogelRecords.every((o: { source: string; asOf: string }) => o.source && /^\d{4}-\d{2}-\d{2}$/.test(o.asOf))).toBe(true);
  });

  it.each([
    ['HK', 'Hong Kong Polytechnic University'],
    ['MO', 'University of Macau'],
  ])('rule 4: a partner in %s is scored on the China arms embargo, and a military end user there is a hard flag', async (country, name) => {
    const c = await submitted(`Work in ${country}`, v3({ partners: [{ name, country, type: 'university' }] }));
    expect((await risk(c.id)).assessment.summary).toContain(`partner country on the UK arms embargo list: ${name} (${country})`);
    const m = await submitted(`Defence in ${country}`, v3({ partners: [{ name: 'Garrison Lab', country, type: 'military_or_defence' }] }));
    const r = await risk(m.id);
    expect(r.proposedRiskLevel).toBe('high');
    expect(r.assessment.hardFlags.map((h: { code: string }) => h.code)).toContain('military_embargoed');
  });

  it('rule 7 and FIRS: a Russian state university that ships nothing is high, says why, and approval waits for FIRS', async () => {
    const c = await submitted('Climate data with MSU', v3({ partners: [{ name: 'Lomonosov Moscow State University', country: 'RU', type: 'university' }] }));
    const r = await risk(c.id);
    expect(r.proposedRiskLevel).toBe('high');
    const flag = r.assessment.hardFlags.find((h: { code: string }) => h.code === 'trade_sanctions_destination');
    expect(flag.reason).toMatch(/unlisted technology and technical assistance/);
    expect(r.assessment.summary).toContain('Lomonosov Moscow State University (RU) is under UK trade sanctions');
    expect(r.assessment.route).toBe('export_review_then_sign_off');

    // the researcher's own view prompts the registration
    expect((await d.get(DEMO.researcher, `/api/cases/${c.id}`)).body.firs).toMatchObject({
      required: true,
      outstanding: true,
      reasons: [expect.stringContaining('Lomonosov')],
    });
    await d.ok(DEMO.officer, c.id, 'triage', {
      riskLevel: 'high',
      exportControlRelevant: false,
      comment: 'Nothing is shipped; the trade-sanctions concern is handled by this review.',
    });
    const held = await d.act(DEMO.officer, c.id, 'request_sign_off', { decisionText: 'Proceed with conditions.' });
    expect({ status: held.status, code: held.body.code }).toEqual({ status: 409, code: 'FIRS_REGISTRATION_REQUIRED' });
    expect(held.body.message).toMatch(/Foreign Influence Registration Scheme: partner Lomonosov Moscow State University \(RU\)/);

    await d.ok(DEMO.officer, c.id, 'retriage', {
      riskLevel: 'high',
      exportControlRelevant: false,
      comment: 'FIRS considered.',
      firs: { notApplicableReason: 'No arrangement at the direction of a specified person: data exchange only, confirmed with legal services.' },
    });
    // a later re-triage keeps the officer's FIRS record
    await d.ok(DEMO.officer, c.id, 'retriage', { riskLevel: 'high', exportControlRelevant: false, comment: 'Re-checked.' });
    const asked = await d.act(DEMO.officer, c.id, 'request_sign_off', { decisionText: 'Proceed with conditions.' });
    expect(asked.status).toBe(200);
    expect(asked.body.case.firs).toMatchObject({ required: true, outstanding: false });
  });

  it("FIRS: the researcher's registration reference settles it", async () => {
    const c = await submitted(
      'Iranian funder',
      v3({
        funders: [{ name: 'Iran National Science Foundation', country: 'IR', type: 'foreign_government_civil' }],
        firsRegistrationReference: 'FIRS-2026-000123',
      }),
    );
    await d.ok(DEMO.officer, c.id, 'triage', {
      riskLevel: 'high',
      exportControlRelevant: false,
      comment: 'Nothing is shipped; the trade-sanctions concern is handled by this review.',
    });
    expect((await d.act(DEMO.officer, c.id, 'request_sign_off', { decisionText: 'Proceed.' })).status).toBe(200);
  });
});
