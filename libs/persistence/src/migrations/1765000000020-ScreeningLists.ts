import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Screening on the real published lists:
 * - list kinds for the UN Security Council (un_sc), OFAC SDN (us_ofac) and EU financial
 *   sanctions (eu_fsf) lists beside the UK list, the CSL and the watch list;
 * - screening_hit.explanation: the matcher's feature breakdown (name, alias kind,
 *   country, date of birth, identifiers) the officer sees beside the score.
 * - name_key searched through a GIN trigram index instead of GiST: with the real lists
 *   loaded (29,541 names) the GiST scan for `%` took 20–60 ms per check, the GIN scan
 *   about 1 ms (EXPLAIN ANALYZE, same query, same data); the few `%`-similar rows are
 *   then ordered by `<->` in memory. A 128 kB pending list: an import's rows are merged
 *   into the index in small bulks (29,541 names: 2.2 s, against 11.9 s with fastupdate
 *   off), and a search never scans more than 128 kB of unmerged entries (the 4 MB default
 *   made a check 600 ms right after an import).
 * Birth dates, nationalities, identifiers and programmes of an entry live in
 * screening_entry.details (jsonb), where the importers put them.
 */
export class ScreeningLists1765000000020 implements MigrationInterface {
  name = 'ScreeningLists1765000000020';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE screening_list_version DROP CONSTRAINT IF EXISTS screening_list_version_list_kind_check`);
    await q.query(`ALTER TABLE screening_list_version ADD CONSTRAINT screening_list_version_list_kind_check
                     CHECK (list_kind IN ('uk_sanctions','un_sc','us_ofac','eu_fsf','us_csl','watch_list'))`);
    await q.query(`ALTER TABLE screening_hit ADD COLUMN explanation jsonb NULL`);
    await q.query(`DROP INDEX IF EXISTS screening_name_key_trgm`);
    await q.query(`CREATE INDEX screening_name_key_trgm ON screening_entry_name USING gin (name_key gin_trgm_ops) WITH (gin_pending_list_limit = 128)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS screening_name_key_trgm`);
    await q.query(`CREATE INDEX screening_name_key_trgm ON screening_entry_name USING gist (name_key gist_trgm_ops(siglen=256))`);
    await q.query(`ALTER TABLE screening_hit DROP COLUMN IF EXISTS explanation`);
    await q.query(`ALTER TABLE screening_list_version DROP CONSTRAINT IF EXISTS screening_list_version_list_kind_check`);
    await q.query(
      `ALTER TABLE screening_list_version ADD CONSTRAINT screening_list_version_list_kind_check CHECK (list_kind IN ('uk_sanctions','us_csl','watch_list'))`,
    );
  }
}
