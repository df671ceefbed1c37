import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Restricted-party screening and explained triage.
 * - screening_list_version: each imported file, dated, with its SHA-256; `is_current`
 *   marks the version screening reads (one per list kind).
 * - screening_entry / screening_entry_name: the parties and every name they carry
 *   (primary, aliases, non-Latin), with `name_key` (see libs/domain name-matching.ts)
 *   under a pg_trgm GiST index for candidate retrieval. Only the current version's names are kept (entries stay).
 * - screening_hit: a case partner or person matched to an entry, with the matched alias,
 *   score and list version; it raised `flag_id`.
 * - case_risk_assessment: every scoring of a case, the factors that fired and the
 *   questionnaire and rules versions that produced it.
 */
export class Screening1764000000003 implements MigrationInterface {
  name = 'Screening1764000000003';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await q.query(`
      CREATE TABLE screening_list_version (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        list_kind text NOT NULL CHECK (list_kind IN ('uk_sanctions','us_csl','watch_list')),
        source text NOT NULL,
        sha256 text NOT NULL,
        published_at text NULL,
        entry_count int NOT NULL,
        name_count int NOT NULL,
        is_current boolean NOT NULL DEFAULT false,
        imported_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX screening_list_current ON screening_list_version (list_kind) WHERE is_current`);
    await q.query(`CREATE INDEX screening_list_hash ON screening_list_version (list_kind, sha256)`);
    await q.query(`
      CREATE TABLE screening_entry (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        list_version_id uuid NOT NULL REFERENCES screening_list_version(id) ON DELETE CASCADE,
        list_kind text NOT NULL,
        external_id text NOT NULL,
        party_type text NOT NULL CHECK (party_type IN ('organisation','individual','vessel','unknown')),
        primary_name text NOT NULL,
        source_list text NOT NULL,
        countries text[] NOT NULL DEFAULT '{}',
        rating text NULL CHECK (rating IN ('very_high','high','medium','low')),
        details jsonb NOT NULL DEFAULT '{}'
      )`);
    await q.query(`CREATE INDEX screening_entry_version ON screening_entry (list_version_id)`);
    await q.query(`
      CREATE TABLE screening_entry_name (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        entry_id uuid NOT NULL REFERENCES screening_entry(id) ON DELETE CASCADE,
        list_version_id uuid NOT NULL REFERENCES screening_list_version(id) ON DELETE CASCADE,
        name text NOT NULL,
        name_type text NOT NULL,
        name_key text NOT NULL
      )`);
    // GiST, not GIN: it serves `%` and the `<->` distance ordering, so the nearest names
    // come straight off the index (KNN) instead of sorting every trigram match. A long
    // signature (siglen) keeps the index precise for multi-word names: fewer rechecks.
    await q.query(`CREATE INDEX screening_name_key_trgm ON screening_entry_name USING gist (name_key gist_trgm_ops(siglen=256))`);
    await q.query(`CREATE INDEX screening_name_version ON screening_entry_name (list_version_id)`);
    await q.query(`
      CREATE TABLE screening_hit (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id uuid NOT NULL REFERENCES collaboration_case(id),
        flag_id uuid NULL REFERENCES case_flag(id),
        subject text NOT NULL,
        subject_kind text NOT NULL CHECK (subject_kind IN ('organisation','individual','parent')),
        partner_index int NOT NULL,
        entry_id uuid NOT NULL REFERENCES screening_entry(id),
        list_version_id uuid NOT NULL REFERENCES screening_list_version(id),
        list_kind text NOT NULL,
        source_list text NOT NULL,
        entry_name text NOT NULL,
        matched_name text NOT NULL,
        matched_name_type text NOT NULL,
        score numeric(5,4) NOT NULL,
        country_match boolean NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    // A re-screen finds the same party again: one hit per (case, subject, listed party).
    await q.query(`CREATE UNIQUE INDEX screening_hit_once ON screening_hit (case_id, lower(subject), list_kind, (entry_id::text))`);
    await q.query(`CREATE INDEX screening_hit_case ON screening_hit (case_id, created_at)`);
    await q.query(`
      CREATE TABLE case_risk_assessment (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES collaboration_case(id),
        trigger text NOT NULL,
        questionnaire_version int NOT NULL,
        rules_version text NOT NULL,
        level text NOT NULL CHECK (level IN ('low','medium','high')),
        score int NOT NULL,
        route text NOT NULL,
        export_indicator boolean NOT NULL,
        assessment jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX case_risk_assessment_case ON case_risk_assessment (case_id, id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['case_risk_assessment', 'screening_hit', 'screening_entry_name', 'screening_entry', 'screening_list_version']) {
      await q.query(`DROP TABLE IF EXISTS ${t}`);
    }
  }
}
