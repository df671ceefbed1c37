import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Attachments carry who may see them: `researcher` (the owner and staff) or `internal`
 * (staff view only, libs/domain/src/access.ts). Files already uploaded by someone other
 * than the owner were the research office's, so they become internal.
 */
export class AttachmentVisibility1765000000091 implements MigrationInterface {
  name = 'AttachmentVisibility1765000000091';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE case_attachment ADD COLUMN visibility text NOT NULL DEFAULT 'researcher'
      CONSTRAINT case_attachment_visibility_check CHECK (visibility IN ('internal', 'researcher'))`);
    await q.query(`UPDATE case_attachment a SET visibility = 'internal'
      FROM collaboration_case c WHERE c.id = a.case_id AND a.uploaded_by_id <> c.owner_id`);
    await q.query(`ALTER TABLE case_attachment ALTER COLUMN visibility DROP DEFAULT`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE case_attachment DROP COLUMN visibility`);
  }
}
