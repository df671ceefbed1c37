import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AttachmentVisibility, defaultAttachmentVisibility, DomainError, ErrorCode, isStaff } from '@app/domain';
import { AttachmentKind, AttachmentRepository, AttachmentRow, CaseRepository } from '@app/persistence';
import { CurrentUser } from '../common/request-context';
import { CaseCommit } from '@app/persistence';
import { CaseService } from '../cases/case.service';
import { ScannedFiles, UploadedFile } from './file-intake';

export type { UploadedFile } from './file-intake';

export function attachmentView(a: AttachmentRow) {
  return {
    id: a.id,
    caseId: a.caseId,
    kind: a.kind,
    visibility: a.visibility,
    fileName: a.fileName,
    contentType: a.contentType,
    sizeBytes: Number(a.sizeBytes),
    status: a.status,
    uploadedById: a.uploadedById,
    createdAt: a.createdAt,
    scannedAt: a.scannedAt,
    downloadable: a.status === 'clean',
  };
}

/**
 * Files attached to a case. Each upload is stored, recorded as pending, scanned by
 * ClamAV, then marked clean or quarantined; only clean files can be downloaded, by id,
 * by someone who may see the case. Every step is a case event.
 */
@Injectable()
export class DocumentsService {
  private readonly logger = new Logger('Documents');

  constructor(
    private readonly ds: DataSource,
    private readonly cases: CaseService,
    private readonly caseRows: CaseRepository,
    private readonly attachments: AttachmentRepository,
    private readonly commit: CaseCommit,
    private readonly files: ScannedFiles,
  ) {}

  async upload(user: CurrentUser, caseId: string, kind: AttachmentKind, file: UploadedFile | undefined, asked?: AttachmentVisibility) {
    const accepted = this.files.accept(file);
    const { fileName, sha256, sizeBytes } = accepted;
    const id = randomUUID();

    // Check the case first (visibility, who may attach), then write the bytes, then the row.
    const visibility = await this.ds.transaction(async (em) => {
      const { case: c, view, parts } = await this.cases.access(em, caseId, user);
      this.assertMayAttach(user, c.ownerId, c.state);
      if (asked === 'internal' && !parts.internalAttachments) {
        throw new DomainError(
          ErrorCode.VALIDATION_FAILED,
          'visibility: on your own case files are shared with the research office; "internal" is for the research office\'s files.',
          { fields: [{ field: 'visibility', message: 'must be "researcher" on your own case' }] },
        );
      }
      return asked ?? defaultAttachmentVisibility(view);
    });
    await this.files.put(id, accepted.bytes);
    let row = await this.ds.transaction(async (em) => {
      const c = await this.cases.getVisible(em, caseId, user, true);
      this.assertMayAttach(user, c.ownerId, c.state);
      const inserted = await this.attachments.insert(em, {
        id,
        caseId,
        uploadedById: user.id,
        kind,
        fileName,
        contentType: accepted.contentType,
        sizeBytes,
        sha256,
        storageKey: id,
        visibility,
      });
      await this.commit.commit(em, c, {
        actorId: user.id,
        action: 'attach_document',
        rowChanged: false,
        payload: { attachmentId: id, kind, visibility, fileName, sizeBytes, sha256 },
      });
      return inserted;
    });
    row = await this.scanAndSettle(row, user.id);
    const view = attachmentView(row);
    if (row.status === 'infected') {
      return {
        ...view,
        message: `${fileName} contains malware (${row.scanResult}); it has been quarantined and nobody can download it. Contact the research office if you believe this is wrong.`,
      };
    }
    if (row.status === 'scan_failed') {
      return { ...view, message: `${fileName} is stored but could not be virus-scanned yet; it cannot be downloaded until a scan says it is clean.` };
    }
    return view;
  }

  private assertMayAttach(user: CurrentUser, ownerId: string, state: string): void {
    if (user.id !== ownerId && !isStaff(user.roles)) {
      throw new DomainError(ErrorCode.NOT_ALLOWED_FOR_ROLE, 'Only the researcher who owns the case and the research office may attach files to it.');
    }
    if (state === 'withdrawn' || state === 'rejected') {
      throw new DomainError(ErrorCode.INVALID_TRANSITION, `The case is ${state}: files can no longer be attached to it.`);
    }
  }

