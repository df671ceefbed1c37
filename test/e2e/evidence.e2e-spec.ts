import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { CaseDriver, completeAnswers, createTestApp, DEMO, TestApp } from '@app/testing';
import { ScreeningService } from '@app/screening';

const FIXTURES = join(__dirname, '../../fixtures/screening');

/** The PDF's text, extracted by poppler's pdftotext (installed by .ci/run). */
function pdfText(bytes: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'tr-evidence-'));
  try {
    writeFileSync(join(dir, 'e.pdf'), bytes);
    return execFileSync('pdftotext', ['-layout', join(dir, 'e.pdf'), '-'], { encoding: 'utf8' }).replace(/[ \t]+/g, ' ');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const binary = (res: import('superagent').Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

/** Evidence packs through the real API: content checked in the PDF's extracted text and in the ZIP. */
describe('evidence pack', () => {
  let t: TestApp;
  let d: CaseDriver;
  let caseId: string;
  let reference: string;
  beforeAll(async () => {
    t = await createTestApp();
    d = new CaseDriver(t);
    const screening = t.app.get(ScreeningService);
    await screening.importList('uk_sanctions', join(FIXTURES, 'uk-sanctions-list.sample.xml'));
    await screening.importList('us_csl', join(FIXTURES, 'us-consolidated-screening-list.sample.csv'));
    await screening.importList('watch_list', join(FIXTURES, 'watch-list.sample.csv'));
    const c = await d.draft(
      DEMO.researcher,
      'Catalysis with HIT',
      completeAnswers({ partners: [{ name: 'Harbin Institute of Technology', country: 'CN', type: 'university' }] }),
    );
    await d.ok(DEMO.researcher, c.id, 'submit');
    caseId = c.id;
    reference = c.reference;
  });
  afterAll(() => t.close());

  const get = async (email: string, path: string) =>
    t
      .http()
      .get(path)
      .set('Authorization', `Bearer ${await t.token(email)}`)
      .buffer(true)
      .parse(binary);

  it('gives staff a PDF with the answers, risk, screening hit, timeline hashes and the chain verified', async () => {
    const res = await get(DEMO.officer, `/api/cases/${caseId}/evidence.pdf`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toContain(`evidence-${reference}.pdf`);
    const text = pdfText(res.body);
    expect(text).toContain(`Evidence pack: ${reference}`);
    const [{ v }] = await t.owner.query(`SELECT questionnaire_version AS v FROM collaboration_case WHERE id = $1`, [caseId]);
    expect(text).toContain(`Answers (questionnaire version ${v})`);
    expect(text).toMatch(/- country: \d+ points/);
    expect(text).toContain('Harbin Institute of Technology');
    expect(text).toMatch(/Rules version: \S+/);
    expect(text).toContain('Screening checks');
    expect(text).toMatch(/Entry: .*Harbin Institute of Technology/);
    expect(text).toMatch(/Score: 0?\.\d{4}|Score: 1\.0000/);
    expect(text).toContain('Decision: undecided');
    expect(text).toMatch(/Chain verification: verified: \d+ events hash into an unbroken chain/);
    const [{ hash }] = await t.owner.query(`SELECT hash FROM case_event WHERE case_id = $1 AND seq = 2`, [caseId]);
    expect(text).toContain(`hash ${hash}`);
  });

  it('gives the owner the researcher-safe copy, and anyone else a 404', async () => {
    const res = await get(DEMO.researcher, `/api/cases/${caseId}/evidence.pdf`);
    expect(res.status).toBe(200);
    const text = pdfText(res.body);
    expect(text).toContain('Pack: Researcher copy');
    expect(text).toContain('Harbin Institute of Technology'); // their own answer
    expect(text).not.toContain('Screening checks');
    expect(text).not.toContain('Risk assessment');
    expect(text).toMatch(/Chain verification: verified/);
    expect((await get(DEMO.researcher2, `/api/cases/${caseId}/evidence.pdf`)).status).toBe(404);
    expect((await get(DEMO.researcher2, `/api/cases/${caseId}/evidence.zip`)).status).toBe(404);
    expect((await get(DEMO.officer, `/api/cases/not-an-id/evidence.pdf`)).status).toBe(404);
  });

  it('reports a broken chain in the pack when an event was tampered with', async () => {
    const c = await d.submitted(DEMO.researcher);
    // The owner role may not UPDATE the append-only table either; switch the trigger off as an attacker with superuser would.
    await t.owner.query(`ALTER TABLE case_event DISABLE TRIGGER case_event_append_only`);
    try {
      await t.owner.query(`UPDATE case_event SET payload = '{"tampered":true}' WHERE case_id = $1 AND seq = 2`, [c.id]);
    } finally {
      await t.owner.query(`ALTER TABLE case_event ENABLE TRIGGER case_event_append_only`);
    }
    const text = pdfText((await get(DEMO.officer, `/api/cases/${c.id}/evidence.pdf`)).body);
    expect(text).toMatch(/Chain verification: BROKEN at event 2/);
  });

  it('zips the PDF with case.json holding the same content', async () => {
    const res = await get(DEMO.officer, `/api/cases/${caseId}/evidence.zip`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    const zip = await JSZip.loadAsync(res.body);
    expect(Object.keys(zip.files).sort()).toEqual(['case.json', 'evidence.pdf']);
    const json = JSON.parse(await zip.file('case.json')!.async('string'));
    expect(json.case.reference).toBe(reference);
    expect(json.kind).toBe('staff');
    expect(json.screening[0]).toMatchObject({ entryName: 'Harbin Institute of Technology', decision: 'open' });
    expect(json.chain.verified).toBe(true);
    expect(json.timeline.map((e: { hash: string }) => e.hash)).toHaveLength(json.chain.events);
    const pdf = pdfText(await zip.file('evidence.pdf')!.async('nodebuffer'));
    expect(pdf).toContain(`Evidence pack: ${reference}`);
  });
});
