import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit chain becomes an HMAC-SHA-256 under AUDIT_KEY (docs/security.md): each event
 * names the key it is sealed with. Events stored before this migration keep their plain
 * SHA-256 (key id 'sha256'), and audit_key_epoch records, once, the last such event of
 * each table: a plain-hashed event after it was not written by the application (whose
 * database role can INSERT but does not hold the key). The epoch table is append-only
 * like the trail, so the app role cannot move the boundary.
 */
export class AuditKeyId1765000000051 implements MigrationInterface {
  name = 'AuditKeyId1765000000051';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE case_event ADD COLUMN key_id text NOT NULL DEFAULT 'sha256'`);
    await q.query(`ALTER TABLE system_event ADD COLUMN key_id text NOT NULL DEFAULT 'sha256'`);
    await q.query(`CREATE TABLE audit_key_epoch (chain text PRIMARY KEY, last_unkeyed_id bigint NOT NULL)`);
    await q.query(`
      INSERT INTO audit_key_epoch (chain, last_unkeyed_id)
      SELECT 'case', coalesce(max(id), 0) FROM case_event
      UNION ALL SELECT 'system', coalesce(max(id), 0) FROM system_event`);
    await q.query(`CREATE TRIGGER audit_key_epoch_append_only BEFORE UPDATE OR DELETE ON audit_key_epoch FOR EACH ROW EXECUTE FUNCTION forbid_audit_change()`);
    await q.query(`CREATE TRIGGER audit_key_epoch_no_truncate BEFORE TRUNCATE ON audit_key_epoch FOR EACH STATEMENT EXECUTE FUNCTION forbid_audit_change()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_key_epoch`);
    await q.query(`ALTER TABLE system_event DROP COLUMN key_id`);
    await q.query(`ALTER TABLE case_event DROP COLUMN key_id`);
  }
}
