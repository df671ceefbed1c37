import { MigrationInterface, QueryRunner } from 'typeorm';

/** One monthly summary per month: a second run of the job (a retry, a second worker) finds the month claimed. */
export class MonthlyReport1765000000071 implements MigrationInterface {
  name = 'MonthlyReport1765000000071';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE monthly_report_run (
        month text PRIMARY KEY CHECK (month ~ '^[0-9]{4}-[0-9]{2}$'),
        outbox_id bigint NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS monthly_report_run`);
  }
}
