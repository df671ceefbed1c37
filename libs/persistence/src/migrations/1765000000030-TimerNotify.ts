import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A timer row inserted by the API (or any writer) NOTIFYs `case_timer` at commit with the
 * ids of its pending timers due within a day, so the worker enqueues their delayed jobs
 * (`timer-<id>`) at once instead of at the next reconcile (up to 60 s later: a `PT40S`
 * policy fired late or not at all before this). Statement level with a transition table:
 * one notification per inserting statement; a statement inserting more than 500 such rows
 * sends `*` (the payload limit is 8,000 bytes) and the worker reconciles instead. The
 * reconciler stays as the safety net for notifications lost while no worker listened.
 */
export class TimerNotify1765000000030 implements MigrationInterface {
  name = 'TimerNotify1765000000030';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION case_timer_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        ids text[];
      BEGIN
        SELECT array_agg(id::text) INTO ids FROM (
          SELECT id FROM added WHERE status = 'pending' AND due_at < now() + interval '1 day' LIMIT 501
        ) s;
        IF ids IS NOT NULL THEN
          PERFORM pg_notify('case_timer', CASE WHEN cardinality(ids) > 500 THEN '*' ELSE array_to_string(ids, ',') END);
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER case_timer_notify AFTER INSERT ON case_timer
        REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION case_timer_notify()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER IF EXISTS case_timer_notify ON case_timer`);
    await q.query(`DROP FUNCTION IF EXISTS case_timer_notify()`);
  }
}
