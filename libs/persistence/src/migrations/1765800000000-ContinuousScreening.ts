import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Screening that continues (issue 19):
 * - screening_source: a configured list (name, kind, file path or URL, cadence in
 *   minutes or none, publisher's page); the worker runs one BullMQ job scheduler per
 *   source. Each existing list kind becomes a source, and its versions belong to it.
 * - screening_list_version: its source, the version before it, the counts of its diff
 *   and what its rescreen found. "Current" is now per source, so two custom watch lists
 *   (each its own source) are read side by side.
 * - screening_entry.content_hash: SHA-256 of the entry's canonical content (libs/domain
 *   list-changes.ts); the names go into details too, so a superseded entry can still be
 *   compared.
 * - screening_list_change: each added, removed or changed entry of a version, with
 *   what changed.
 * - screening_decision: a remembered false positive, against (subject key, source,
 *   list entry id, content hash). Subject keys are text so organisation and person
 *   records can use their own ("organisation:<id>") beside the case-held names.
 * - screening_hit.subject_key / decision_id / changes: which subject, which remembered
 *   decision kept it quiet, what changed since a decision.
 * - screening_blast: per changed entry, every case subject it touches (any state).
 */
export class ContinuousScreening1765800000000 implements MigrationInterface {
  name = 'ContinuousScreening1765800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE screening_source (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        list_kind text NOT NULL CHECK (list_kind IN ('uk_sanctions','un_sc','us_ofac','eu_fsf','us_csl','watch_list')),
        location text NULL,
        cadence_minutes int NULL CHECK (cadence_minutes IS NULL OR cadence_minutes BETWEEN 1 AND 527040),
        publisher_url text NULL,
        enabled boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_run_at timestamptz NULL,
        last_error text NULL
      )`);
    await q.query(`CREATE UNIQUE INDEX screening_source_name ON screening_source (lower(name))`);
    await q.query(`
      INSERT INTO screening_source (name, list_kind, location)
      SELECT DISTINCT ON (list_kind) list_kind, list_kind, source FROM screening_list_version ORDER BY list_kind, imported_at DESC`);
    await q.query(`ALTER TABLE screening_list_version
                     ADD COLUMN source_id uuid NULL REFERENCES screening_source(id),
                     ADD COLUMN previous_version_id uuid NULL REFERENCES screening_list_version(id),
                     ADD COLUMN added_count int NULL,
                     ADD COLUMN removed_count int NULL,
                     ADD COLUMN changed_count int NULL,
                     ADD COLUMN rescreened_cases int NULL,
                     ADD COLUMN new_hits int NULL,
                     ADD COLUMN remembered_hits int NULL,
                     ADD COLUMN trigger text NULL`);
    await q.query(`UPDATE screening_list_version v SET source_id = s.id FROM screening_source s WHERE s.list_kind = v.list_kind`);
    await q.query(`ALTER TABLE screening_list_version ALTER COLUMN source_id SET NOT NULL`);
    await q.query(`DROP INDEX IF EXISTS screening_list_current`);
    await q.query(`CREATE UNIQUE INDEX screening_list_current ON screening_list_version (source_id) WHERE is_current`);
    await q.query(`CREATE INDEX screening_list_source ON screening_list_version (source_id, imported_at DESC)`);
    await q.query(`ALTER TABLE screening_entry ADD COLUMN content_hash text NULL`);
    await q.query(`CREATE INDEX screening_entry_external ON screening_entry (list_version_id, external_id)`);
    await q.query(`
      CREATE TABLE screening_list_change (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        list_version_id uuid NOT NULL REFERENCES screening_list_version(id) ON DELETE CASCADE,
        change text NOT NULL CHECK (change IN ('added','removed','changed')),
        external_id text NOT NULL,
        primary_name text NOT NULL,
        entry_id uuid NOT NULL REFERENCES screening_entry(id),
        previous_entry_id uuid NULL REFERENCES screening_entry(id),
        changes jsonb NOT NULL DEFAULT '[]'
      )`);
    await q.query(`CREATE INDEX screening_list_change_version ON screening_list_change (list_version_id, change)`);
    await q.query(`
      CREATE TABLE screening_decision (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        subject_key text NOT NULL,
        subject text NOT NULL,
        source_id uuid NOT NULL REFERENCES screening_source(id),
        external_id text NOT NULL,
        entry_id uuid NOT NULL REFERENCES screening_entry(id),
        content_hash text NOT NULL,
        case_id uuid NULL REFERENCES collaboration_case(id),
        flag_id uuid NULL REFERENCES case_flag(id),
        reason text NOT NULL,
        decided_by_id uuid NOT NULL REFERENCES app_user(id),
        decided_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX screening_decision_lookup ON screening_decision (subject_key, source_id, external_id, decided_at DESC)`);
    await q.query(`ALTER TABLE screening_hit
                     ADD COLUMN subject_key text NULL,
                     ADD COLUMN decision_id uuid NULL REFERENCES screening_decision(id),
                     ADD COLUMN changes jsonb NULL`);
    await q.query(`
      CREATE TABLE screening_blast (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        list_version_id uuid NOT NULL REFERENCES screening_list_version(id) ON DELETE CASCADE,
        change_id bigint NOT NULL REFERENCES screening_list_change(id) ON DELETE CASCADE,
        case_id uuid NOT NULL REFERENCES collaboration_case(id),
        subject_key text NOT NULL,
        subject text NOT NULL,
        score numeric(5,4) NOT NULL,
        case_state text NOT NULL,
        UNIQUE (change_id, case_id, subject_key)
      )`);
    await q.query(`CREATE INDEX screening_blast_version ON screening_blast (list_version_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS screening_blast`);
    await q.query(`ALTER TABLE screening_hit DROP COLUMN IF EXISTS subject_key, DROP COLUMN IF EXISTS decision_id, DROP COLUMN IF EXISTS changes`);
    await q.query(`DROP TABLE IF EXISTS screening_decision`);
    await q.query(`DROP TABLE IF EXISTS screening_list_change`);
    await q.query(`ALTER TABLE screening_entry DROP COLUMN IF EXISTS content_hash`);
    await q.query(`DROP INDEX IF EXISTS screening_list_current`);
    await q.query(`ALTER TABLE screening_list_version DROP COLUMN source_id, DROP COLUMN previous_version_id, DROP COLUMN added_count, DROP COLUMN removed_count,
                     DROP COLUMN changed_count, DROP COLUMN rescreened_cases, DROP COLUMN new_hits, DROP COLUMN remembered_hits, DROP COLUMN trigger`);
    await q.query(`CREATE UNIQUE INDEX screening_list_current ON screening_list_version (list_kind) WHERE is_current`);
    await q.query(`DROP TABLE IF EXISTS screening_source`);
  }
}
