import { DateTime } from 'luxon';
import { CaseDriver, createTestApp, DEMO, TestApp } from '@app/testing';

/** The structured export-control assessment, the control-list reference and the licence gate, through HTTP. */
describe('export-control assessment', () => {
  let t: TestApp;
  let d: CaseDriver;
  beforeAll(async () => {
    t = await createTestApp();
    d = new CaseDriver(t);
  }, 120_000);
  afterAll(() => t.close());

  async function inReview() {
    const c = await d.triaged(DEMO.researcher, { riskLevel: 'medium', exportControlRelevant: true });
    await d.ok(DEMO.officer, c.id, 'start_export_review', { reviewerId: await t.userId(DEMO.exportOfficer) });
    return c;
  }
  const item = { description: 'Quantum key distribution firmware', kind: 'software', destinationCountry: 'CN', controlEntry: '5D002' };

  it('licence gate: a case whose outcome is "licence required" cannot complete the stage until a granted licence is recorded', async () => {
    const c = await inReview();
    const held = await d.act(DEMO.exportOfficer, c.id, 'complete_export_review', {
      assessment: 'Information-security software; no exemption.',
      items: [item],
      outcome: 'licence_required',
      licence: { type: 'siel' },
    });
    expect({ status: held.status, code: held.body.code }).toEqual({ status: 409, code: 'LICENCE_NOT_GRANTED' });
    const applied = await d.act(DEMO.exportOfficer, c.id, 'complete_export_review', {
      assessment: 'Applied on LITE.',
      items: [item],
      outcome: 'licence_applied',
      licence: { type: 'siel', reference: 'GBSIEL/2026/0001234', appliedOn: '2026-01-05' },
    });
    expect({ status: applied.status, code: applied.body.code }).toEqual({ status: 409, code: 'LICENCE_NOT_GRANTED' });
    // Meanwhile the case stays in the stage, so sign-off cannot be requested.
    expect((await d.get(DEMO.officer, `/api/cases/${c.id}`)).body).toMatchObject({ state: 'export_control_review', exportReviewCompleted: false });
    expect((await d.act(DEMO.officer, c.id, 'request_sign_off', { decisionText: 'Proceed.' })).body.code).toBe('INVALID_TRANSITION');

    const granted = await d.ok(DEMO.exportOfficer, c.id, 'complete_export_review', {
      assessment: 'SIEL granted.',
      items: [item],
      outcome: 'licence_granted',
      exemptions: [{ exemption: 'public_domain', applies: false, reasoning: 'Source is unpublished.' }],
      endUseConcern: { concern: false },
      licence: {
        type: 'siel',
        reference: 'GBSIEL/2026/0001234',
        appliedOn: '2026-01-05',
        grantedOn: '2026-02-01',
        expiresOn: '2028-02-01',
        conditions: 'No re-export.',
      },
    });
    expect(granted.case.state).toBe('triaged');
    expect(granted.case.exportReviewCompleted).toBe(true);
    expect(granted.case.exportAssessment).toMatchObject({
      outcome: 'licence_granted',
      items: [item],
      licence: { reference: 'GBSIEL/2026/0001234', expiresOn: '2028-02-01' },
    });
    const [timer, week] = await t.owner.query(
      `SELECT kind, scope, status, due_at, payload FROM case_timer WHERE case_id = $1 AND kind = 'licence_expiry' ORDER BY due_at`,
      [c.id],
    );
    expect(timer).toMatchObject({ scope: 'case', status: 'pending', payload: { expiresOn: '2028-02-01', licenceReference: 'GBSIEL/2026/0001234' } });
    expect(new Date(timer.due_at).toISOString().slice(0, 10)).toBe('2028-01-02');
    // A second reminder a week before, and the lapse that suspends an unrenewed approval the day after expiry.
    expect(new Date(week.due_at).toISOString().slice(0, 10)).toBe('2028-01-25');
    const [lapse] = await t.owner.query(`SELECT scope, status, due_at, payload FROM case_timer WHERE case_id = $1 AND kind = 'licence_lapsed'`, [c.id]);
    expect(lapse).toMatchObject({ scope: 'case', status: 'pending', payload: { expiresOn: '2028-02-01' } });
    expect(new Date(lapse.due_at).getTime()).toBe(DateTime.fromISO('2028-02-02', { zone: t.config.timezone }).toMillis());
  });

  it("refuses what the chosen outcome requires but the body lacks, in a sentence naming the field and the outcome (the schema's if/then)", async () => {
    const c = await inReview();
    const partial = await d.act(DEMO.exportOfficer, c.id, 'complete_export_review', {
      assessment: 'SIEL granted.',
      items: [item],
      outcome: 'licence_granted',
      licence: { type: 'siel', reference: 'GBSIEL/2026/0001234', grantedOn: '2026-02-01', conditions: '   ' },
    });
    expect({ status: partial.status, code: partial.body.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    expect(partial.body.details.fields).toEqual([
      { field: 'licence.expiresOn', message: 'licence.expiresOn is required when outcome is licence_granted.' },
      { field: 'licence.conditions', message: 'licence.conditions must not be blank when outcome is licence_granted.' },
    ]);
    const ogel = await d.act(DEMO.exportOfficer, c.id, 'complete_export_review', {
      assessment: 'Under an OGEL.',
      items: [item],
      outcome: 'ogel',
      ogelName: 'Chemicals',
    });
    expect(ogel.body.message).toBe('ogelRegistrationReference is required when outcome is ogel.');
    expect((await d.get(DEMO.officer, `/api/cases/${c.id}`)).body).toMatchObject({ state: 'export_control_review', exportReviewCompleted: false });
  });

  it('a claimed public-domain exemption must carry its evidence (rule 1): the schema requires it, naming the field and the condition', async () => {
    const c = await inReview();
    const claim = (over: object) =>
      d.act(DEMO.exportOfficer, c.id, 'complete_export_review', {
        assessment: 'Published method.',
        items: [{ description: 'Deposition method', kind: 'technology', destinationCountry: 'CA', controlEntry: '3E001' }],
        exemptions: [{ exemption: 'public_domain', applies: true, reasoning: 'Already published.', ...over }],
        endUseConcern: { concern: false },
        outcome: 'no_licence_required',
      });
    const none = await claim({});
    expect({ status: none.status, code: none.body.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    expect(none.body.details.fields).toEqual([
      {
        field: 'exemptions.0.evidence',
        message: 'exemptions.0.evidence is required when exemptions.0.exemption is public_domain and exemptions.0.applies is true.',
      },
    ]);
    const blank = await claim({ evidence: '   ' });
    expect(blank.body.details.fields).toEqual([
      {
        field: 'exemptions.0.evidence',
        message: 'exemptions.0.evidence must not be blank when exemptions.0.exemption is public_domain and exemptions.0.applies is true.',
      },
    ]);
    // The form reads the same declaration: the served schema requires the evidence under that condition.
    const actions = (await d.get(DEMO.exportOfficer, `/api/cases/${c.id}/actions`)).body;
    const schema = actions.items.find((a: { name: string }) => a.name === 'complete_export_review').schema;
    expect(schema.properties.exemptions.items).toMatchObject({
      if: { properties: { exemption: { const: 'public_domain' }, applies: { const: true } }, required: ['exemption', 'applies'] },
      then: { required: ['evidence'] },
    });
    // Considered and not applied: nothing to evidence.
    const considered = await d.ok(DEMO.exportOfficer, c.id, 'complete_export_review', {
      assessment: 'Unpublished; SIEL granted.',
      items: [item],
      exemptions: [{ exemption: 'public_domain', applies: false, reasoning: 'Not yet published.' }],
      endUseConcern: { concern: false },
      outcome: 'licence_granted',
      licence: { type: 'siel', reference: 'GBSIEL/2026/0009', grantedOn: '2026-02-01', expiresOn: '2028-02-01', conditions: 'None.' },
    });
    expect(considered.case.exportAssessment.exemptions[0]).toMatchObject({ exemption: 'public_domain', applies: false });
  });

  it('a refused licence holds the stage; the officer rejects with the licence-refused reason', async () => {
    const c = await inReview();
    const refused = await d.act(DEMO.exportOfficer, c.id, 'complete_export_review', {
      assessment: 'ECJU refused.',
      items: [item],
      outcome: 'licence_refused',
      licence: { type: 'siel', reference: 'GBSIEL/2026/9' },
    });
    expect(refused.body.code).toBe('LICENCE_NOT_GRANTED');
    const rejected = await d.ok(DEMO.officer, c.id, 'reject', { reasonCategory: 'export_licence_refused', reasonText: 'The export licence was refused.' });
    expect(rejected.case).toMatchObject({ state: 'rejected', outcome: 'rejected', rejection: { reasonCategory: 'export_licence_refused' } });
  });

  it('the licence-expiry reminder survives approval (closing the stage cancels only what it should)', async () => {
    const c = await d.triaged(DEMO.researcher, { riskLevel: 'low', exportControlRelevant: true });
    await d.ok(DEMO.officer, c.id, 'start_export_review', { reviewerId: await t.userId(DEMO.exportOfficer) });
    await d.ok(DEMO.exportOfficer, c.id, 'complete_export_review', {
      assessment: 'OIEL held.',
      items: [{ ...item, destinationCountry: 'US' }],
      outcome: 'licence_granted',
      licence: { type: 'oiel', reference: 'GBOIEL/2025/77', grantedOn: '2025-06-01', expiresOn: '2030-06-01', conditions: 'none' },
    });
    await d.ok(DEMO.officer, c.id, 'approve', { decisionText: 'Approved under the OIEL.' });
    const rows = await t.owner.query(`SELECT kind, status FROM case_timer WHERE case_id = $1 AND scope = 'case' AND status = 'pending' ORDER BY kind`, [c.id]);
    expect(rows.map((r: { kind: string }) => r.kind)).toEqual(['licence_expiry', 'licence_expiry', 'licence_lapsed', 're_review']);
  });

  it.each([
    ['a malformed control-list entry', { items: [{ ...item, controlEntry: 'ML23' }], outcome: 'licence_granted' }, 400],
    [
      'an exemption claimed with a WMD concern',
      {
        items: [{ ...item, controlEntry: '3E001' }],
        outcome: 'no_licence_required',
        exemptions: [{ exemption: 'basic_scientific_research', applies: true, reasoning: 'Fundamental.' }],
        endUseConcern: { concern: true, kind: 'wmd' },
      },
      400,
    ],
    ['a Military List item with "no licence required"', { items: [{ ...item, controlEntry: 'ML22' }], outcome: 'no_licence_required' }, 400],
    ['an OGEL outcome without naming it', { items: [item], outcome: 'ogel' }, 400],
  ])('refuses %s', async (_name, body, status) => {
    const c = await inReview();
    const res = await d.act(DEMO.exportOfficer, c.id, 'complete_export_review', { assessment: 'x', ...body });
    expect({ status: res.status, code: res.body.code }).toEqual({ status, code: 'VALIDATION_FAILED' });
  });

  it('an OGEL outcome, and a covered dual-use technology under the basic-research exemption, complete the stage', async () => {
    const a = await inReview();
    await d.ok(DEMO.exportOfficer, a.id, 'complete_export_review', {
      assessment: 'OGEL registered.',
      items: [{ ...item, destinationCountry: 'FR' }],
      outcome: 'ogel',
      ogelName: 'Export of Dual-Use Items to EU Member States',
      ogelRegistrationReference: 'GBOGE2026/00012',
    });
    const b = await inReview();
    const done = await d.ok(DEMO.exportOfficer, b.id, 'complete_export_review', {
      assessment: 'Fundamental research.',
      items: [{ description: 'Deposition method', kind: 'technology', destinationCountry: 'CA', controlEntry: '3E001' }],
      exemptions: [{ exemption: 'basic_scientific_research', applies: true, reasoning: 'No practical aim.' }],
      endUseConcern: { concern: false },
      outcome: 'no_licence_required',
    });
    expect(done.case.exportAssessment.exemptions[0]).toMatchObject({ exemption: 'basic_scientific_research', applies: true });
  });

  it('serves the searchable reference table and the entry format check', async () => {
    const ref = await d.get(DEMO.exportOfficer, '/api/export-control/reference?q=telecommunications');
    expect(ref.status).toBe(200);
    expect(ref.body.items).toEqual([expect.objectContaining({ code: '5', list: 'dual_use_category' })]);
    // issue 13, rule 4: the OGEL (Technology for Dual-Use Items) was revoked from 31 December 2020
    expect(ref.body.ogels).toContain('Cryptographic Development');
    expect(ref.body.ogels).not.toContain('Technology for Dual-Use Items');
    const ok = await d.get(DEMO.exportOfficer, '/api/export-control/check?entry=5a002.a');
    expect(ok.body).toMatchObject({ ok: true, entry: { code: '5A002.a', list: 'dual_use', group: 'A' } });
    const bad = await d.get(DEMO.exportOfficer, '/api/export-control/check?entry=ML23');
    expect(bad.body.ok).toBe(false);
  });
});
