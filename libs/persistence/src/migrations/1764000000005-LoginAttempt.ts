import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Failed sign-in counters for deployments without Redis (QUEUE_BACKEND=postgres): one row
 * per key (`email:<address>`, `ip:<address>`) with its count and the end of its window.
 * UNLOGGED: counters are worth no WAL, and losing them in a crash only resets a window.
 */
export class LoginAttempt1764000000005 implements MigrationInterface {
  name = 'LoginAttempt1764000000005';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE UNLOGGED TABLE login_attempt (
        key text PRIMARY KEY,
        count int NOT NULL CHECK (count > 0),
        expires_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX login_attempt_expires_at ON login_attempt (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE login_attempt`);
  }
}
