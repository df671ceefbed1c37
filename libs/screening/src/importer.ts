import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError, ErrorCode, SCREENING_LIST_KINDS, ScreeningListKind } from '@app/domain';
import { AuditRepository, ScreeningListVersionEntity, ScreeningRepository } from '@app/persistence';
import { listsChanged } from './candidate-index';
import { decodeText, ListFormat, parseList } from './formats';

export interface ListImportSummary {
  kind: ScreeningListKind;
  format: ListFormat | null;
  listVersionId: string;
  sha256: string;
  entries: number;
  names: number;
  unchanged: boolean;
  /** entries with at least one country, and the count by party type */
  withCountry: number;
  partyTypes: Record<string, number>;
  parseMs: number;
  storeMs: number;
}

/** Reads a list file from a path or an http(s) URL. */
async function readSource(source: string): Promise<Buffer> {
  if (/^https?:\/\//i.test(source)) {
    const res = await fetch(source);
    if (!res.ok) throw new DomainError(ErrorCode.SERVICE_UNAVAILABLE, `Downloading ${source} failed: HTTP ${res.status}.`);
    return Buffer.from(await res.arrayBuffer());
  }
  return readFile(source);
}

/**
 * OFAC's legacy CSV comes as three files: alt.csv and add.csv sit beside sdn.csv under
 * the same name with "sdn" replaced ("ofac-sdn-2019-01.csv" → "ofac-alt-2019-01.csv").
 */
async function ofacCompanions(source: string): Promise<{ alt?: Buffer; add?: Buffer }> {
  if (/^https?:\/\//i.test(source)) return {};
  const name = basename(source);
  const i = name.toLowerCase().lastIndexOf('sdn');
  if (i < 0) return {};
  const sibling = async (what: string) => readFile(join(dirname(source), name.slice(0, i) + what + name.slice(i + 3))).catch(() => undefined);
  return { alt: await sibling('alt'), add: await sibling('add') };
}

/**
 * Imports restricted-party list files without the API: parse (libs/screening formats),
 * store as a new dated version (ScreeningRepository), audit. The API's ScreeningService
 * calls this and then re-screens cases; the CLI and the worker can call it directly.
 */
export class ListImporter {
  constructor(
    private readonly ds: DataSource,
    private readonly screening: ScreeningRepository,
    /** The audit chain is sealed under AUDIT_KEY, so the importer is given the app's repository. */
    private readonly audit: AuditRepository,
  ) {}

  async importFile(kind: string, source: string): Promise<ListImportSummary> {
    if (!(SCREENING_LIST_KINDS as readonly string[]).includes(kind)) {
      throw new DomainError(ErrorCode.VALIDATION_FAILED, `List kind "${kind}" is not one of ${SCREENING_LIST_KINDS.join(', ')}.`);
    }
    const k = kind as ScreeningListKind;
    const bytes = await readSource(source);
    const companions = k === 'us_ofac' ? await ofacCompanions(source) : {};
    const hash = createHash('sha256').update(bytes);
    if (companions.alt) hash.update(companions.alt);
    if (companions.add) hash.update(companions.add);
    const sha256 = hash.digest('hex');
    const current = await this.screening.findVersionByHash(this.ds.manager, k, sha256);
    if (current?.isCurrent) {
      return { kind: k, format: null, listVersionId: current.id, sha256, entries: current.entryCount, names: current.nameCount, unchanged: true, withCountry: 0, partyTypes: {}, parseMs: 0, storeMs: 0 };
    }
    const t0 = Date.now();
    let parsed: ReturnType<typeof parseList>;
    try {
      parsed = parseList(k, decodeText(bytes), { alt: companions.alt && decodeText(companions.alt), add: companions.add && decodeText(companions.add) });
    } catch (err) {
      throw new DomainError(ErrorCode.VALIDATION_FAILED, `${source}: ${(err as Error).message}`);
    }
    const parseMs = Date.now() - t0;
    if (!parsed.entries.length) throw new DomainError(ErrorCode.VALIDATION_FAILED, `${source} parsed to no entries; refusing to replace the current ${k} list with an empty one.`);
    const t1 = Date.now();
    const version: ScreeningListVersionEntity = await this.ds.transaction(async (em: EntityManager) => {
      const v = await this.screening.importList(em, parsed, source, sha256);
      await this.audit.appendSystemEvent(em, { actorId: null, action: 'screening_list_imported', payload: { kind: k, format: parsed.format, source, sha256, listVersionId: v.id, entries: v.entryCount } });
      return v;
    });
    listsChanged();
    // Merge the name index's pending list now when this connection may (the owner: the CLI
    // and the bench); the app role may not, and autovacuum merges it after a large insert.
    await this.ds.query(`SELECT gin_clean_pending_list('screening_name_key_trgm'::regclass)`).catch(() => undefined);
    const partyTypes = Object.create(null) as Record<string, number>;
    for (const e of parsed.entries) partyTypes[e.partyType] = (partyTypes[e.partyType] ?? 0) + 1;
    return {
      kind: k, format: parsed.format, listVersionId: version.id, sha256, entries: version.entryCount, names: version.nameCount, unchanged: false,
      withCountry: parsed.entries.filter((e) => e.countries.length).length, partyTypes, parseMs, storeMs: Date.now() - t1,
    };
  }
}
