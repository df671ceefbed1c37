import { ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaseDriver, createTestApp, DEMO, EICAR, startClamd, TestApp } from '@app/testing';

describe('documents', () => {
  let t: TestApp;
  let d: CaseDriver;
  let dir: string;
  let clamd: ChildProcess;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tr-docs-'));
    const started = await startClamd(dir);
    clamd = started.proc;
    t = await createTestApp({ ATTACHMENTS_DIR: join(dir, 'store'), CLAMD_SOCKET: started.socket, ATTACHMENT_MAX_BYTES: String(64 * 1024) });
    d = new CaseDriver(t);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    clamd?.kill();
    await rm(dir, { recursive: true, force: true });
  });

  const upload = async (email: string, caseId: string, name: string, bytes: Buffer, kind = 'agreement') =>
    t
      .http()
      .post(`/api/cases/${caseId}/attachments`)
      .set('Authorization', `Bearer ${await t.token(email)}`)
      .field('kind', kind)
      .attach('file', bytes, name);
  const download = async (email: string, id: string) =>
    t
      .http()
      .get(`/api/attachments/${id}/content`)
      .set('Authorization', `Bearer ${await t.token(email)}`)
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      });

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
