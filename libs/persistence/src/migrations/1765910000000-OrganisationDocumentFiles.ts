import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Organisation documents (due-diligence questionnaires, agreements) carry a file: the
 * same attachment store and ClamAV scan as case attachments (apps/api/src/documents),
 * with the file's name, type, size, hash, storage key and scan status here. Earlier
 * rows are records without a file (status NULL); only a `clean` file can be downloaded.
 */
export class OrganisationDocumentFiles1765910000000 implements MigrationInterface {
  name = 'OrganisationDocumentFiles1765910000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE organisation_document
      ADD COLUMN file_name text NULL,
      ADD COLUMN content_type text NULL,
      ADD COLUMN size_bytes bigint NULL,
      ADD COLUMN sha256 text NULL,
      ADD COLUMN storage_key text NULL,
      ADD COLUMN status text NULL CONSTRAINT organisation_document_status_check CHECK (status IN ('pending', 'clean', 'infected', 'scan_failed')),
      ADD COLUMN scan_result text NULL,
      ADD COLUMN scanned_at timestamptz NULL`);
    await q.query(`ALTER TABLE organisation_document ADD CONSTRAINT organisation_document_file_check
      CHECK ((storage_key IS NULL) = (status IS NULL) AND (storage_key IS NULL) = (file_name IS NULL))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE organisation_document DROP CONSTRAINT organisation_document_file_check,
      DROP COLUMN file_name, DROP COLUMN content_type, DROP COLUMN size_bytes, DROP COLUMN sha256,
      DROP COLUMN storage_key, DROP COLUMN status, DROP COLUMN scan_result, DROP COLUMN scanned_at`);
  }
}
