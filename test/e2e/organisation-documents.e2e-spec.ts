import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { CaseDriver, completeAnswers, createScannedFilesApp, DEMO, EICAR, ScannedFilesApp, TestApp } from '@app/testing';

jest.setTimeout(120_000);

/**
 * Organisation documents (issue 19) are files: the case attachments' store and ClamAV
 * scan (apps/api/src/documents ScannedFiles), against a private clamd with the EICAR
 * signature. Staff upload and download; only a clean file is served.
 */
describe('organisation documents', () => {
  let files: ScannedFilesApp;
  let t: TestApp;
  let d: CaseDriver;
  let dir: string;
  let orgId = '';
  beforeAll(async () => {
    files = await createScannedFilesApp('tr-orgdocs-');
    ({ t, dir } = files);
    d = new CaseDriver(t);
    const c = await d.draft(
      DEMO.researcher,
      'Optics with Lumen',
      completeAnswers({ partners: [{ name: 'Lumen Optics GmbH', country: 'DE', type: 'company' }] }),
    );
    await d.ok(DEMO.researcher, c.id, 'submit');
    orgId = (await d.get(DEMO.officer, '/api/organisations?q=lumen optics')).body.items[0].id;
  }, 120_000);
  afterAll(async () => files?.close());

  const upload = (email: string, name: string, bytes: Buffer, fields: Record<string, string> = {}) =>
    files.upload(email, `/api/organisations/${orgId}/documents`, name, bytes, {
      kind: fields.kind ?? 'due_diligence_questionnaire',
      title: fields.title ?? name,
      documentDate: fields.documentDate,
    });
  const download = (email: string, documentId: string, org = orgId) => files.download(email, `/api/organisations/${org}/documents/${documentId}/content`);

  it('a clean questionnaire is stored, scanned and downloaded by staff, byte for byte', async () => {
    const pdf = Buffer.from('%PDF-1.4\n% due-diligence questionnaire of Lumen Optics\n%%EOF\n');
    const res = await upload(DEMO.officer, 'Lumen DDQ 2026.pdf', pdf, { documentDate: '2026-11-02' });
    expect(res.status).toBe(201);
    expect(res.body.message).toBeUndefined();
    const doc = res.body.documents.find((x: { title: string }) => x.title === 'Lumen DDQ 2026.pdf');
    expect(doc).toMatchObject({
      kind: 'due_diligence_questionnaire',
      fileName: 'Lumen DDQ 2026.pdf',
      contentType: 'application/pdf',
      sizeBytes: pdf.length,
      status: 'clean',
      downloadable: true,
      documentDate: '2026-11-02',
    });
    expect(doc).not.toHaveProperty('storageKey');
    for (const who of [DEMO.officer, DEMO.lead, DEMO.exportOfficer, DEMO.admin]) {
      const got = await download(who, doc.id);
      expect(got.status).toBe(200);
      expect(got.headers['content-type']).toBe('application/pdf');
      expect(got.headers['content-disposition']).toContain('attachment; filename="Lumen DDQ 2026.pdf"');
      expect(Buffer.compare(got.body as Buffer, pdf)).toBe(0);
    }
    // Researchers do not see the register at all.
    expect((await download(DEMO.researcher, doc.id)).status).toBe(403);
    // The document belongs to this organisation only.
    const other = (await d.get(DEMO.officer, '/api/organisations?limit=50')).body.items.find((o: { id: string }) => o.id !== orgId);
    if (other) expect((await download(DEMO.officer, doc.id, other.id)).status).toBe(404);
    const [event] = await t.owner.query(`SELECT payload FROM system_event WHERE action = 'organisation_document_added' ORDER BY seq DESC LIMIT 1`);
    expect(event.payload).toMatchObject({ organisationId: orgId, documentId: doc.id, fileName: 'Lumen DDQ 2026.pdf', sizeBytes: pdf.length });
  });

  it('an EICAR file is quarantined, the uploader is told, and nobody can download it', async () => {
    const res = await upload(DEMO.lead, 'agreement-scan.txt', Buffer.from(EICAR), { kind: 'agreement' });
    expect(res.status).toBe(201);
    expect(res.body.message).toMatch(/^The file contains malware \(.*EICAR.*\); it has been quarantined and nobody can download it\.$/);
    const doc = res.body.documents.find((x: { title: string }) => x.title === 'agreement-scan.txt');
    expect(doc).toMatchObject({ status: 'infected', downloadable: false });
    const got = await download(DEMO.officer, doc.id);
    expect(got.status).toBe(409);
    expect(JSON.parse((got.body as Buffer).toString()).message).toBe(
      'agreement-scan.txt cannot be downloaded: it was found to contain malware and is quarantined.',
    );
    // The bytes left the download area for quarantine.
    expect(await readdir(join(dir, 'store', 'quarantine'))).toContain(doc.id);
    expect(await readdir(join(dir, 'store', 'files'))).not.toContain(doc.id);
    const [event] = await t.owner.query(`SELECT payload FROM system_event WHERE action = 'organisation_document_quarantined' ORDER BY seq DESC LIMIT 1`);
    expect(event.payload).toMatchObject({ organisationId: orgId, documentId: doc.id, signature: expect.stringMatching(/EICAR/) });
  });

  it('refuses a file that is not what its name says, a type not accepted, and export control uploading', async () => {
    const fake = await upload(DEMO.officer, 'agreement.pdf', Buffer.from('not a pdf'));
    expect(fake.status).toBe(400);
    expect(fake.body.message).toBe('file: agreement.pdf does not look like a .pdf file.');
    const exe = await upload(DEMO.officer, 'tool.exe', Buffer.from('MZ'));
    expect(exe.status).toBe(400);
    expect(exe.body.message).toMatch(/^file: \.exe files are not accepted/);
    expect((await upload(DEMO.exportOfficer, 'x.txt', Buffer.from('x'))).status).toBe(403);
  });

  it("checks the form fields against the body schema the web's form is drawn from, naming each field", async () => {
    const bad = await upload(DEMO.officer, 'x.txt', Buffer.from('x'), { kind: 'letter', documentDate: '2026-13-40' });
    expect(bad.status).toBe(400);
    expect(bad.body.details.fields).toEqual([
      { field: 'kind', message: 'kind must be one of: due_diligence_questionnaire, agreement, ownership_evidence, other.' },
      { field: 'documentDate', message: 'documentDate must be a valid date (YYYY-MM-DD).' },
    ]);
  });

  it('a record without a file is still accepted, and has nothing to download', async () => {
    const res = await t
      .http()
      .post(`/api/organisations/${orgId}/documents`)
      .set('Authorization', `Bearer ${await t.token(DEMO.officer)}`)
      .send({ kind: 'agreement', title: 'Framework agreement (signed original in records)', reference: 'REC-2026-114' });
    expect(res.status).toBe(201);
    const doc = res.body.documents.find((x: { reference: string | null }) => x.reference === 'REC-2026-114');
    expect(doc).toMatchObject({ fileName: null, status: null, downloadable: false });
    expect((await download(DEMO.officer, doc.id)).status).toBe(404);
  });
});
