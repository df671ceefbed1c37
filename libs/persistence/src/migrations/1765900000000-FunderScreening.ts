import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Funders are screened like partners (issue 19): a screening hit's subject may be a
 * funder (libs/domain SCREENING_SUBJECT_KINDS). The inline CHECK of 1764000000003 is
 * replaced by a named one with the new kind.
 */
export class FunderScreening1765900000000 implements MigrationInterface {
  name = 'FunderScreening1765900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE screening_hit DROP CONSTRAINT IF EXISTS screening_hit_subject_kind_check`);
    await q.query(
      `ALTER TABLE screening_hit ADD CONSTRAINT screening_hit_subject_kind_check CHECK (subject_kind IN ('organisation','individual','parent','funder'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM screening_hit WHERE subject_kind = 'funder'`);
    await q.query(`ALTER TABLE screening_hit DROP CONSTRAINT screening_hit_subject_kind_check`);
    await q.query(`ALTER TABLE screening_hit ADD CONSTRAINT screening_hit_subject_kind_check CHECK (subject_kind IN ('organisation','individual','parent'))`);
  }
}
