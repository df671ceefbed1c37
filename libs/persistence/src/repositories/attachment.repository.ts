import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AttachmentVisibility } from '@app/domain';
import { returnedRows } from '../sql';

export const ATTACHMENT_KINDS = ['agreement', 'partner_questionnaire', 'licence', 'other'] as const;
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number];
export const ATTACHMENT_STATUSES = ['pending', 'clean', 'infected', 'scan_failed'] as const;
export type AttachmentStatus = (typeof ATTACHMENT_STATUSES)[number];

export interface AttachmentRow {
  id: string;
  caseId: string;
  uploadedById: string;
  kind: AttachmentKind;
  /** `internal`: the staff view only (libs/domain/src/access.ts). */
  visibility: AttachmentVisibility;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  storageKey: string;
  status: AttachmentStatus;
  scanResult: string | null;
  scannedAt: Date | null;
  createdAt: Date;
}

const COLUMNS = `id, case_id AS "caseId", uploaded_by_id AS "uploadedById", kind, visibility, file_name AS "fileName",
  content_type AS "contentType", size_bytes::float8 AS "sizeBytes", sha256, storage_key AS "storageKey", status,
  scan_result AS "scanResult", scanned_at AS "scannedAt", created_at AS "createdAt"`;

/** Attachment rows; the bytes are in the attachment store, reached only through these rows. */
@Injectable()
export class AttachmentRepository {
  async insert(
    em: EntityManager,
    a: Omit<AttachmentRow, 'createdAt' | 'scanResult' | 'scannedAt' | 'status'> & { status?: AttachmentStatus },
  ): Promise<AttachmentRow> {
    const [row] = returnedRows<AttachmentRow>(
      await em.query(
        `INSERT INTO case_attachment (id, case_id, uploaded_by_id, kind, file_name, content_type, size_bytes, sha256, storage_key, status, visibility)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING ${COLUMNS}`,
        [a.id, a.caseId, a.uploadedById, a.kind, a.fileName, a.contentType, a.sizeBytes, a.sha256, a.storageKey, a.status ?? 'pending', a.visibility],
      ),
    );
    return row;
  }

  /** Conditional update: only a pending (or failed) scan is settled, so a rescan never un-quarantines. */
  async settleScan(em: EntityManager, id: string, status: Exclude<AttachmentStatus, 'pending'>, scanResult: string): Promise<AttachmentRow | null> {
    const [row] = returnedRows<AttachmentRow>(
      await em.query(
        `UPDATE case_attachment SET status = $2, scan_result = $3, scanned_at = now()
        WHERE id = $1 AND status IN ('pending', 'scan_failed') RETURNING ${COLUMNS}`,
        [id, status, scanResult],
      ),
    );
    return row ?? null;
  }

  async findById(em: EntityManager, id: string): Promise<AttachmentRow | null> {
    const [row] = returnedRows<AttachmentRow>(await em.query(`SELECT ${COLUMNS} FROM case_attachment WHERE id = $1`, [id]));
    return row ?? null;
  }

  async listForCase(em: EntityManager, caseId: string): Promise<AttachmentRow[]> {
    return returnedRows<AttachmentRow>(await em.query(`SELECT ${COLUMNS} FROM case_attachment WHERE case_id = $1 ORDER BY created_at, id`, [caseId]));
  }
}
