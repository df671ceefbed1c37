import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Report summary, stage times: one narrow row per summary case and SLA stage it stayed in
 * (its stays summed, as report_case's stage arrays hold them), with the case's filter
 * dimensions copied beside it. The stage-time and SLA reports read these instead of
 * unnesting every report_case row of the cohort; the index covers every column, so a
 * report's rows (filtered or not) come from the index alone, in stage order. Kept by the same refresh as
 * report_case (ReportRepository.refreshSummary), derived from its rows in the same
 * transaction; nothing on the command path writes it. Filled by the next refresh
 * (SUMMARY_VERSION in report.service.ts was bumped with it, so that refresh is a full one).
 */
export class ReportStage1765920000000 implements MigrationInterface {
  name = 'ReportStage1765920000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE report_stage (
        case_id uuid NOT NULL,
        stage text NOT NULL,
        submitted_at timestamptz NOT NULL,
        entered_before_submission timestamptz NULL,
        ems float8 NOT NULL,
        bms float8 NOT NULL,
        open_since timestamptz NULL,
        department_id uuid NULL,
        risk_level text NULL,
        outcome text NULL,
        assignee_id uuid NULL,
        countries text[] NOT NULL,
        nsi_areas text[] NOT NULL,
        PRIMARY KEY (case_id, stage)
      )`);
    await q.query(
      `CREATE INDEX report_stage_range ON report_stage (stage, submitted_at)
         INCLUDE (bms, ems, open_since, entered_before_submission, case_id, department_id, risk_level, outcome, assignee_id, countries, nsi_areas)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS report_stage`);
  }
}
