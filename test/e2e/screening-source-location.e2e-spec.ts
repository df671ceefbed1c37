import { copyFileSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INestApplicationContext } from '@nestjs/common';
import { createTestApp, DEMO, eventually, startWorker, TestApp } from '@app/testing';

const WATCH = join(__dirname, '../../fixtures/screening/watch-list.sample.csv');

jest.setTimeout(120_000);

/**
 * Where a screening list source may point (libs/screening source-location.ts): a file
 * inside SCREENING_IMPORT_DIR (symbolic links resolved), or an https address on a
 * publisher host of SCREENING_SOURCE_HOSTS (here also one exact plain-http origin, a
 * local server standing in for a publisher). Refused at create and update with a
 * sentence naming `location`, and again when the worker imports a row set by SQL.
 */
describe('screening source locations are confined', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let admin: string;
  let publisher: Server;
  let origin = '';
  const dir = mkdtempSync(join(tmpdir(), 'import-dir-'));
  const outside = mkdtempSync(join(tmpdir(), 'outside-'));

  beforeAll(async () => {
    copyFileSync(WATCH, join(dir, 'watch.csv'));
    mkdirSync(join(dir, 'lists'));
    copyFileSync(WATCH, join(dir, 'lists', 'nested.csv'));
    writeFileSync(join(outside, 'secret.csv'), 'id,name,aliases,country,rating,notes\nS1,Secret Org,,CN,high,outside the folder\n');
    symlinkSync(join(outside, 'secret.csv'), join(dir, 'link.csv'));
    symlinkSync(outside, join(dir, 'escape'));
    symlinkSync('/etc/passwd', join(dir, 'passwd.csv'));

    // A stand-in publisher: /list.csv serves the watch list, /redirect sends to the metadata address.
    publisher = createServer((req, res) => {
      if (req.url === '/list.csv') {
        res.setHeader('content-type', 'text/csv');
        res.end('id,name,aliases,country,rating,notes\nP1,Publisher Served Org,,CN,high,\n');
      } else if (req.url === '/redirect') {
        res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' });
        res.end();
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise<void>((r) => publisher.listen(0, '127.0.0.1', () => r()));
    origin = `http://127.0.0.1:${(publisher.address() as AddressInfo).port}`;
    t = await createTestApp({ SCREENING_IMPORT_DIR: dir, SCREENING_SOURCE_HOSTS: `data.trade.gov,${origin}` });
    admin = await t.token(DEMO.admin);
  });
  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await new Promise((r) => publisher?.close(r));
  });

  const api = () => t.http();
  let n = 0;
  const create = (location: string, listKind = 'watch_list') =>
    api()
      .post('/api/screening/sources')
      .set('Authorization', `Bearer ${admin}`)
      .send({ name: `source ${++n}`, listKind, location });

  it.each([
    ['path traversal', '../../../etc/passwd', /^location: "..\/..\/..\/etc\/passwd" contains "\.\."/],
    ['traversal hidden in the middle', 'lists/../../outside.csv', /contains "\.\."/],
    ['an absolute path outside the folder', '/etc/passwd', /^location: \/etc\/passwd is outside the import folder/],
    ['a symbolic link to a file outside', 'link.csv', /^location: link\.csv leads outside the import folder .* \(through a symbolic link\)/],
    ['a symbolic link to a folder outside', 'escape/secret.csv', /leads outside the import folder/],
    ['a symbolic link to /etc/passwd', 'passwd.csv', /leads outside the import folder/],
    ['a file: URL', 'file:///etc/passwd', /^location: file: locations are refused/],
    ['the cloud metadata address', 'http://169.254.169.254/latest/meta-data/', /^location: http addresses are refused; lists are downloaded over https only/],
    [
      'the metadata address over https',
      'https://169.254.169.254/latest/meta-data/',
      /^location: 169\.254\.169\.254 is not a publisher lists may be downloaded from/,
    ],
    ['a host not on the allow-list', 'https://lists.example.org/sdn.csv', /^location: lists\.example\.org is not a publisher .*data\.trade\.gov/],
    ['a URL with credentials', 'https://user:pw@data.trade.gov/x.csv', /must not carry a user name or password/],
  ])('refuses %s with a sentence naming location', async (_what, location, message) => {
    const res = await create(location);
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(message);
    expect(JSON.stringify(res.body)).toContain('"field":"location"');
  });

  it('refuses the same on update, and keeps the old location', async () => {
    const ok = await create('watch.csv');
    expect(ok.status).toBe(201);
    const res = await api().patch(`/api/screening/sources/${ok.body.id}`).set('Authorization', `Bearer ${admin}`).send({ location: '/etc/passwd' });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/^location: \/etc\/passwd is outside the import folder/);
    const after = await api().get('/api/screening/sources').set('Authorization', `Bearer ${admin}`);
    expect(after.body.items.find((s: { id: string }) => s.id === ok.body.id).location).toBe('watch.csv');
  });

  it('imports allowed files: relative to the folder, nested, and absolute inside it', async () => {
    for (const location of ['watch.csv', 'lists/nested.csv', join(dir, 'watch.csv')]) {
      const src = await create(location);
      expect(src.status).toBe(201);
      const run = await api().post(`/api/screening/sources/${src.body.id}/import`).set('Authorization', `Bearer ${admin}`);
      expect(run.status).toBe(200);
      expect(run.body.entries).toBeGreaterThan(0);
    }
  });

  it('imports from an allowed origin, and refuses a redirect from it to the metadata address', async () => {
    const src = await create(`${origin}/list.csv`);
    expect(src.status).toBe(201);
    const run = await api().post(`/api/screening/sources/${src.body.id}/import`).set('Authorization', `Bearer ${admin}`);
    expect(run.status).toBe(200);
    expect(run.body.entries).toBe(1);

    const redirecting = await create(`${origin}/redirect`);
    expect(redirecting.status).toBe(201);
    const refused = await api().post(`/api/screening/sources/${redirecting.body.id}/import`).set('Authorization', `Bearer ${admin}`);
    expect(refused.status).toBe(400);
    expect(refused.body.message).toMatch(/^location: .*\/redirect redirects to http:\/\/169\.254\.169\.254\/latest\/meta-data\/, which is refused/);
  });

  it('refuses a location written by SQL at import time, in the API and in the scheduled worker run, recording the reason', async () => {
    const src = await create('watch.csv');
    await t.owner.query(`UPDATE screening_source SET location = '/etc/passwd' WHERE id = $1`, [src.body.id]);
    const now = await api().post(`/api/screening/sources/${src.body.id}/import`).set('Authorization', `Bearer ${admin}`);
    expect(now.status).toBe(400);
    expect(now.body.message).toMatch(/^location: \/etc\/passwd is outside the import folder/);

    // The worker's scheduled run of a source pointed by SQL at a link out of the folder.
    const linked = await create('watch.csv');
    await t.owner.query(`UPDATE screening_source SET location = 'link.csv', cadence_minutes = 1440, last_error = NULL WHERE id = $1`, [linked.body.id]);
    worker = await startWorker(t.config, { listSyncEveryMs: 300, listCadenceMs: 1000 });
    const lastError = await eventually(
      async () => {
        const [row] = await t.owner.query(`SELECT last_error FROM screening_source WHERE id = $1`, [linked.body.id]);
        return row.last_error as string | null;
      },
      30_000,
      'the scheduled run to record its refusal',
    );
    expect(lastError).toMatch(/^location: link\.csv leads outside the import folder/);
    const versions = await api().get(`/api/screening/sources/${linked.body.id}/versions`).set('Authorization', `Bearer ${admin}`);
    expect(versions.body.items).toEqual([]);
    const secret = await t.owner.query(`SELECT 1 FROM screening_entry WHERE primary_name = 'Secret Org'`);
    expect(secret).toEqual([]);
  });
});
