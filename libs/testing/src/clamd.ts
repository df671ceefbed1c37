import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Response } from 'supertest';
import { createTestApp, TestApp } from './test-app';

// Built from parts so this source file is not itself flagged by a scanner.
export const EICAR = ['X5O!P%@AP[4\\PZX54(P^)7CC)7}$', 'EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*'].join('');
/** The EICAR file's MD5 and size: a one-line signature database, since CI cannot reach the signature mirrors. */
const EICAR_HDB = '44d88612fea8a8f36de82e1278abb02f:68:EICAR-Test-File\n';

function ping(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ path: socket });
    s.on('error', () => resolve(false));
    s.on('connect', () => s.write('zPING\0'));
    s.on('data', (d) => {
      resolve(d.toString().startsWith('PONG'));
      s.destroy();
    });
  });
}

/** A private clamd (Debian clamav-daemon) on a socket in a temp dir, with its own signature file. */
export async function startClamd(dir: string): Promise<{ proc: ChildProcess; socket: string }> {
  await mkdir(join(dir, 'db'));
  await writeFile(join(dir, 'db', 'eicar.hdb'), EICAR_HDB);
  const socket = join(dir, 'clamd.sock');
  await writeFile(
    join(dir, 'clamd.conf'),
    [
      'Foreground yes',
      `LocalSocket ${socket}`,
      `DatabaseDirectory ${join(dir, 'db')}`,
      `TemporaryDirectory ${dir}`,
      `PidFile ${join(dir, 'clamd.pid')}`,
      'AlertExceedsMax yes',
      'StreamMaxLength 25M',
      'MaxFileSize 25M',
      'MaxScanSize 100M',
      '',
    ].join('\n'),
  );
  const bin = ['/usr/sbin/clamd', '/usr/bin/clamd'].find((p) => existsSync(p)) ?? 'clamd';
  const proc = spawn(bin, ['-c', join(dir, 'clamd.conf')], { stdio: 'ignore' });
  for (let i = 0; i < 120; i++) {
    if (existsSync(socket) && (await ping(socket))) return { proc, socket };
    await new Promise((r) => setTimeout(r, 250));
  }
  proc.kill();
  throw new Error('clamd did not start within 30 s (is clamav-daemon installed?)');
}

/** An API whose uploads are stored under `dir`/store and scanned by a private clamd, with upload and download calls. */
export interface ScannedFilesApp {
  t: TestApp;
  /** The temp dir: the store is `dir`/store (files/, quarantine/). */
  dir: string;
  /** A multipart POST of `bytes` as the part `file`, with these form fields (undefined ones left out). */
  upload(email: string, path: string, name: string, bytes: Buffer, fields: Record<string, string | undefined>): Promise<Response>;
  /** A GET whose body is the raw bytes, whatever the content type. */
  download(email: string, path: string): Promise<Response>;
  close(): Promise<void>;
}

/** Uploads of at most 64 KiB (ATTACHMENT_MAX_BYTES), so a test can exceed the limit cheaply. */
export async function createScannedFilesApp(prefix: string): Promise<ScannedFilesApp> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const { proc, socket } = await startClamd(dir);
  let t: TestApp;
  try {
    t = await createTestApp({ ATTACHMENTS_DIR: join(dir, 'store'), CLAMD_SOCKET: socket, ATTACHMENT_MAX_BYTES: String(64 * 1024) });
  } catch (err) {
    proc.kill();
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    t,
    dir,
    async upload(email, path, name, bytes, fields) {
      let req = t
        .http()
        .post(path)
        .set('Authorization', `Bearer ${await t.token(email)}`);
      for (const [k, v] of Object.entries(fields)) if (v !== undefined) req = req.field(k, v);
      return req.attach('file', bytes, name);
    },
    async download(email, path) {
      return t
        .http()
        .get(path)
        .set('Authorization', `Bearer ${await t.token(email)}`)
        .buffer(true)
        .parse((res, cb) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => cb(null, Buffer.concat(chunks)));
        });
    },
    async close() {
      await t.close();
      proc.kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