  /** Scans a pending (or previously failed) file and records the verdict; an infected file is moved to quarantine first. */
  private async scanAndSettle(row: AttachmentRow, actorId: string): Promise<AttachmentRow> {
    const scanned = await this.files.scan(row.storageKey);
    if ('failed' in scanned) {
      this.logger.warn(`scan of attachment ${row.id} failed: ${scanned.failed}`);
      return (await this.ds.transaction((em) => this.attachments.settleScan(em, row.id, 'scan_failed', scanned.failed))) ?? row;
    }
    const { verdict } = scanned;
    return this.ds.transaction(async (em) => {
      // The access check was made on upload (or rescan); this lock only orders the audit append.
      const c = (await this.caseRows.lockById(em, row.caseId))!;
      const settled = await this.attachments.settleScan(em, row.id, verdict.clean ? 'clean' : 'infected', verdict.result);
      if (!settled) return (await this.attachments.findById(em, row.id)) ?? row;
      if (!verdict.clean) {
        // The uploader has the verdict in the response; the outbox carries it to mail and to the security log.
        await this.commit.commit(em, c, {
          actorId,
          action: 'quarantine_document',
          rowChanged: false,
          payload: { attachmentId: row.id, fileName: row.fileName, signature: verdict.signature, uploadedById: row.uploadedById },
          outbox: [
            {
              topic: 'case-event',
              payload: {
                action: 'quarantine_document',
                fromState: c.state,
                toState: c.state,
                reference: c.reference,
                actorId,
                attachmentId: row.id,
                uploadedById: row.uploadedById,
              },
            },
          ],
        });
      }
      return settled;
    });
  }

  async list(user: CurrentUser, caseId: string) {
    const { parts } = await this.cases.access(this.ds.manager, caseId, user);
    return (await this.attachments.listForCase(this.ds.manager, caseId))
      .filter((a) => parts.internalAttachments || a.visibility !== 'internal')
      .map(attachmentView);
  }

  /** The access check: the attachment's case must be visible to the caller (404 otherwise, as for the case). */
  private async visibleAttachment(user: CurrentUser, id: string): Promise<AttachmentRow> {
    const a = await this.attachments.findById(this.ds.manager, id);
    const missing = new DomainError(ErrorCode.NOT_FOUND, `No attachment with id ${id} exists, or you may not see it.`);
    if (!a) throw missing;
    let internalAllowed: boolean;
    try {
      internalAllowed = (await this.cases.access(this.ds.manager, a.caseId, user)).parts.internalAttachments;
    } catch {
      throw missing;
    }
    // An internal file is, to the researcher view, a file that does not exist.
    if (a.visibility === 'internal' && !internalAllowed) throw missing;
    return a;
  }

  async get(user: CurrentUser, id: string) {
    return attachmentView(await this.visibleAttachment(user, id));
  }

  async download(user: CurrentUser, id: string): Promise<{ row: AttachmentRow; stream: Readable }> {
    const a = await this.visibleAttachment(user, id);
    if (a.status !== 'clean') {
      const why = a.status === 'infected' ? 'it was found to contain malware and is quarantined' : 'it has not been scanned clean yet';
      throw new DomainError(ErrorCode.CONFLICT, `${a.fileName} cannot be downloaded: ${why}.`);
    }
    return { row: a, stream: await this.files.open(a.storageKey) };
  }

  /** Retries a scan that failed (the daemon was down); research office or the uploader. */
  async rescan(user: CurrentUser, id: string) {
    const a = await this.visibleAttachment(user, id);
    if (a.uploadedById !== user.id && !isStaff(user.roles))
      throw new DomainError(ErrorCode.NOT_ALLOWED_FOR_ROLE, 'Only the uploader or the research office may ask for a rescan.');
    if (a.status !== 'scan_failed' && a.status !== 'pending')
      throw new DomainError(ErrorCode.CONFLICT, `${a.fileName} has already been scanned (${a.status}).`);
    return attachmentView(await this.scanAndSettle(a, user.id));
  }
}
