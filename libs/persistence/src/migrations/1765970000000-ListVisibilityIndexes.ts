import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for the case list of a viewer who is not staff (issue 17, lists at 1,000,000
 * cases). CaseRepository.list walks one index per way of seeing a case and merges the
 * walks (visibilityClauses); two of those ways had no index that matched them:
 * - a head's department's past sign-offs: (department, created) over signed cases only;
 * - "cases I signed": a GIN index on signed_by, asked with `signed_by @> ARRAY[me]` (someone
 *   who signed a few), and (created) over signed cases only (a head who signed most of them).
 */
export class ListVisibilityIndexes1765970000000 implements MigrationInterface {
  name = 'ListVisibilityIndexes1765970000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX case_department_signed_idx ON collaboration_case (department_id, created_at DESC, id DESC) WHERE cardinality(signed_by) > 0`);
    await q.query(`CREATE INDEX case_signed_by_gin ON collaboration_case USING gin (signed_by)`);
    await q.query(`CREATE INDEX case_signed_created_idx ON collaboration_case (created_at DESC, id DESC) WHERE cardinality(signed_by) > 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS case_signed_created_idx`);
    await q.query(`DROP INDEX IF EXISTS case_signed_by_gin`);
    await q.query(`DROP INDEX IF EXISTS case_department_signed_idx`);
  }
}
