import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sign-in throttling slows an account down instead of locking it (login-throttle.ts):
 * the earliest time the account's next attempt is accepted.
 */
export class LoginAttemptDelay1765000000052 implements MigrationInterface {
  name = 'LoginAttemptDelay1765000000052';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE login_attempt ADD COLUMN next_at timestamptz NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE login_attempt DROP COLUMN next_at`);
  }
}
