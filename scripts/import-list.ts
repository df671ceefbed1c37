/**
 * `npm run screening:import -- <list-kind> <path-or-url> [--no-rescreen]`: imports a
 * restricted-party list as a new dated version and prints its counts and countries.
 *
 *   uk_sanctions  FCDO UK Sanctions List XML or CSV, or an OFSI ConList CSV
 *   un_sc         UN Security Council consolidated XML
 *   us_ofac       OFAC sdn.csv (alt.csv and add.csv read from beside it) or sdn_advanced.xml
 *   eu_fsf        EU financial sanctions XML (xmlFullSanctionsList_1_1)
 *   us_csl        trade.gov Consolidated Screening List CSV or JSON
 *   watch_list    the university's own CSV
 *
 * The import itself runs without the API (libs/screening ListImporter). Open and
 * recently approved cases are then re-screened by the API's ScreeningService, booted
 * as an application context for that step only; no worker job does this (there is no
 * scheduled import), so `--no-rescreen` leaves them until the next import.
 */
import { ConfigError, loadConfig } from '@app/config';
import { SCREENING_LIST_KINDS } from '@app/domain';
import { AuditRepository, createDataSource, migrate, ScreeningRepository } from '@app/persistence';
import { ListImporter } from '@app/screening';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const rescreen = !args.includes('--no-rescreen');
  const [kind, source] = args.filter((a) => !a.startsWith('--'));
  if (!kind || !source || !(SCREENING_LIST_KINDS as readonly string[]).includes(kind)) {
    throw new Error(`Usage: npm run screening:import -- <${SCREENING_LIST_KINDS.join('|')}> <path-or-url> [--no-rescreen]`);
  }
  const config = loadConfig();
  await migrate(config);
  // The owner, as for migrations: it may also merge the name index's pending list at once.
  const ds = createDataSource(config, 'owner');
  await ds.initialize();
  try {
    const r = await new ListImporter(ds, new ScreeningRepository(), new AuditRepository(config)).importFile(kind, source);
    if (r.unchanged) {
      console.log(`${kind}: ${source} is already the current version (${r.sha256.slice(0, 12)}); nothing to do.`);
      return;
    }
    const pct = ((r.withCountry / r.entries) * 100).toFixed(1);
    console.log(
      `${kind} (${r.format}): imported ${r.entries} entries (${r.names} names) as version ${r.listVersionId} in ${((r.parseMs + r.storeMs) / 1000).toFixed(1)} s`,
    );
    console.log(
      `  by type: ${Object.entries(r.partyTypes)
        .map(([t, n]) => `${t} ${n}`)
        .join(', ')}; with a country: ${r.withCountry} (${pct} %)`,
    );
  } finally {
    await ds.destroy();
  }
  if (rescreen) {
    // Loaded only here: re-screening needs the case machinery of the API.
    const { NestFactory } = await import('@nestjs/core');
    const { AppModule } = await import('../apps/api/src/app.module');
    const { ScreeningService } = await import('@app/screening');
    const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), { logger: ['error', 'warn'] });
    try {
      const { cases, newHits } = await app.get(ScreeningService).rescreenAll(`list_import:${kind}`);
      console.log(`  re-screened ${cases} case(s): ${newHits} new hit(s).`);
    } finally {
      await app.close();
    }
  }
}

main().catch((err) => {
  console.error(err instanceof ConfigError || err instanceof Error ? err.message : err);
  process.exit(1);
});
