import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { DataSource, EntityManager } from 'typeorm';
import { diffLists, DomainError, entryContent, entryContentHash, ErrorCode, ListChangeKind, SCREENING_LIST_KINDS, ScreeningListKind } from '@app/domain';
import { AuditRepository, ScreeningListVersionEntity, ScreeningRepository, ScreeningWatchRepository, StoredEntry } from '@app/persistence';
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
  sourceId: string;
  /** against the source's previous version (all entries are "added" on a source's first import) */
  added: number;
  removed: number;
  changed: number;
}

/** Bytes to import instead of reading the source's location (an upload). */
export interface ListUpload {
  bytes: Buffer;
  /** the file name, recorded as the version's source */
  filename: string;
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

  /** The CLI's import: the kind's own source (named after the kind), read from `source`. */
  async importFile(kind: string, source: string): Promise<ListImportSummary> {
    const k = this.kind(kind);
    const sourceId = await this.screening.kindSource(this.ds.manager, k, source);
    return this.importInto(sourceId, k, source, null, `import:${k}`);
  }

  /**
   * Imports one configured source: from its location, or from uploaded bytes. The new
   * version is diffed against the source's previous one entry by entry (list id;
   * content hash), and the added, removed and changed entries are stored with it.
   */
  async importInto(
    sourceId: string,
    kind: string,
    location: string | null,
    upload: ListUpload | null,
    trigger: string,
    sourceName?: string,
  ): Promise<ListImportSummary> {
    const k = this.kind(kind);
    if (!upload && !location)
      throw new DomainError(ErrorCode.VALIDATION_FAILED, 'file: this source has no location to read from, so upload a file.', {
        fields: [{ field: 'file', message: 'is required for a source without a location' }],
      });
    const label = upload ? `upload:${upload.filename}` : location!;
    const bytes = upload ? upload.bytes : await readSource(location!);
    const companions = k === 'us_ofac' && !upload ? await ofacCompanions(location!) : {};
    const hash = createHash('sha256').update(bytes);
    if (companions.alt) hash.update(companions.alt);
    if (companions.add) hash.update(companions.add);
    const sha256 = hash.digest('hex');
    const watch = new ScreeningWatchRepository();
    const current = await watch.currentVersionId(this.ds.manager, sourceId);
    if (current?.sha256 === sha256) {
      const v = (await this.ds.manager.getRepository(ScreeningListVersionEntity).findOneBy({ id: current.id }))!;
      return {
        kind: k,
        format: null,
        listVersionId: v.id,
        sha256,
        entries: v.entryCount,
        names: v.nameCount,
        unchanged: true,
        withCountry: 0,
        partyTypes: {},
        parseMs: 0,
        storeMs: 0,
        sourceId,
        added: 0,
        removed: 0,
        changed: 0,
      };
    }
    const t0 = Date.now();
    let parsed: ReturnType<typeof parseList>;
    try {
      parsed = parseList(k, decodeText(bytes), { alt: companions.alt && decodeText(companions.alt), add: companions.add && decodeText(companions.add) });
    } catch (err) {
      throw new DomainError(ErrorCode.VALIDATION_FAILED, `${upload ? `file ${upload.filename}` : label}: ${(err as Error).message}`, {
        fields: [{ field: 'file', message: (err as Error).message }],
      });
    }
    const parseMs = Date.now() - t0;
    // A custom watch list (its own source, e.g. Canada's Named Research Organizations) names itself on hits, not "University watch list".
    if (k === 'watch_list' && sourceName && sourceName !== k) parsed = { ...parsed, entries: parsed.entries.map((e) => ({ ...e, sourceList: sourceName })) };
    if (!parsed.entries.length)
      throw new DomainError(ErrorCode.VALIDATION_FAILED, `file: ${label} parsed to no entries; refusing to replace the current ${k} list with an empty one.`, {
        fields: [{ field: 'file', message: 'has no entries' }],
      });
    const t1 = Date.now();
    const { version, diff } = await this.ds.transaction(async (em: EntityManager) => {
      const before = current ? await watch.entriesOfVersion(em, current.id) : [];
      const v = await this.screening.importList(em, parsed, label, sha256, sourceId, current?.id ?? null);
      const after = await watch.entriesOfVersion(em, v.id);
      const hashOf = (e: StoredEntry) => e.contentHash ?? entryContentHash(entryContent(e));
      const d = diffLists(
        before.map((e) => ({ ...e, hash: hashOf(e) })),
        after.map((e) => ({ ...e, hash: hashOf(e) })),
        (e) => entryContent(e),
      );
      const rows: { change: ListChangeKind; externalId: string; primaryName: string; entryId: string; previousEntryId: string | null; changes: unknown[] }[] = [
        ...d.added.map((e) => ({
          change: 'added' as const,
          externalId: e.externalId,
          primaryName: e.primaryName,
          entryId: e.id,
          previousEntryId: null,
          changes: [],
        })),
        ...d.changed.map((c) => ({
          change: 'changed' as const,
          externalId: c.after.externalId,
          primaryName: c.after.primaryName,
          entryId: c.after.id,
          previousEntryId: c.before.id,
          changes: c.changes,
        })),
        ...d.removed.map((e) => ({
          change: 'removed' as const,
          externalId: e.externalId,
          primaryName: e.primaryName,
          entryId: e.id,
          previousEntryId: e.id,
          changes: [],
        })),
      ];
      await watch.recordVersionDiff(em, v.id, trigger, rows);
      await this.audit.appendSystemEvent(em, {
        actorId: null,
        action: 'screening_list_imported',
        payload: {
          kind: k,
          format: parsed.format,
          source: label,
          sourceId,
          sha256,
          listVersionId: v.id,
          entries: v.entryCount,
          added: d.added.length,
          removed: d.removed.length,
          changed: d.changed.length,
          trigger,
        },
      });
      return { version: v, diff: d };
    });
    listsChanged();
    // Merge the name index's pending list now when this connection may (the owner: the CLI
    // and the bench); the app role may not, and autovacuum merges it after a large insert.
    await this.ds.query(`SELECT gin_clean_pending_list('screening_name_key_trgm'::regclass)`).catch(() => undefined);
    const partyTypes = Object.create(null) as Record<string, number>;
    for (const e of parsed.entries) partyTypes[e.partyType] = (partyTypes[e.partyType] ?? 0) + 1;
    return {
      kind: k,
      format: parsed.format,
      listVersionId: version.id,
      sha256,
      entries: version.entryCount,
      names: version.nameCount,
      unchanged: false,
      withCountry: parsed.entries.filter((e) => e.countries.length).length,
      partyTypes,
      parseMs,
      storeMs: Date.now() - t1,
      sourceId,
      added: diff.added.length,
      removed: diff.removed.length,
      changed: diff.changed.length,
    };
  }

  private kind(kind: string): ScreeningListKind {
    if (!(SCREENING_LIST_KINDS as readonly string[]).includes(kind)) {
      throw new DomainError(ErrorCode.VALIDATION_FAILED, `List kind "${kind}" is not one of ${SCREENING_LIST_KINDS.join(', ')}.`);
    }
    return kind as ScreeningListKind;
  }
}
