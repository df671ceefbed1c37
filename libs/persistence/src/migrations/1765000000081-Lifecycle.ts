import { MigrationInterface, QueryRunner } from 'typeorm';

const OLD = `'draft','submitted','triaged','export_control_review','head_sign_off','lead_review','awaiting_information','approved','rejected','withdrawn'`;
// libs/domain CASE_STATES: an approval can be suspended, reinstated or revoked; "not in scope" closes a case.
const NEW = `'draft','submitted','triaged','export_control_review','head_sign_off','lead_review','awaiting_information','approved','suspended','rejected','withdrawn','revoked','closed'`;

/**
 * Approved is not forever (issue 13): the states `suspended`, `revoked` and `closed`
 * (not in scope, no review needed), and the current suspension of a case (reason, who,
 * when; null once reinstated) so the reinstating lead can be told apart from the suspender.
 */
export class Lifecycle1765000000081 implements MigrationInterface {
  name = 'Lifecycle1765000000081';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE collaboration_case DROP CONSTRAINT collaboration_case_state_check`);
    await q.query(`ALTER TABLE collaboration_case ADD CONSTRAINT collaboration_case_state_check CHECK (state IN (${NEW}))`);
    await q.query(`ALTER TABLE collaboration_case ADD COLUMN suspension jsonb NULL`);
    // Rejections "not in scope" from before close_not_in_scope become closures; their events keep the history.
    await q.query(`UPDATE collaboration_case SET state = 'closed' WHERE state = 'rejected' AND outcome = 'not_in_scope'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE collaboration_case SET state = 'rejected' WHERE state = 'closed'`);
    await q.query(`UPDATE collaboration_case SET state = 'approved' WHERE state IN ('suspended', 'revoked')`);
    await q.query(`ALTER TABLE collaboration_case DROP COLUMN suspension`);
    await q.query(`ALTER TABLE collaboration_case DROP CONSTRAINT collaboration_case_state_check`);
    await q.query(`ALTER TABLE collaboration_case ADD CONSTRAINT collaboration_case_state_check CHECK (state IN (${OLD}))`);
  }
}
