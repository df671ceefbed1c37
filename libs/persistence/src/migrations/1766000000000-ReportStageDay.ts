import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Report summary, stage times per day: for each SLA stage and local day of submission, the
 * business and elapsed milliseconds of the closed stays of report_stage (one value per case,
 * its stays in the stage summed), each array sorted. The unfiltered stage-time and SLA
 * reports read a range's days from here instead of one report_stage row per case: counts
 * and the longest from the arrays' lengths and last elements, on-time counts by a binary
 * search for the budget (width_bucket), and the exact percentiles from the values unnested.
 * Kept by the same refresh as report_stage (ReportRepository.refreshSummary): a changed
 * case's old and new days are recomputed from report_stage in the same transaction.
 * Filled by the next refresh (SUMMARY_VERSION in report.service.ts was bumped with it).
 */
export class ReportStageDay1766000000000 implements MigrationInterface {
  name = 'ReportStageDay1766000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE report_stage_day (
        stage text NOT NULL,
        day date NOT NULL,
        bms float8[] NOT NULL,
        ems float8[] NOT NULL,
        PRIMARY KEY (stage, day)
      )`);
    // The open stays of a range (their time runs to now at read time), without reading the closed ones.
    await q.query(`CREATE INDEX report_stage_open ON report_stage (stage, submitted_at) INCLUDE (bms, ems, open_since, case_id) WHERE open_since IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS report_stage_open`);
    await q.query(`DROP TABLE IF EXISTS report_stage_day`);
  }
}
