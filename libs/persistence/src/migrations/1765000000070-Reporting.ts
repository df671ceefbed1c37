import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reporting.
 * - case_stage_interval: each stay of a case in a state (entered, left), kept by a trigger
 *   on case_event inserts (every state change is an audit event), so "time in each stage"
 *   reads one row per stay instead of window-scanning the audit chain per report, and no
 *   application code path can forget to write it. Backfilled from case_event.
 * - indexes for the report's date ranges: submission, closure, screening hits, fired timers.
 */
export class Reporting1765000000070 implements MigrationInterface {
  name = 'Reporting1765000000070';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE case_stage_interval (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES collaboration_case(id),
        stage text NOT NULL,
        entered_at timestamptz NOT NULL,
        left_at timestamptz NULL
      )`);
    await q.query(`CREATE INDEX case_stage_interval_case ON case_stage_interval (case_id, entered_at)`);
    await q.query(`CREATE INDEX case_stage_interval_open ON case_stage_interval (case_id) WHERE left_at IS NULL`);
    await q.query(`
      CREATE FUNCTION case_stage_interval_track() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.to_state IS NOT NULL AND NEW.to_state IS DISTINCT FROM NEW.from_state THEN
          UPDATE case_stage_interval SET left_at = NEW.created_at WHERE case_id = NEW.case_id AND left_at IS NULL;
          INSERT INTO case_stage_interval (case_id, stage, entered_at) VALUES (NEW.case_id, NEW.to_state, NEW.created_at);
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER case_event_stage_interval AFTER INSERT ON case_event FOR EACH ROW EXECUTE FUNCTION case_stage_interval_track()`);
    await q.query(`
      INSERT INTO case_stage_interval (case_id, stage, entered_at, left_at)
      SELECT case_id, to_state, created_at, lead(created_at) OVER (PARTITION BY case_id ORDER BY seq)
        FROM case_event
       WHERE to_state IS NOT NULL AND to_state IS DISTINCT FROM from_state`);

    await q.query(`CREATE INDEX case_submitted_idx ON collaboration_case (submitted_at) WHERE submitted_at IS NOT NULL`);
    await q.query(`CREATE INDEX case_closed_idx ON collaboration_case (closed_at) WHERE closed_at IS NOT NULL`);
    await q.query(`CREATE INDEX screening_hit_created ON screening_hit (created_at)`);
    await q.query(`CREATE INDEX case_timer_fired_escalation ON case_timer (fired_at) WHERE status = 'fired' AND (payload->'sla'->>'type') = 'escalation'`);
    await q.query(`CREATE INDEX case_timer_re_review_due ON case_timer (due_at) WHERE status = 'pending' AND kind = 're_review'`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const i of ['case_timer_re_review_due', 'case_timer_fired_escalation', 'screening_hit_created', 'case_closed_idx', 'case_submitted_idx']) {
      await q.query(`DROP INDEX IF EXISTS ${i}`);
    }
    await q.query(`DROP TRIGGER IF EXISTS case_event_stage_interval ON case_event`);
    await q.query(`DROP FUNCTION IF EXISTS case_stage_interval_track()`);
    await q.query(`DROP TABLE IF EXISTS case_stage_interval`);
  }
}
