import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Report summary: one narrow row per submitted (or closed) case with what the reports group and filter
 * by (state, department, risk tier, outcome, officer, partner countries, NSI areas,
 * conditions) and, per SLA stage, the time of its closed stays (elapsed and business ms)
 * and the start of an open one. The worker refreshes it incrementally from case_event ids
 * (ReportRepository.refreshSummary); nothing on the command path writes it. Reports read it
 * and compute the cases changed since the last refresh live, so their figures equal the
 * direct queries. Filled by the first refresh (the worker's, or `npm run bench`).
 */
export class ReportSummary1765600000000 implements MigrationInterface {
  name = 'ReportSummary1765600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE report_case (
        case_id uuid PRIMARY KEY REFERENCES collaboration_case(id),
        submitted_at timestamptz NULL,
        closed_at timestamptz NULL,
        state text NOT NULL,
        department_id uuid NULL,
        risk_level text NULL,
        outcome text NULL,
        assignee_id uuid NULL,
        countries text[] NOT NULL,
        nsi_areas text[] NOT NULL,
        conditions int NOT NULL,
        conditions_met int NOT NULL,
        stages text[] NOT NULL,
        stage_ems float8[] NOT NULL,
        stage_bms float8[] NOT NULL,
        stage_open_since timestamptz[] NOT NULL,
        entered_before_submission timestamptz NULL
      )`);
    await q.query(`CREATE INDEX report_case_submitted ON report_case (submitted_at)`);
    await q.query(`CREATE INDEX report_case_closed ON report_case (closed_at) WHERE closed_at IS NOT NULL`);
    await q.query(`CREATE INDEX report_case_open ON report_case (submitted_at) WHERE closed_at IS NULL`);
    await q.query(`CREATE INDEX report_case_resubmitted ON report_case (submitted_at) WHERE entered_before_submission IS NOT NULL`);
    // Per local day, what the unfiltered reports count (kind: volume by state, country, nsi
    // area by submission day; outcome by risk tier and outcome by closure day), kept in step
    // with report_case by the same refresh ('' stands for none in the keys).
    await q.query(`
      CREATE TABLE report_day (
        kind text NOT NULL,
        day date NOT NULL,
        k1 text NOT NULL,
        k2 text NOT NULL,
        n int NOT NULL,
        x1 int NOT NULL,
        x2 int NOT NULL,
        PRIMARY KEY (kind, day, k1, k2)
      )`);
    await q.query(`
      CREATE TABLE report_summary_state (
        id boolean PRIMARY KEY DEFAULT true CHECK (id),
        calendar_key text NOT NULL,
        through_event bigint NOT NULL,
        refreshed_at timestamptz NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS report_summary_state`);
    await q.query(`DROP TABLE IF EXISTS report_day`);
    await q.query(`DROP TABLE IF EXISTS report_case`);
  }
}
