import { join } from 'node:path';
import { DataSource } from 'typeorm';
import type { ScreeningListKind } from '@app/domain';
import { AuditRepository, ScreeningRepository } from '@app/persistence';
import { ListImporter, ListImportSummary } from './importer';

/**
 * The sample restricted-party lists the demo starts with (fixtures/screening, in the
 * publishers' own formats), so a demo case naming e.g. Tsinghua University or Harbin
 * Institute of Technology shows screening hits. Real lists: `npm run screening:import`.
 */
export const DEMO_SCREENING_LISTS: readonly { kind: ScreeningListKind; file: string }[] = [
  { kind: 'uk_sanctions', file: 'fixtures/screening/uk-sanctions-list.sample.xml' },
  { kind: 'us_csl', file: 'fixtures/screening/us-consolidated-screening-list.sample.csv' },
  { kind: 'watch_list', file: 'fixtures/screening/watch-list.sample.csv' },
];

/** Imports the demo lists (each skipped when that version is already current); `root` is the repository's root. */
export async function importDemoLists(ds: DataSource, audit: AuditRepository, root: string): Promise<ListImportSummary[]> {
  const importer = new ListImporter(ds, new ScreeningRepository(), audit);
  const out: ListImportSummary[] = [];
  for (const l of DEMO_SCREENING_LISTS) out.push(await importer.importFile(l.kind, join(root, l.file)));
  return out;
}
