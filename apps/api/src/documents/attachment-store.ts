import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';

/**
 * Where attachment bytes live, behind one small interface so a shared volume today can
 * become an object store later. Keys are attachment ids, never content hashes: a hash
 * would let anyone who knows a file reach it.
 */
export abstract class AttachmentStore {
  abstract put(key: string, bytes: Buffer): Promise<void>;
  abstract open(key: string): Promise<Readable>;
  /** Moves the bytes out of reach of downloads, kept for the security team. */
  abstract quarantine(key: string): Promise<void>;
}

const SAFE_KEY = /^[0-9a-f-]{36}$/;

/** A directory (a shared volume when several API processes run): `files/<id>` and `quarantine/<id>`. */
export class DirectoryAttachmentStore extends AttachmentStore {
  constructor(private readonly root: string) {
    super();
  }

  private path(area: 'files' | 'quarantine', key: string): string {
    if (!SAFE_KEY.test(key)) throw new Error(`attachment key ${key} is not an id`);
    return join(this.root, area, key);
  }

  async put(key: string, bytes: Buffer): Promise<void> {
    await mkdir(join(this.root, 'files'), { recursive: true });
    const target = this.path('files', key);
    // Write then rename, so a reader on another process never sees half a file.
    const tmp = `${target}.${process.pid}.tmp`;
    await writeFile(tmp, bytes, { mode: 0o600 });
    await rename(tmp, target);
  }

  async open(key: string): Promise<Readable> {
    const p = this.path('files', key);
    await stat(p);
    return createReadStream(p);
  }

  async quarantine(key: string): Promise<void> {
    await mkdir(join(this.root, 'quarantine'), { recursive: true });
    try {
      await rename(this.path('files', key), this.path('quarantine', key));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }

  /** For tests and operators: remove a quarantined file after it has been examined. */
  async purgeQuarantined(key: string): Promise<void> {
    await rm(this.path('quarantine', key), { force: true });
  }
}
