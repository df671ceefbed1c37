/**
 * `npm run screening:import -- <list-kind> <path-or-url>`: imports a restricted-party
 * list (uk_sanctions: FCDO XML; us_csl: trade.gov CSV; watch_list: university CSV) as a
 * new dated version, then re-screens open and recently approved cases
 * (ScreeningService.importList; no worker job imports lists).
 */
import { NestFactory } from '@nestjs/core';
import { ConfigError, loadConfig } from '@app/config';
import { SCREENING_LIST_KINDS } from '@app/domain';
import { migrate } from '@app/persistence';
import { AppModule } from '../apps/api/src/app.module';
import { ScreeningService } from '../apps/api/src/screening/screening.service';

async function main(): Promise<void> {
  const [kind, source] = process.argv.slice(2);
  if (!kind || !source || !(SCREENING_LIST_KINDS as readonly string[]).includes(kind)) {
    throw new Error(`Usage: npm run screening:import -- <${SCREENING_LIST_KINDS.join('|')}> <path-or-url>`);
  }
  const config = loadConfig();
  await migrate(config);
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), { logger: ['error', 'warn'] });
  try {
    const result = await app.get(ScreeningService).importList(kind, source);
    console.log(result.unchanged
      ? `${kind}: ${source} is already the current version (${result.sha256.slice(0, 12)}); nothing to do.`
      : `${kind}: imported ${result.entries} entries (${result.names} names) as version ${result.listVersionId}; re-screened ${result.rescreenedCases} case(s), ${result.newHits} new hit(s).`);
  } finally {
    await app.close();
  }
}

main().catch((err) => {
  console.error(err instanceof ConfigError || err instanceof Error ? err.message : err);
  process.exit(1);
});
