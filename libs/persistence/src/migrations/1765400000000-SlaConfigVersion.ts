import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The API caches the SLA calendar and policies (issue 17). Any write to sla_policy,
 * sla_setting or closure_day, by the admin API or by hand, bumps one counter; a command
 * reads the counter in a statement it sends anyway (CaseRepository.commandFacts) and
 * reloads its cache when the counter moved, so a change is seen by the next command of
 * every API process, with no extra statement and no LISTEN connection.
 */
export class SlaConfigVersion1765400000000 implements MigrationInterface {
  name = 'SlaConfigVersion1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE sla_config_version (id int PRIMARY KEY CHECK (id = 1), generation bigint NOT NULL DEFAULT 1)`);
    await q.query(`INSERT INTO sla_config_version (id, generation) VALUES (1, 1)`);
    await q.query(`CREATE FUNCTION sla_config_bump() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE sla_config_version SET generation = generation + 1 WHERE id = 1;
        RETURN NULL;
      END $$`);
    for (const t of ['sla_policy', 'sla_setting', 'closure_day']) {
      await q.query(
        `CREATE TRIGGER ${t}_config_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${t} FOR EACH STATEMENT EXECUTE FUNCTION sla_config_bump()`,
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['sla_policy', 'sla_setting', 'closure_day']) await q.query(`DROP TRIGGER ${t}_config_bump ON ${t}`);
    await q.query(`DROP FUNCTION sla_config_bump()`);
    await q.query(`DROP TABLE sla_config_version`);
  }
}
