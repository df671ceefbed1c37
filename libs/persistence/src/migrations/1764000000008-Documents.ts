import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Files attached to a case. The bytes live in the attachment store (a directory, shared
 * between API processes); this row is the only way to reach them: downloads go by
 * attachment id after an access check, and only once the virus scan said clean.
 */
export class Documents1764000000008 implements MigrationInterface {
  name = 'Documents1764000000008';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE case_attachment (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id uuid NOT NULL REFERENCES collaboration_case(id),
        uploaded_by_id uuid NOT NULL REFERENCES app_user(id),
        kind text NOT NULL CHECK (kind IN ('agreement','partner_questionnaire','licence','other')),
        file_name text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
        content_type text NOT NULL,
        size_bytes bigint NOT NULL CHECK (size_bytes >= 0),
        sha256 text NOT NULL,
        storage_key text NOT NULL UNIQUE,
        status text NOT NULL CHECK (status IN ('pending','clean','infected','scan_failed')),
        scan_result text,
        scanned_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX case_attachment_case_idx ON case_attachment (case_id, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE case_attachment`);
  }
}
