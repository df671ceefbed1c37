import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '@app/domain';
import { AttachmentStore } from './attachment-store';
import { FILE_TYPES, extensionOf, fileTypeProblem, safeFileName } from './file-types';
import { ScanVerdict, VirusScanner } from './virus-scanner';

export interface UploadedFile {
  originalname: string;
  size: number;
  buffer: Buffer;
}

/** An upload that passed the type check: the name and content type to serve it under, its size and hash. */
export interface AcceptedFile {
  fileName: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  bytes: Buffer;
}

/**
 * The one path a stored file takes, whoever it belongs to (a case's attachments, an
 * organisation's documents): type-checked by extension and leading bytes, kept in the
 * attachment store under an id, scanned by ClamAV, an infected file moved to
 * quarantine. The owners record the outcome and decide who may download; only a clean
 * file is ever served.
 */
@Injectable()
export class ScannedFiles {
  constructor(
    private readonly store: AttachmentStore,
    private readonly scanner: VirusScanner,
  ) {}

  /** Checks an upload; throws a 400 naming `file` when it is missing or not what its extension says. */
  accept(file: UploadedFile | undefined): AcceptedFile {
    if (!file)
      throw new DomainError(ErrorCode.VALIDATION_FAILED, 'file: attach a file in the multipart field "file".', {
        fields: [{ field: 'file', message: 'is required' }],
      });
    const fileName = safeFileName(file.originalname);
    const problem = fileTypeProblem(fileName, file.buffer);
    if (problem) throw new DomainError(ErrorCode.VALIDATION_FAILED, problem, { fields: [{ field: 'file', message: problem }] });
    return {
      fileName,
      contentType: FILE_TYPES[extensionOf(fileName)].contentType,
      sizeBytes: file.size,
      sha256: createHash('sha256').update(file.buffer).digest('hex'),
      bytes: file.buffer,
    };
  }

  put(key: string, bytes: Buffer): Promise<void> {
    return this.store.put(key, bytes);
  }

  open(key: string): Promise<Readable> {
    return this.store.open(key);
  }

  /**
   * Scans the stored bytes. An infected file is quarantined before the verdict is
   * returned; a scan that gave no verdict (the daemon down) comes back as `failed`.
   */
  async scan(key: string): Promise<{ verdict: ScanVerdict } | { failed: string }> {
    let verdict: ScanVerdict;
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of await this.store.open(key)) chunks.push(chunk as Buffer);
      verdict = await this.scanner.scan(Buffer.concat(chunks));
    } catch (e) {
      return { failed: (e as Error).message };
    }
    if (!verdict.clean) await this.store.quarantine(key);
    return { verdict };
  }
}
