import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A session is a family of refresh tokens (each rotation adds one, revoking the last).
 * Access tokens carry the family id as `sid`, and every request checks that the family
 * still has a live token: logout, reuse detection, deactivation and password resets end
 * access tokens at once instead of when they expire. Existing tokens each become a family.
 */
export class SessionFamily1765000000053 implements MigrationInterface {
  name = 'SessionFamily1765000000053';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE refresh_token ADD COLUMN family_id uuid NOT NULL DEFAULT gen_random_uuid()`);
    await q.query(`CREATE INDEX refresh_token_live_family ON refresh_token (family_id) WHERE revoked_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX refresh_token_live_family`);
    await q.query(`ALTER TABLE refresh_token DROP COLUMN family_id`);
  }
}
