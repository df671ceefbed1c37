import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { DataSource, EntityManager } from 'typeorm';
import { diffLists, DomainError, entryContent, entryContentHash, ErrorCode, ListChangeKind, SCREENING_LIST_KINDS, ScreeningListKind } from '@app/domain';
import { AuditRepository, ScreeningListVersionEntity, ScreeningRepository, ScreeningWatchRepository, StoredEntry } from '@app/persistence';
import { listsChanged } from './candidate-index';
import type { ScreeningSourceConfig } from '@app/config';
import { decodeText, ListFormat, parseList } from './formats';
import { ofacCompanionFiles, readSourceLocation } from './source-location';

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

/** The CLI's read: an operator's own path or URL, not a stored source location (source-location.ts confines those). */
async function readOperatorFile(source: string): Promise<Buffer> {
  if (/^https?:\/\//i.test(source)) {
    const res = await fetch(source);
    if (!res.ok) throw new DomainError(ErrorCode.SERVICE_UNAVAILABLE, `Downloading ${source} failed: HTTP ${res.status}.`);
    return Buffer.from(await res.arrayBuffer());
  }
  return readFile(source);
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
    /**
     * Where configured source locations may point (SCREENING_IMPORT_DIR,
     * SCREENING_SOURCE_HOSTS). Without it importInto reads uploads only: a stored
     * location is never read unchecked.
     */
    private readonly sources: ScreeningSourceConfig | null = null,
  ) {}

  /** The CLI's import: the kind's own source (named after the kind), read from `source`. */
  async importFile(kind: string, source: string): Promise<ListImportSummary> {
    const k = this.kind(kind);
    const sourceId = await this.screening.kindSource(this.ds.manager, k, source);
    const bytes = await readOperatorFile(source);
    const companions = k === 'us_ofac' && !/^https?:\/\//i.test(source) ? await ofacCompanionFiles(source, null) : {};
    return this.importBytes(sourceId, k, source, bytes, companions, null, `import:${k}`);
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
    if (upload) return this.importBytes(sourceId, k, `upload:${upload.filename}`, upload.bytes, {}, upload, trigger, sourceName);
    if (!this.sources)
      throw new DomainError(ErrorCode.SERVICE_UNAVAILABLE, 'This importer was started without the source-location policy, so it reads uploads only.');
    // The same rule as at create/update (source-location.ts), again here: a row written earlier, or by SQL, is refused too.
    const { bytes, checked } = await readSourceLocation(location!, this.sources);
    const companions = k === 'us_ofac' && checked.kind === 'file' ? await ofacCompanionFiles(checked.path, this.sources) : {};
    return this.importBytes(sourceId, k, location!, bytes, companions, null, trigger, sourceName);
  }

  private async importBytes(
    sourceId: string,
    k: ScreeningListKind,
    label: string,
    bytes: Buffer,
    companions: { alt?: Buffer; add?: Buffer },
    upload: ListUpload | null,
    trigger: string,
    sourceName?: string,
  ): Promise<ListImportSummary> {
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
