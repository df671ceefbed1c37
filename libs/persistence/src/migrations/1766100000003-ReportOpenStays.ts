import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Report summary, open stays per day: report_stage_day keeps, per slice, stage and day of
 * submission, when the open stays that are a case's first in the stage began (sorted). Whether
 * such a stay is past its target depends only on when it began, so a read counts those before
 * the stage's bound from the array (a binary search) and times only the few near the bound;
 * at 1,000,000 cases a stage-time report had read ~220,000 open rows to count them. Returning
 * open stays (time already in the stage) are read as rows, through their own partial index.
 * Filled by the next refresh (SUMMARY_VERSION in report.service.ts was bumped with it).
 */
export class ReportOpenStays1766100000003 implements MigrationInterface {
  name = 'ReportOpenStays1766100000003';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE report_stage_day ADD COLUMN oo timestamptz[] NOT NULL DEFAULT '{}'`);
    await q.query(
      `CREATE INDEX report_stage_open_returning ON report_stage (stage, submitted_at)
         INCLUDE (bms, ems, open_since, case_id, department_id, risk_level, outcome, assignee_id, countries, nsi_areas)
         WHERE open_since IS NOT NULL AND (bms > 0 OR ems > 0)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS report_stage_open_returning`);
    await q.query(`ALTER TABLE report_stage_day DROP COLUMN oo`);
  }
}
