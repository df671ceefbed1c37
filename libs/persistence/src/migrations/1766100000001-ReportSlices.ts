import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Report summary, per filter value: report_day's counts and report_stage_day's sorted times and
 * histograms are kept for every case (slice '' '') and again for each single filter the case
 * matches (slice 'department' <id>, 'country' <code>, 'nsiArea' <area>, 'riskTier' <tier>,
 * 'outcome' <outcome>, 'officer' <id>), so a report narrowed by one filter reads its days
 * like an unfiltered one instead of every case row of the range (at 1,000,000 cases a
 * department's three years were ~500,000 rows a report). Several filters at once still read
 * report_case / report_stage rows. The open stays' index carries the filter columns, so a
 * filtered read of them stays on the index. Filled by the next refresh (SUMMARY_VERSION).
 */
export class ReportSlices1766100000001 implements MigrationInterface {
  name = 'ReportSlices1766100000001';

  async up(q: QueryRunner): Promise<void> {
    for (const t of ['report_day', 'report_stage_day']) {
      await q.query(`DELETE FROM ${t}`);
      await q.query(`ALTER TABLE ${t} ADD COLUMN dim text NOT NULL DEFAULT '', ADD COLUMN val text NOT NULL DEFAULT ''`);
      await q.query(`ALTER TABLE ${t} DROP CONSTRAINT ${t}_pkey`);
    }
    await q.query(`ALTER TABLE report_day ADD PRIMARY KEY (dim, val, kind, day, k1, k2)`);
    await q.query(`ALTER TABLE report_stage_day ADD PRIMARY KEY (dim, val, stage, day)`);
    // Whatever was summarised before is incomplete now: the next refresh is a full one.
    await q.query(`DELETE FROM report_summary_state`);
    await q.query(`DROP INDEX report_stage_open`);
    await q.query(
      `CREATE INDEX report_stage_open ON report_stage (stage, submitted_at)
         INCLUDE (bms, ems, open_since, case_id, department_id, risk_level, outcome, assignee_id, countries, nsi_areas) WHERE open_since IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX report_stage_open`);
    await q.query(`CREATE INDEX report_stage_open ON report_stage (stage, submitted_at) INCLUDE (bms, ems, open_since, case_id) WHERE open_since IS NOT NULL`);
    await q.query(`DELETE FROM report_summary_state`);
    for (const t of ['report_day', 'report_stage_day']) {
      await q.query(`DELETE FROM ${t}`);
      await q.query(`ALTER TABLE ${t} DROP CONSTRAINT ${t}_pkey`);
      await q.query(`ALTER TABLE ${t} DROP COLUMN dim, DROP COLUMN val`);
    }
    await q.query(`ALTER TABLE report_day ADD PRIMARY KEY (kind, day, k1, k2)`);
    await q.query(`ALTER TABLE report_stage_day ADD PRIMARY KEY (stage, day)`);
  }
}
