import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError, ErrorCode, OrganisationDocumentBody, rorId, websiteDomain } from '@app/domain';
import { AuditRepository, OrganisationDocumentRow, OrganisationRepository } from '@app/persistence';
import { ScannedFiles, UploadedFile } from '../documents/file-intake';
import { CurrentUser } from '../common/request-context';
import { CaseService } from '../cases/case.service';
import { DueDiligenceDto, MergeDto, OrganisationDetailsDto } from './organisation.dto';

/** A real calendar date written YYYY-MM-DD (the DTO checked the shape). */
export function assertDate(field: string, value: string): void {
  const d = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value) {
    throw new DomainError(ErrorCode.VALIDATION_FAILED, `${field} must be a real date written YYYY-MM-DD; ${value} is not one.`);
  }
}

/** A document as the page shows it: the storage key stays inside; `downloadable` once its file is scanned clean. */
export function documentView(d: OrganisationDocumentRow) {
  const { storageKey: _key, sha256: _hash, scanResult: _result, ...rest } = d;
  return { ...rest, sizeBytes: d.sizeBytes === null ? null : Number(d.sizeBytes), downloadable: d.status === 'clean' };
}

/**
 * The partner register (issue 19), staff only: organisations with their cases,
 * screening history, parents, due-diligence status and documents; officer-confirmed
 * merges. Changes are recorded on the system audit chain.
 */
@Injectable()
export class OrganisationService {
  constructor(
    private readonly ds: DataSource,
    private readonly orgs: OrganisationRepository,
    private readonly audit: AuditRepository,
    private readonly cases: CaseService,
    private readonly files: ScannedFiles,
  ) {}

  private readonly logger = new Logger('OrganisationDocuments');

  list(q: string | undefined, limit: number | undefined) {
    return this.orgs.list(this.ds.manager, q, limit ?? 50).then((items) => ({ items }));
  }

  private async mustFind(id: string) {
    const o = await this.orgs.findById(this.ds.manager, id);
    if (!o) throw new DomainError(ErrorCode.NOT_FOUND, `No organisation with id ${id} exists.`);
    return o;
  }

  /** The organisation page: everything the register knows about one organisation. */
  async page(id: string) {
    const em = this.ds.manager;
    const organisation = await this.mustFind(id);
    return {
      organisation,
      cases: await this.orgs.casesOf(em, id),
      children: await this.orgs.children(em, id),
      screening: await this.orgs.screeningHistory(em, id),
      dueDiligence: await this.orgs.dueDiligenceHistory(em, id),
      documents: (await this.orgs.documents(em, id)).map(documentView),
      duplicates: organisation.mergedIntoId ? [] : await this.orgs.duplicateCandidates(em, id),
    };
  }

  async setDueDiligence(user: CurrentUser, id: string, body: DueDiligenceDto) {
    const expiresOn = body.expiresOn ?? null;
    if (expiresOn) assertDate('expiresOn', expiresOn);
    if (body.status === 'cleared' && !expiresOn) {
      throw new DomainError(ErrorCode.VALIDATION_FAILED, 'expiresOn is required when status is cleared: give the date the clearance lasts until.');
    }
    if (expiresOn && expiresOn < this.cases.today()) {
      throw new DomainError(ErrorCode.VALIDATION_FAILED, `expiresOn must be today or later; ${expiresOn} has passed.`);
    }
    if (!body.reason.trim()) throw new DomainError(ErrorCode.VALIDATION_FAILED, 'reason must not be blank: say why.');
    await this.ds.transaction(async (em) => {
      await this.live(em, id);
      await this.orgs.setDueDiligence(em, id, body.status, body.reason.trim(), expiresOn, user.id);
      await this.audit.appendSystemEvent(em, {
        actorId: user.id,
        action: 'organisation_due_diligence',
        payload: { organisationId: id, status: body.status, reason: body.reason.trim(), expiresOn },
      });
    });
    return this.page(id);
  }

