import { CaseDriver, completeAnswers, completeV3Answers as v3, createTestApp, DEMO, TestApp } from '@app/testing';

/**
 * The partner register and people (issue 19), through HTTP: organisations shared across
 * cases, the organisation page, due diligence, merges, the precedent panel; ATAS
 * blocking approval; co-investigators seeing and contributing; the PI's confirmation.
 */
describe('partner register and people', () => {
  let t: TestApp;
  let d: CaseDriver;
  beforeAll(async () => {
    t = await createTestApp();
    d = new CaseDriver(t);
  }, 120_000);
  afterAll(() => t.close());

  const send = async (method: 'post' | 'patch', email: string, path: string, body: Record<string, unknown>) =>
    t
      .http()
      [method](path)
      .set('Authorization', `Bearer ${await t.token(email)}`)
      .send(body);
  const inAYear = () => new Date(Date.now() + 365 * 86400_000).toISOString().slice(0, 10);
  const lowTriage = { riskLevel: 'low', exportControlRelevant: false, comment: 'Basic research; no export.' };

  async function caseWith(title: string, answers: Record<string, unknown>, owner: string = DEMO.researcher) {
    const c = await d.draft(owner, title, 'funders' in answers ? answers : completeAnswers(answers));
    await d.ok(owner, c.id, 'submit');
    return c;
  }

  it('two cases with the same partner (spelt differently) share one organisation, with both cases, its funder and its parent on the page', async () => {
    const a = await caseWith(
      'Films with Acme',
      v3({
        partners: [{ name: 'Acme Photonics Ltd', country: 'DE', type: 'company', parentOrganisation: 'Acme Holdings AG' }],
        funders: [{ name: 'Volkswagen Stiftung', country: 'DE', type: 'charity' }],
      }),
    );
    const b = await caseWith('Lasers with Acme', { partners: [{ name: 'ACME  photonics limited', country: 'DE', type: 'company' }] });
    const list = await d.get(DEMO.officer, '/api/organisations?q=acme photonics');
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(1);
    const org = list.body.items[0];
    expect(org).toMatchObject({ name: 'Acme Photonics Ltd', country: 'DE', caseCount: 2, roles: ['partner'] });

    const page = await d.get(DEMO.officer, `/api/organisations/${org.id}`);
    expect(page.status).toBe(200);
    expect(page.body.cases.map((c: { id: string }) => c.id).sort()).toEqual([a.id, b.id].sort());
    expect(page.body.organisation.parentName).toBe('Acme Holdings AG');
    const funders = await d.get(DEMO.officer, '/api/organisations?q=volkswagen');
    expect(funders.body.items[0]).toMatchObject({ name: 'Volkswagen Stiftung', roles: ['funder'], caseCount: 1 });

    // Staff only: a researcher is refused the register and the precedent panel is a 404 to them.
    expect((await d.get(DEMO.researcher, `/api/organisations/${org.id}`)).status).toBe(403);
    expect((await d.get(DEMO.researcher, `/api/cases/${a.id}/precedents`)).status).toBe(404);

    // Decide the first; the second's precedent panel shows it with the decision and the reason it matched.
    await d.ok(DEMO.officer, a.id, 'triage', lowTriage);
    await d.ok(DEMO.officer2, a.id, 'approve', {
      decisionText: 'Approved: published results only.',
      conditions: [{ kind: 'training', text: 'Complete Trusted Research training.' }],
      reviewDate: inAYear(),
    });
    const prec = await d.get(DEMO.officer, `/api/cases/${b.id}/precedents`);
    expect(prec.status).toBe(200);
    expect(prec.body.organisations[0]).toMatchObject({ organisationId: org.id, role: 'partner', nameGiven: 'ACME  photonics limited' });
    const p = prec.body.items.find((x: { id: string }) => x.id === a.id);
    expect(p).toMatchObject({
      outcome: 'approved_with_conditions',
      decisionText: 'Approved: published results only.',
      triageComment: 'Basic research; no export.',
    });
    expect(p.matchedOn).toContain('same organisation');
    expect(p.conditions[0].text).toBe('Complete Trusted Research training.');
    const after = await d.get(DEMO.officer, `/api/organisations/${org.id}`);
    expect(after.body.cases.find((c: { id: string }) => c.id === a.id)).toMatchObject({
      outcome: 'approved_with_conditions',
      decisionText: 'Approved: published results only.',
    });
  });

  it('due diligence: cleared needs a date it lasts until; the status, reason and history show on the page; documents are kept', async () => {
    await caseWith('Work with Borealis', { partners: [{ name: 'Borealis Institute', country: 'NO', type: 'research_institute' }] });
    const org = (await d.get(DEMO.officer, '/api/organisations?q=borealis')).body.items[0];
    const missing = await send('post', DEMO.officer, `/api/organisations/${org.id}/due-diligence`, { status: 'cleared', reason: 'Questionnaire reviewed.' });
    expect(missing.status).toBe(400);
    expect(missing.body.message).toMatch(/expiresOn/);
    const bad = await send('post', DEMO.officer, `/api/organisations/${org.id}/due-diligence`, { status: 'cleared', reason: 'x', expiresOn: '2027-02-30' });
    expect(bad.status).toBe(400);
    const until = inAYear();
    const ok = await send('post', DEMO.officer, `/api/organisations/${org.id}/due-diligence`, {
      status: 'cleared',
      reason: 'Questionnaire reviewed; no concerns.',
      expiresOn: until,
    });
    expect(ok.status).toBe(200);
    expect(ok.body.organisation).toMatchObject({ ddStatus: 'cleared', ddExpiresOn: until, ddReason: 'Questionnaire reviewed; no concerns.' });
    const restricted = await send('post', DEMO.lead, `/api/organisations/${org.id}/due-diligence`, { status: 'restricted', reason: 'New ownership to check.' });
    expect(restricted.body.dueDiligence.map((x: { status: string }) => x.status)).toEqual(['restricted', 'cleared']);
    const doc = await send('post', DEMO.officer, `/api/organisations/${org.id}/documents`, {
      kind: 'due_diligence_questionnaire',
      title: 'DDQ 2026',
      reference: 'RM-2026-114',
      documentDate: '2026-11-02',
    });
    expect(doc.status).toBe(201);
    expect(doc.body.documents[0]).toMatchObject({ kind: 'due_diligence_questionnaire', title: 'DDQ 2026', documentDate: '2026-11-02' });
    expect((await send('post', DEMO.exportOfficer, `/api/organisations/${org.id}/due-diligence`, { status: 'prohibited', reason: 'x' })).status).toBe(403);
  });

  it('merge: records with the same name in two countries, or the same website, are offered as duplicates; an officer merges them and the cases follow', async () => {
    const one = await caseWith('Nordlys one', { partners: [{ name: 'Nordlys Lab', country: 'SE', type: 'research_institute' }] });
    const two = await caseWith('Nordlys two', { partners: [{ name: 'Nordlys Lab', country: 'DK', type: 'research_institute' }] });
    const orgs = (await d.get(DEMO.officer, '/api/organisations?q=nordlys')).body.items as { id: string; country: string }[];
    expect(orgs).toHaveLength(2);
    const se = orgs.find((o) => o.country === 'SE')!;
    const dk = orgs.find((o) => o.country === 'DK')!;
    const ids = await send('patch', DEMO.officer, `/api/organisations/${dk.id}`, {
      website: 'https://www.nordlys.example/about',
      rorId: 'https://ror.org/03dbr7087',
    });
    expect(ids.status).toBe(200);
    expect(ids.body.organisation).toMatchObject({ websiteDomain: 'nordlys.example', rorId: '03dbr7087' });
    expect((await send('patch', DEMO.officer, `/api/organisations/${dk.id}`, { rorId: 'not a ror' })).status).toBe(400);
    const page = await d.get(DEMO.officer, `/api/organisations/${se.id}`);
    expect(page.body.duplicates).toEqual([expect.objectContaining({ id: dk.id, reasons: ['same name'] })]);
    const merged = await send('post', DEMO.officer, `/api/organisations/${dk.id}/merge`, { intoId: se.id });
    expect(merged.status).toBe(200);
    expect(merged.body.movedCases).toBe(1);
    expect(merged.body.cases.map((c: { id: string }) => c.id).sort()).toEqual([one.id, two.id].sort());
    expect(merged.body.organisation.websiteDomain).toBe('nordlys.example');
    expect((await d.get(DEMO.officer, '/api/organisations?q=nordlys')).body.items).toHaveLength(1);
    expect((await send('post', DEMO.officer, `/api/organisations/${dk.id}/merge`, { intoId: se.id })).status).toBe(409);
    // A later case naming the merged record's name and country joins the record it was merged into.
    const three = await caseWith('Nordlys three', { partners: [{ name: 'Nordlys Lab', country: 'DK', type: 'research_institute' }] });
    const again = await d.get(DEMO.officer, `/api/organisations/${se.id}`);
    expect(again.body.cases.map((c: { id: string }) => c.id)).toContain(three.id);
    expect((await d.get(DEMO.officer, '/api/organisations?q=nordlys')).body.items).toHaveLength(1);
  });

  it('ATAS: a visiting researcher of a non-exempt nationality on a sensitive-area case blocks approval, with the sentence, until the certificate is recorded', async () => {
    const c = await d.draft(DEMO.researcher, 'Quantum sensing visit', completeAnswers({ sensitiveAreas: ['quantum_technologies'] }));
    const added = await send('post', DEMO.researcher, `/api/cases/${c.id}/people`, {
      name: 'Li Wei',
      role: 'visiting_researcher',
      affiliation: 'Example University',
      nationalities: ['CN'],
      conflicts: [{ kind: 'talent_programme', description: 'Member of a provincial talent programme until 2025.' }],
    });
    expect(added.status).toBe(201);
    expect(added.body.items[0]).toMatchObject({ name: 'Li Wei', atasRequired: true, atas: null });
    expect(added.body.atasOutstanding).toMatch(/ATAS certificate.*Li Wei/);
    const exempt = await send('post', DEMO.researcher, `/api/cases/${c.id}/people`, {
      name: 'Marie Dubois',
      role: 'visiting_researcher',
      nationalities: ['FR'],
    });
    expect(exempt.body.items.find((p: { name: string }) => p.name === 'Marie Dubois').atasRequired).toBe(false);
    expect(
      (await send('post', DEMO.researcher, `/api/cases/${c.id}/people`, { name: 'X', role: 'visiting_researcher', nationalities: ['china'] })).status,
    ).toBe(400);

    await d.ok(DEMO.researcher, c.id, 'submit');
    await d.ok(DEMO.officer, c.id, 'triage', lowTriage);
    const officerView = await d.get(DEMO.officer, `/api/cases/${c.id}/people`);
    expect(officerView.body.items[0].conflicts).toEqual([{ kind: 'talent_programme', description: 'Member of a provincial talent programme until 2025.' }]);
    const blocked = await d.act(DEMO.officer2, c.id, 'approve', { decisionText: 'Approved.', reviewDate: inAYear() });
    expect(blocked.status).toBe(409);
    expect(blocked.body.code).toBe('ATAS_CERTIFICATE_REQUIRED');
    expect(blocked.body.message).toBe('Approval waits for an ATAS certificate: record the certificate reference and its dates for Li Wei.');
    const actions = await d.get(DEMO.officer2, `/api/cases/${c.id}/actions`);
    expect(actions.body.blocked).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'approve', code: 'ATAS_CERTIFICATE_REQUIRED' })]));

    const person = officerView.body.items[0].id;
    const wrongDates = await send('patch', DEMO.researcher, `/api/cases/${c.id}/people/${person}`, {
      atas: { certificateReference: 'ATAS-123', issuedOn: '2026-10-01', expiresOn: '2026-09-01' },
    });
    expect(wrongDates.status).toBe(400);
    const recorded = await send('patch', DEMO.researcher, `/api/cases/${c.id}/people/${person}`, {
      atas: { certificateReference: 'ATAS-2026-000123', issuedOn: '2026-10-01', expiresOn: inAYear() },
    });
    expect(recorded.status).toBe(200);
    expect(recorded.body.atasOutstanding).toBeNull();
    const approved = await d.ok(DEMO.officer2, c.id, 'approve', { decisionText: 'Approved.', reviewDate: inAYear() });
    expect(approved.case.state).toBe('approved');
    const events = (await d.get(DEMO.officer, `/api/cases/${c.id}/events`)).body.items.map((e: { action: string }) => e.action);
    expect(events).toEqual(expect.arrayContaining(['add_person', 'record_atas', 'approve']));
  });

  it('co-investigators: a named co-investigator sees and edits the draft and sees it in their list; other researchers and staff (before submit) get 404', async () => {
    const c = await d.draft(DEMO.researcher, 'Joint grant with a colleague');
    expect((await d.get(DEMO.researcher2, `/api/cases/${c.id}`)).status).toBe(404);
    const noAccount = await send('post', DEMO.researcher, `/api/cases/${c.id}/people`, {
      name: 'Nobody',
      role: 'co_investigator',
      userEmail: 'nobody@example.ac.uk',
    });
    expect(noAccount.status).toBe(400);
    expect(noAccount.body.message).toMatch(/userEmail/);
    const added = await send('post', DEMO.researcher, `/api/cases/${c.id}/people`, {
      name: 'Second Researcher',
      role: 'co_investigator',
      userEmail: DEMO.researcher2,
    });
    expect(added.status).toBe(201);
    const seen = await d.get(DEMO.researcher2, `/api/cases/${c.id}`);
    expect(seen.status).toBe(200);
    expect(seen.body.flags).toBeUndefined(); // the researcher view, as the owner has
    const listed = await d.get(DEMO.researcher2, '/api/cases?limit=100');
    expect(listed.body.items.map((r: { id: string }) => r.id)).toContain(c.id);
    expect(listed.body.items.find((r: { id: string }) => r.id === c.id)).not.toHaveProperty('riskLevel');
    const edited = await send('patch', DEMO.researcher2, `/api/cases/${c.id}`, { answers: { summary: 'Co-investigator wrote this.' } });
    expect(edited.status).toBe(200);
    expect(edited.body.answers.summary).toBe('Co-investigator wrote this.');
    const contributed = await send('post', DEMO.researcher2, `/api/cases/${c.id}/people`, {
      name: 'Partner Engineer',
      role: 'partner_staff',
      affiliation: 'University of Toronto',
    });
    expect(contributed.status).toBe(201);
    for (const other of [DEMO.headChemistry, DEMO.officer]) {
      expect((await d.get(other, `/api/cases/${c.id}`)).status).toBe(404);
      expect((await d.get(other, `/api/cases/${c.id}/people`)).status).toBe(404);
      expect((await send('patch', other, `/api/cases/${c.id}`, { answers: { summary: 'x' } })).status).toBe(404);
    }
    expect((await send('post', DEMO.headChemistry, `/api/cases/${c.id}/people`, { name: 'x', role: 'partner_staff' })).status).toBe(404);
  });

  it('on behalf of a PI: triage waits until the named principal investigator confirms, and only they can', async () => {
    const c = await d.draft(DEMO.researcher, 'Submitted for my PI');
    const added = await send('post', DEMO.researcher, `/api/cases/${c.id}/people`, {
      name: 'Second Researcher',
      role: 'principal_investigator',
      userEmail: DEMO.researcher2,
    });
    expect(added.status).toBe(201);
    const pi = added.body.items[0].id;
    expect((await send('post', DEMO.researcher, `/api/cases/${c.id}/people`, { name: 'Another PI', role: 'principal_investigator' })).status).toBe(409);
    await d.ok(DEMO.researcher, c.id, 'submit');
    const blocked = await d.act(DEMO.officer, c.id, 'triage', lowTriage);
    expect(blocked.status).toBe(409);
    expect(blocked.body.code).toBe('PI_CONFIRMATION_REQUIRED');
    expect(blocked.body.message).toBe('The case was submitted on behalf of Second Researcher, the principal investigator, who has not confirmed it yet.');
    expect((await send('post', DEMO.researcher, `/api/cases/${c.id}/people/${pi}/confirm`, {})).status).toBe(403);
    expect((await send('post', DEMO.headChemistry, `/api/cases/${c.id}/people/${pi}/confirm`, {})).status).toBe(404);
    const confirmed = await send('post', DEMO.researcher2, `/api/cases/${c.id}/people/${pi}/confirm`, {});
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.piConfirmationOutstanding).toBeNull();
    expect(confirmed.body.items[0].confirmedAt).not.toBeNull();
    await d.ok(DEMO.officer, c.id, 'triage', lowTriage);
  });
});
