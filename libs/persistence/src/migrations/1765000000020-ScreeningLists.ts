import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Screening on the real published lists:
 * - list kinds for the UN Security Council (un_sc), OFAC SDN (us_ofac) and EU financial
 *   sanctions (eu_fsf) lists beside the UK list, the CSL and the watch list;
 * - screening_hit.explanation: the matcher's feature breakdown (name, alias kind,
 *   country, date of birth, identifiers) the officer sees beside the score.
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
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE screening_hit DROP COLUMN IF EXISTS explanation`);
    await q.query(`ALTER TABLE screening_list_version DROP CONSTRAINT IF EXISTS screening_list_version_list_kind_check`);
    await q.query(`ALTER TABLE screening_list_version ADD CONSTRAINT screening_list_version_list_kind_check CHECK (list_kind IN ('uk_sanctions','us_csl','watch_list'))`);
  }
}