  async updateDetails(user: CurrentUser, id: string, body: OrganisationDetailsDto) {
    const patch: { rorId?: string | null; companyNumber?: string | null; websiteDomain?: string | null; parentId?: string | null } = {};
    if (body.rorId !== undefined) {
      patch.rorId = body.rorId === null || !body.rorId.trim() ? null : rorId(body.rorId);
      if (patch.rorId === null && body.rorId?.trim())
        throw new DomainError(ErrorCode.VALIDATION_FAILED, 'rorId must be a ROR id such as 03dbr7087 or https://ror.org/03dbr7087.');
    }
    if (body.companyNumber !== undefined) patch.companyNumber = body.companyNumber?.trim().toUpperCase().replace(/\s+/g, '') || null;
    if (body.website !== undefined) {
      patch.websiteDomain = body.website === null || !body.website.trim() ? null : websiteDomain(body.website);
      if (patch.websiteDomain === null && body.website?.trim())
        throw new DomainError(ErrorCode.VALIDATION_FAILED, 'website must be a web address or domain such as www.example.org.');
    }
    if (body.parentId !== undefined) patch.parentId = body.parentId;
    await this.ds.transaction(async (em) => {
      await this.live(em, id);
      if (patch.parentId) {
        const parent = await this.orgs.lock(em, patch.parentId);
        if (!parent || parent.mergedIntoId)
          throw new DomainError(ErrorCode.VALIDATION_FAILED, `parentId: no current organisation with id ${patch.parentId} exists.`);
        if (await this.orgs.isAncestorOrSelf(em, id, patch.parentId))
          throw new DomainError(ErrorCode.VALIDATION_FAILED, 'parentId: that organisation is this one or owned by it, so it cannot be its parent.');
      }
      await this.orgs.updateDetails(em, id, patch);
      await this.audit.appendSystemEvent(em, { actorId: user.id, action: 'organisation_updated', payload: { organisationId: id, ...patch } });
    });
    return this.page(id);
  }

  /** An officer confirms two records are one organisation: `id` is merged into `intoId`. */
  async merge(user: CurrentUser, id: string, body: MergeDto) {
    if (id === body.intoId) throw new DomainError(ErrorCode.VALIDATION_FAILED, 'intoId: an organisation cannot be merged into itself.');
    const moved = await this.ds.transaction(async (em) => {
      // Lock in a fixed order so two opposite merges cannot deadlock.
      const [a, b] = [id, body.intoId].sort();
      const la = await this.orgs.lock(em, a);
      const lb = await this.orgs.lock(em, b);
      const from = a === id ? la : lb;
      const into = a === id ? lb : la;
      if (!from) throw new DomainError(ErrorCode.NOT_FOUND, `No organisation with id ${id} exists.`);
      if (!into) throw new DomainError(ErrorCode.VALIDATION_FAILED, `intoId: no organisation with id ${body.intoId} exists.`);
      if (from.mergedIntoId) throw new DomainError(ErrorCode.CONFLICT, 'This organisation was already merged into another one.');
      if (into.mergedIntoId)
        throw new DomainError(ErrorCode.VALIDATION_FAILED, 'intoId: that organisation was itself merged into another one; merge into that one instead.');
      const r = await this.orgs.merge(em, id, body.intoId);
      await this.audit.appendSystemEvent(em, {
        actorId: user.id,
        action: 'organisation_merged',
        payload: { organisationId: id, intoId: body.intoId, cases: r.cases },
      });
      return r;
    });
    return { ...(await this.page(body.intoId)), movedCases: moved.cases };
  }

