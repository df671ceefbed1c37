/**
 * What the versioned diff (issue 19) costs an import: the OFAC SDN trio (7,379 entries)
 * imported into an empty source, then a copy with one alias added imported over it
 * (every entry loaded from both versions, hashed and compared). Reported as the ratio of
 * the second import's store step to the first one's in the same run, never as a timed
 * assertion.
 *
 *   npx ts-node --transpile-only -r tsconfig-paths/register bench/list-diff-bench.ts [data dir]
 */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig } from '@app/config';
import { AuditRepository, createDataSource, ensureDatabaseExists, migrate, ScreeningRepository } from '@app/persistence';
import { ListImporter } from '@app/screening';

const DATA = resolve(process.argv[2] ?? join(__dirname, '../../shared/data/screening'));

async function main(): Promise<void> {
  const base = loadConfig();
  const url = new URL(base.database.url);
  url.pathname = '/tr_bench_list_diff';
  const config = { ...base, database: { ...base.database, url: url.toString() } };
  await ensureDatabaseExists(config.database.url);
  await migrate(config);
  const ds = await createDataSource(config, 'owner', 4).initialize();
  try {
    await ds.query('TRUNCATE screening_list_version, screening_entry, screening_entry_name, screening_source CASCADE');
    const [{ id: sourceId }] = await ds.query(`INSERT INTO screening_source (name, list_kind) VALUES ('OFAC SDN (bench)', 'us_ofac') RETURNING id`);
    const dir = mkdtempSync(join(tmpdir(), 'sdn-'));
    for (const f of ['ofac-sdn-2019-01.csv', 'ofac-alt-2019-01.csv', 'ofac-add-2019-01.csv']) copyFileSync(join(DATA, f), join(dir, f));
    const sdn = join(dir, 'ofac-sdn-2019-01.csv');
    // The bench's scratch folder is its import folder (libs/screening source-location.ts).
    const importer = new ListImporter(ds, new ScreeningRepository(), new AuditRepository(config), { importDir: dir, allowedOrigins: [] });
    const first = await importer.importInto(sourceId, 'us_ofac', sdn, null, 'bench');
    // One alias more on the first entry of alt.csv's entity: one changed entry.
    const alt = readFileSync(join(dir, 'ofac-alt-2019-01.csv'), 'latin1');
    const ent = alt.split('\n')[0].split(',')[0];
    writeFileSync(join(dir, 'ofac-alt-2019-01.csv'), `${alt.trimEnd()}\n${ent},99999,"a.k.a.","BENCH ALIAS ONE",-0- \n`, 'latin1');
    const second = await importer.importInto(sourceId, 'us_ofac', sdn, null, 'bench');
    const line = (what: string, r: typeof first) =>
      `${what}: ${r.entries} entries, parse ${r.parseMs} ms, store ${r.storeMs} ms (added ${r.added}, removed ${r.removed}, changed ${r.changed})`;
    console.log(line('first import (nothing to compare)', first));
    console.log(line('second import (diffed against the first)', second));
    console.log(`store with diff / store without: ${(second.storeMs / first.storeMs).toFixed(2)}`);
  } finally {
    await ds.destroy();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
