import { join } from 'node:path';
import { CaseDriver, completeAnswers, createTestApp, DEMO, TestApp } from '@app/testing';
import { ScreeningService } from '@app/screening';

const FIXTURES = join(__dirname, '../../fixtures/screening');

/** Screening against the sample lists, through the real API and database. */
describe('partner screening', () => {
  let t: TestApp;
  let d: CaseDriver;
  let screening: ScreeningService;
  beforeAll(async () => {
    t = await createTestApp();
    d = new CaseDriver(t);
    screening = t.app.get(ScreeningService);
    await screening.importList('uk_sanctions', join(FIXTURES, 'uk-sanctions-list.sample.xml'));
    await screening.importList('us_csl', join(FIXTURES, 'us-consolidated-screening-list.sample.csv'));
    await screening.importList('watch_list', join(FIXTURES, 'watch-list.sample.csv'));
  });
  afterAll(() => t.close());

  const check = async (body: Record<string, unknown>, email: string = DEMO.officer) =>
    t
      .http()
      .post('/api/screening/check')
      .set('Authorization', `Bearer ${await t.token(email)}`)
      .send(body);

  it('imports each list as a dated version with its hash; re-importing the same bytes changes nothing', async () => {
    const lists = await d.get(DEMO.officer, '/api/screening/lists');
    expect(lists.body.items.map((l: { listKind: string }) => l.listKind)).toEqual(['uk_sanctions', 'us_csl', 'watch_list']);
    for (const l of lists.body.items) expect(l.sha256).toMatch(/^[0-9a-f]{64}$/);
    const again = await screening.importList('watch_list', join(FIXTURES, 'watch-list.sample.csv'));
    expect(again.unchanged).toBe(true);
  });

  it.each([
    ['a transliteration', 'Qinghua University', 'Tsinghua University'],
    ['Cyrillic', 'Рособоронэкспорт', 'ROSOBORONEXPORT'],
    ['word order and a suffix', 'Technology, Harbin Institute of', 'Harbin Institute of Technology'],
    ['an alias', 'Beijing Univ. of Aeronautics & Astronautics', 'Beihang University'],
    ['a person, surname first', 'LAVROV Sergey', 'Sergei Viktorovich LAVROV'],
  ])('POST /api/screening/check finds %s', async (_label, name, entryName) => {
    const res = await check({ name });
    expect(res.status).toBe(200);
    const hit = res.body.hits.find((h: { entryName: string }) => h.entryName === entryName);
    expect(hit).toBeDefined();
    expect(hit.score).toBeGreaterThanOrEqual(res.body.threshold);
    expect(hit.matchedName).toBeTruthy();
    expect(hit.listVersionId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('does not flag a near miss, and refuses researchers and bad input', async () => {
    expect((await check({ name: 'Beijing Normal University', country: 'CN' })).body.hits).toEqual([]);
    expect((await check({ name: 'University of Toronto', country: 'CA' })).body.hits).toEqual([]);
    expect((await check({ name: 'Tsinghua University' }, DEMO.researcher)).status).toBe(403);
    const bad = await check({ name: '', country: 'china' });
    expect(bad.status).toBe(400);
  });

  it('a hit at submit raises a blocking flag; clearing it as a false positive lets the case be approved', async () => {
    const c = await d.draft(
      DEMO.researcher,
      'Catalysis with HIT',
      completeAnswers({ partners: [{ name: 'Harbin Institute of Technology', country: 'CN', type: 'university' }] }),
    );
    await d.ok(DEMO.researcher, c.id, 'submit');
    const risk = await d.get(DEMO.officer, `/api/cases/${c.id}/risk`);
    expect(risk.status).toBe(200);
    const kinds = risk.body.screeningHits.map((h: { listKind: string }) => h.listKind).sort();
    expect(kinds).toEqual(['us_csl', 'watch_list']);
    expect(risk.body.assessment.hardFlags.map((h: { code: string }) => h.code)).toContain('watch_list_very_high');
    expect(risk.body.assessment.summary).toMatch(/^High: /);
    const view = await d.get(DEMO.officer, `/api/cases/${c.id}`);
    const flags = view.body.flags.filter((f: { kind: string }) => f.kind === 'screening');
    expect(flags).toHaveLength(2);
    expect(flags.every((f: { blocking: boolean; status: string }) => f.blocking && f.status === 'open')).toBe(true);

    // A hard flag (watch list very high): only the RSDO lead triages it below high, with a reason (four eyes).
    await d.ok(DEMO.lead, c.id, 'triage', { riskLevel: 'low', exportControlRelevant: false, comment: 'The hits look like a namesake; flags to be checked.' });
    expect((await d.act(DEMO.officer, c.id, 'approve', { decisionText: 'ok' })).body.code).toBe('BLOCKING_FLAG_OPEN');
    for (const f of flags)
      await d.ok(DEMO.officer, c.id, 'clear_flag', { flagId: f.id, resolution: 'false_positive', reason: 'Different campus; checked by phone.' });
    expect((await d.act(DEMO.officer, c.id, 'approve', { decisionText: 'ok' })).status).toBe(200);
    // researchers never see the hits or the risk reasoning
    expect((await d.get(DEMO.researcher, `/api/cases/${c.id}/risk`)).status).toBe(404);
  });

  it('confirming a hit is officer-only, audited, and leaves the flag confirmed', async () => {
    const c = await d.draft(DEMO.researcher, 'Missiles?', completeAnswers({ partners: [{ name: 'Rosoboronexport JSC', country: 'RU', type: 'company' }] }));
    await d.ok(DEMO.researcher, c.id, 'submit');
    const flags = (await d.get(DEMO.officer, `/api/cases/${c.id}`)).body.flags.filter((f: { kind: string }) => f.kind === 'screening');
    expect(flags.length).toBeGreaterThanOrEqual(1);
    const confirm = (email: string, flagId: string, body: Record<string, unknown>) =>
      t.token(email).then((tok) => t.http().post(`/api/cases/${c.id}/flags/${flagId}/confirm`).set('Authorization', `Bearer ${tok}`).send(body));
    expect((await confirm(DEMO.researcher, flags[0].id, { reason: 'x', route: 'reject' })).status).toBe(403);
    expect((await confirm(DEMO.officer, flags[0].id, { reason: 'x', route: 'sideways' })).status).toBe(400);
    const ok = await confirm(DEMO.officer, flags[0].id, { reason: 'Same entity: UK designation RUS0001.', route: 'reject' });
    expect(ok.status).toBe(200);
    expect(ok.body.flags.find((f: { id: string }) => f.id === flags[0].id)).toMatchObject({ status: 'confirmed', resolution: 'confirmed_reject' });
    expect((await confirm(DEMO.officer, flags[0].id, { reason: 'again', route: 'reject' })).status).toBe(400);
    const events = (await d.get(DEMO.officer, `/api/cases/${c.id}/events`)).body.items.map((e: { action: string }) => e.action);
    expect(events).toContain('confirm_flag');
    await d.ok(DEMO.officer, c.id, 'reject', { reasonCategory: 'sanctions', reasonText: 'Partner is designated under the UK Russia regime.' });
  });

  it('re-importing a changed list re-screens open cases and tells the assignee', async () => {
    const c = await d.draft(
      DEMO.researcher,
      'Sensors with Acme',
      completeAnswers({ partners: [{ name: 'Acme Photonics Ltd', country: 'CN', type: 'company' }] }),
    );
    await d.ok(DEMO.researcher, c.id, 'submit');
    await d.ok(DEMO.officer, c.id, 'assign', { assigneeId: await t.userId(DEMO.officer) });
    expect((await d.get(DEMO.officer, `/api/cases/${c.id}/risk`)).body.screeningHits).toEqual([]);
    const { writeFileSync, readFileSync, mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const file = join(mkdtempSync(join(tmpdir(), 'wl-')), 'watch-list.csv');
    writeFileSync(
      file,
      readFileSync(join(FIXTURES, 'watch-list.sample.csv'), 'utf8') + 'WL-999,Acme Photonics Company Limited,,CN,high,Added for the re-screen test.\n',
    );
    const result = await screening.importList('watch_list', file);
    expect(result.unchanged).toBe(false);
    expect(result.newHits).toBeGreaterThanOrEqual(1);
    const risk = await d.get(DEMO.officer, `/api/cases/${c.id}/risk`);
    expect(risk.body.screeningHits.map((h: { entryName: string }) => h.entryName)).toEqual(['Acme Photonics Company Limited']);
    const [outbox] = await t.owner.query(`SELECT payload FROM outbox WHERE case_id = $1 AND payload->>'action' = 'screening_hit'`, [c.id]);
    expect(outbox.payload).toMatchObject({ assigneeId: await t.userId(DEMO.officer), newHits: 1 });
    const events = (await d.get(DEMO.officer, `/api/cases/${c.id}/events`)).body.items.map((e: { action: string }) => e.action);
    expect(events).toContain('rescreen');
  });
});
