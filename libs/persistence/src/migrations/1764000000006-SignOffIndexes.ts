import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Visibility asks "has this case been signed off?" and "did this person sign?"; without
 * these partial indexes both were sequential scans of every case event.
 */
export class SignOffIndexes1764000000006 implements MigrationInterface {
  name = 'SignOffIndexes1764000000006';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX case_event_signoff_idx ON case_event (case_id) WHERE action IN ('endorse','decline')`);
    await q.query(`CREATE INDEX case_event_signoff_actor_idx ON case_event (actor_id, case_id) WHERE action IN ('endorse','decline')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS case_event_signoff_actor_idx`);
    await q.query(`DROP INDEX IF EXISTS case_event_signoff_idx`);
  }
}
