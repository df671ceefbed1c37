import { MigrationInterface, QueryRunner } from 'typeorm';

const OLD = `'draft','submitted','triaged','export_control_review','head_sign_off','lead_review','awaiting_information','approved','rejected','withdrawn'`;
// libs/domain CASE_STATES, as the state CHECK since 1765000000081 (test/e2e/schema-enums compares both).
const NEW = `'draft','submitted','triaged','export_control_review','head_sign_off','lead_review','awaiting_information','approved','suspended','rejected','withdrawn','revoked','closed'`;

/** The remembered return state takes its values from the same state list as `state`. */
export class ReturnStateCheck1765000000092 implements MigrationInterface {
  name = 'ReturnStateCheck1765000000092';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE collaboration_case DROP CONSTRAINT collaboration_case_return_state_check`);
    await q.query(`ALTER TABLE collaboration_case ADD CONSTRAINT collaboration_case_return_state_check CHECK (return_state IN (${NEW}))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE collaboration_case DROP CONSTRAINT collaboration_case_return_state_check`);
    await q.query(`ALTER TABLE collaboration_case ADD CONSTRAINT collaboration_case_return_state_check CHECK (return_state IN (${OLD}))`);
  }
}
