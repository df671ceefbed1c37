import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { CaseDriver, createScannedFilesApp, DEMO, EICAR, ScannedFilesApp, TestApp } from '@app/testing';

describe('documents', () => {
  let files: ScannedFilesApp;
  let t: TestApp;
  let d: CaseDriver;
  let dir: string;
  beforeAll(async () => {
    files = await createScannedFilesApp('tr-docs-');
    ({ t, dir } = files);
    d = new CaseDriver(t);
  }, 120_000);
  afterAll(async () => files?.close());

  const upload = (email: string, caseId: string, name: string, bytes: Buffer, kind = 'agreement') =>
    files.upload(email, `/api/cases/${caseId}/attachments`, name, bytes, { kind });
  const download = (email: string, id: string) => files.download(email, `/api/attachments/${id}/content`);

  it('an infected upload is quarantined, the uploader is told, and nobody can download it', async () => {
    const c = await d.submitted();
    const res = await upload(DEMO.researcher, c.id, 'partner-questionnaire.txt', Buffer.from(EICAR), 'partner_questionnaire');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'infected', downloadable: false });
    expect(res.body.message).toMatch(/quarantined/);
    expect((await download(DEMO.researcher, res.body.id)).status).toBe(409);
    expect((await download(DEMO.officer, res.body.id)).status).toBe(409);
    expect(await readdir(join(dir, 'store', 'quarantine'))).toContain(res.body.id);
    expect(await readdir(join(dir, 'store', 'files'))).not.toContain(res.body.id);
    const events = (await d.get(DEMO.officer, `/api/cases/${c.id}/events`)).body.items;
    expect(events.find((e: { action: string }) => e.action === 'quarantine_document').payload).toMatchObject({
      attachmentId: res.body.id,
      signature: expect.stringMatching(/EICAR/),
    });
  });

  it('a clean upload is served by attachment id after the access check', async () => {
    const c = await d.submitted();
    const bytes = Buffer.from('Collaboration agreement, draft 3.\n');
    const res = await upload(DEMO.researcher, c.id, 'agreement.txt', bytes);
    expect(res.body).toMatchObject({ status: 'clean', downloadable: true, kind: 'agreement', sizeBytes: bytes.length });
    const got = await download(DEMO.officer, res.body.id);
    expect(got.status).toBe(200);
    expect(got.headers['content-disposition']).toMatch(/^attachment; filename="agreement.txt"/);
    expect(got.headers['x-content-type-options']).toBe('nosniff');
    expect(Buffer.compare(got.body as Buffer, bytes)).toBe(0);
    // Another researcher cannot see the case, so not the file either.
    expect((await download(DEMO.researcher2, res.body.id)).status).toBe(404);
    expect((await d.get(DEMO.researcher2, `/api/cases/${c.id}/attachments`)).status).toBe(404);
    const list = await d.get(DEMO.researcher, `/api/cases/${c.id}/attachments`);
    expect(list.body.items.map((a: { id: string }) => a.id)).toEqual([res.body.id]);
    expect(list.body.items[0]).not.toHaveProperty('sha256');
    expect(list.body.items[0]).not.toHaveProperty('storageKey');
  });

  it('enforces type and size limits', async () => {
    const c = await d.submitted();
    expect((await upload(DEMO.researcher, c.id, 'run.exe', Buffer.from('MZ...'))).status).toBe(400);
    const fakePdf = await upload(DEMO.researcher, c.id, 'licence.pdf', Buffer.from('not a pdf'));
    expect({ status: fakePdf.status, code: fakePdf.body.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    expect((await upload(DEMO.researcher, c.id, 'big.txt', Buffer.alloc(65 * 1024, 'a'))).status).toBe(413);
    expect((await upload(DEMO.researcher2, c.id, 'x.txt', Buffer.from('x'))).status).toBe(404);
  });
});
