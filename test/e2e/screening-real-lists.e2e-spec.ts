import { join } from 'node:path';
import { CaseDriver, completeAnswers, createTestApp, DEMO, TestApp } from '@app/testing';
import { ScreeningService } from '@app/screening';

const REAL = join(__dirname, '../../fixtures/screening/real');

/**
 * Screening against excerpts of the real published lists (fixtures/screening/real,
 * see SOURCES.md there), through the real API and database.
 */
describe('screening on the real list formats', () => {
  let t: TestApp;
  let d: CaseDriver;
  beforeAll(async () => {
    t = await createTestApp();
    d = new CaseDriver(t);
    const s = t.app.get(ScreeningService);
    await s.importList('un_sc', join(REAL, 'un-sc-consolidated.excerpt.xml'));
    await s.importList('us_ofac', join(REAL, 'ofac-sdn-2019-01.excerpt.csv'));
    await s.importList('uk_sanctions', join(REAL, 'ofsi-conlist-2018-12.excerpt.csv'));
    await s.importList('us_csl', join(REAL, 'trade-gov-csl-2019.csv'));
  });
  afterAll(() => t.close());

  const check = async (body: Record<string, unknown>) =>
    t
      .http()
      .post('/api/screening/check')
      .set('Authorization', `Bearer ${await t.token(DEMO.officer)}`)
      .send(body);

  it('imports each format as a list version; the OFAC alt and add files are read beside sdn.csv', async () => {
    const lists = (await d.get(DEMO.officer, '/api/screening/lists')).body.items;
    expect(lists.map((l: { listKind: string }) => l.listKind)).toEqual(['uk_sanctions', 'un_sc', 'us_csl', 'us_ofac']);
    const ofac = lists.find((l: { listKind: string }) => l.listKind === 'us_ofac');
    expect(ofac.entryCount).toBe(8);
    expect(ofac.nameCount).toBeGreaterThan(8);
  });

  it('"constructor" is a name like any other: the real OFAC entry is found and a university of that name does not crash', async () => {
    const grupo = await check({ name: 'Grupo Constructor Segundo Milenio' });
    expect(grupo.status).toBe(200);
    expect(grupo.body.hits[0]).toMatchObject({ listKind: 'us_ofac', entryName: 'GRUPO CONSTRUCTOR SEGUNDO MILENIO, S.A. DE C.V.' });
    for (const name of ['Constructor University Bremen', '__proto__', 'toString', 'hasOwnProperty']) {
      const res = await check({ name });
      expect(res.status).toBe(200);
      expect(res.body.hits).toEqual([]);
    }
    const c = await d.draft(
      DEMO.researcher,
      'Materials with Constructor University',
      completeAnswers({ partners: [{ name: 'Constructor University Bremen', country: 'DE', type: 'university' }] }),
    );
    expect((await d.act(DEMO.researcher, c.id, 'submit')).status).toBe(200);
  });

  it('a hit carries birth date, nationality, identifiers and the explanation of its score', async () => {
    const res = await check({ name: 'Saddam Hussein al-Tikriti', birthDate: '1937' });
    expect(res.status).toBe(200);
    const hit = res.body.hits[0];
    expect(hit).toMatchObject({ listKind: 'un_sc', partyType: 'individual', birthDates: ['1937-04-28'], nationalities: ['IQ'] });
    expect(hit.explanation.name.aligned).toEqual(expect.arrayContaining([expect.objectContaining({ query: 'saddam', listed: 'saddam', score: 1 })]));
    expect(hit.explanation.birthDate).toMatchObject({ query: '1937', match: true });
    expect(hit.explanation.alias.type).toBe('primary');
    const zawahiri = (await check({ name: 'Ayman al-Zawahiri', identifiers: ['1084010'] })).body.hits[0];
    expect(zawahiri.identifiers).toContainEqual({ type: 'passport', value: '1084010', country: 'EG' });
    expect(zawahiri.explanation.identifiers.matched).toEqual(['passport 1084010']);
    // A disjoint birth date lowers the score below an unqualified check's.
    const later = (await check({ name: 'Saddam Hussein al-Tikriti', birthDate: '1990-01-01' })).body.hits[0];
    expect(later?.score ?? 0).toBeLessThan(hit.score);
  });

  it("screens a name written in Arabic against the list's original-script name", async () => {
    const res = await check({ name: 'صدام حسين التكريتي' });
    expect(res.status).toBe(200);
    expect(res.body.hits[0]).toMatchObject({ entryName: 'SADDAM HUSSEIN AL-TIKRITI' });
    expect(res.body.warnings).toEqual([]);
  });

  it('a query in a script that cannot be screened as asked is answered with a warning, never an empty success', async () => {
    const han = await check({ name: '哈尔滨工业大学' });
    expect(han.status).toBe(200);
    expect(han.body.warnings[0]).toMatch(/Han script/);
    const none = await check({ name: '☃ ☃' });
    expect(none.body.warnings[0]).toMatch(/no letters or digits/);
  });

  it('refuses a malformed birth date or identifier list with a sentence naming the field', async () => {
    const bad = await check({ name: 'X', birthDate: '28/04/1937' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/birthDate must be YYYY, YYYY-MM or YYYY-MM-DD/);
    expect((await check({ name: 'X', identifiers: 'A1' })).status).toBe(400);
  });

  it("the staff case view shows each hit with its explanation and the listed party's details", async () => {
    const c = await d.draft(
      DEMO.researcher,
      'Trade with Banco Nacional',
      completeAnswers({ partners: [{ name: 'Banco Nacional de Cuba', country: 'CU', type: 'company' }] }),
    );
    await d.ok(DEMO.researcher, c.id, 'submit');
    const risk = await d.get(DEMO.officer, `/api/cases/${c.id}/risk`);
    const hit = risk.body.screeningHits.find((h: { listKind: string }) => h.listKind === 'us_ofac');
    expect(hit).toMatchObject({ entryName: 'BANCO NACIONAL DE CUBA', partyType: 'organisation' });
    expect(hit.explanation.name.score).toBeGreaterThan(0.9);
    expect(hit.explanation.country).toMatchObject({ query: 'CU' });
    expect(Array.isArray(hit.identifiers)).toBe(true);
    expect(risk.body.assessment.hardFlags.map((h: { code: string }) => h.code)).toContain('sanctions_match');
  });
});