  /**
   * Records a document kept against the organisation; with a file, the file takes the
   * case attachments' path (ScannedFiles: type check, store, ClamAV scan, quarantine)
   * and can be downloaded only once it is scanned clean.
   */
  async addDocument(user: CurrentUser, id: string, body: OrganisationDocumentBody, file?: UploadedFile) {
    if (body.documentDate) assertDate('documentDate', body.documentDate);
    if (!body.title.trim()) throw new DomainError(ErrorCode.VALIDATION_FAILED, 'title must not be blank.');
    const accepted = file ? this.files.accept(file) : null;
    const fileId = accepted ? randomUUID() : null;
    if (accepted && fileId) {
      // The organisation must exist and be live before any bytes are written.
      await this.ds.transaction((em) => this.live(em, id));
      await this.files.put(fileId, accepted.bytes);
    }
    const docId = await this.ds.transaction(async (em) => {
      await this.live(em, id);
      const stored =
        accepted && fileId
          ? {
              id: fileId,
              fileName: accepted.fileName,
              contentType: accepted.contentType,
              sizeBytes: accepted.sizeBytes,
              sha256: accepted.sha256,
              storageKey: fileId,
            }
          : null;
      const docId = await this.orgs.addDocument(
        em,
        id,
        { kind: body.kind, title: body.title.trim(), reference: body.reference?.trim() || null, documentDate: body.documentDate ?? null },
        user.id,
        stored,
      );
      await this.audit.appendSystemEvent(em, {
        actorId: user.id,
        action: 'organisation_document_added',
        payload: {
          organisationId: id,
          documentId: docId,
          kind: body.kind,
          title: body.title.trim(),
          ...(stored ? { fileName: stored.fileName, sizeBytes: stored.sizeBytes, sha256: stored.sha256 } : {}),
        },
      });
      return docId;
    });
    const message = fileId ? await this.scanDocument(user, id, docId, fileId) : null;
    return { ...(await this.page(id)), ...(message ? { message } : {}) };
  }

  /** Scans a stored document file and records the verdict; a sentence for the uploader unless it is clean. */
  private async scanDocument(user: CurrentUser, organisationId: string, docId: string, storageKey: string): Promise<string | null> {
    const scanned = await this.files.scan(storageKey);
    if ('failed' in scanned) {
      this.logger.warn(`scan of organisation document ${docId} failed: ${scanned.failed}`);
      await this.ds.transaction((em) => this.orgs.settleDocumentScan(em, docId, 'scan_failed', scanned.failed));
      return 'The file is stored but could not be virus-scanned yet; it cannot be downloaded until a scan says it is clean.';
    }
    const { verdict } = scanned;
    await this.ds.transaction(async (em) => {
      const settled = await this.orgs.settleDocumentScan(em, docId, verdict.clean ? 'clean' : 'infected', verdict.result);
      if (settled && !verdict.clean)
        await this.audit.appendSystemEvent(em, {
          actorId: user.id,
          action: 'organisation_document_quarantined',
          payload: { organisationId, documentId: docId, signature: verdict.signature },
        });
    });
    return verdict.clean ? null : `The file contains malware (${verdict.signature}); it has been quarantined and nobody can download it.`;
  }

  /** A document's file, only once scanned clean; 404 for a document of another organisation or one without a file. */
  async downloadDocument(organisationId: string, documentId: string): Promise<{ row: OrganisationDocumentRow; stream: Readable }> {
    const d = await this.orgs.document(this.ds.manager, organisationId, documentId);
    if (!d || !d.storageKey || !d.fileName)
      throw new DomainError(ErrorCode.NOT_FOUND, `Organisation ${organisationId} has no document file with id ${documentId}.`);
    if (d.status !== 'clean') {
      const why = d.status === 'infected' ? 'it was found to contain malware and is quarantined' : 'it has not been scanned clean yet';
      throw new DomainError(ErrorCode.CONFLICT, `${d.fileName} cannot be downloaded: ${why}.`);
    }
    return { row: d, stream: await this.files.open(d.storageKey) };
  }

  private async live(em: import('typeorm').EntityManager, id: string) {
    const o = await this.orgs.lock(em, id);
    if (!o) throw new DomainError(ErrorCode.NOT_FOUND, `No organisation with id ${id} exists.`);
    if (o.mergedIntoId) throw new DomainError(ErrorCode.CONFLICT, `This organisation was merged into ${o.mergedIntoId}; change that record instead.`);
  }

  /** Similar past cases for the triage precedent panel: the staff view of the case only (access.ts caseParts.precedents). */
  async precedents(user: CurrentUser, caseId: string) {
    const { parts } = await this.cases.access(this.ds.manager, caseId, user);
    if (!parts.precedents) throw new DomainError(ErrorCode.NOT_FOUND, `No case with id ${caseId} exists, or you may not see it.`);
    return {
      organisations: await this.orgs.caseOrganisations(this.ds.manager, caseId),
      items: await this.orgs.precedents(this.ds.manager, caseId),
    };
  }
}
