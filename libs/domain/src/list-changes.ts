import { createHash } from 'node:crypto';
import { canonicalJson } from './audit';
import { foldName, matchKey } from './name-matching';
import type { ParsedListEntry } from './screening-lists';
import type { ScreeningSubjectKind } from './list-change-kinds';
import type { OrganisationLinkRole } from './partners';

/**
 * Continuous screening (issue 19): what one import of a list changed against the one
 * before, entry by entry, and the content hash a remembered false-positive decision is
 * pinned to. Pure: libs/persistence stores the result, libs/screening computes it.
 */

export * from './list-change-kinds';

/** What is compared and hashed: everything an officer would weigh, in a stable order. */
export interface EntryContent {
  partyType: string;
  primaryName: string;
  names: string[];
  countries: string[];
  rating: string | null;
  birthDates: string[];
  nationalities: string[];
  identifiers: string[];
  programmes: string[];
}

/** One field that differs: lists say what was added and removed; single values say before and after. */
export interface EntryFieldChange {
  field: keyof EntryContent;
  added?: string[];
  removed?: string[];
  before?: string | null;
  after?: string | null;
}

const FIELD_LABELS: Record<keyof EntryContent, string> = {
  partyType: 'party type',
  primaryName: 'name',
  names: 'names and aliases',
  countries: 'countries',
  rating: 'rating',
  birthDates: 'birth dates',
  nationalities: 'nationalities',
  identifiers: 'identifiers',
  programmes: 'programmes',
};

const sorted = (xs: readonly string[] | undefined | null) => [...new Set((xs ?? []).map((x) => String(x).trim()).filter(Boolean))].sort();

/** An entry as stored (names with their kind; details carry the dates, identifiers and programmes). */
export interface StoredEntryShape {
  partyType: string;
  primaryName: string;
  countries: string[] | null;
  rating: string | null;
  names: { name: string; type: string }[];
  birthDates?: string[] | null;
  nationalities?: string[] | null;
  identifiers?: { type: string; value: string; country?: string | null }[] | null;
  programmes?: string[] | null;
}

export function entryContent(e: StoredEntryShape | ParsedListEntry): EntryContent {
  return {
    partyType: e.partyType,
    primaryName: e.primaryName.trim(),
    // Case and spacing of a name are not news; a new spelling is.
    names: sorted(e.names.map((n) => `${foldName(n.name)} (${n.type})`)),
    countries: sorted(e.countries ?? []),
    rating: e.rating ?? null,
    birthDates: sorted(e.birthDates ?? []),
    nationalities: sorted(e.nationalities ?? []),
    identifiers: sorted((e.identifiers ?? []).map((i) => `${i.type}: ${i.value}${i.country ? ` (${i.country})` : ''}`)),
    programmes: sorted(e.programmes ?? []),
  };
}

/** SHA-256 of the entry's content as RFC 8785 canonical JSON: equal hashes, nothing an officer weighs changed. */
export function entryContentHash(c: EntryContent): string {
  return createHash('sha256').update(canonicalJson(c)).digest('hex');
}

/** Field by field, what differs between two versions of an entry. */
export function diffEntryContent(before: EntryContent, after: EntryContent): EntryFieldChange[] {
  const out: EntryFieldChange[] = [];
  for (const field of Object.keys(FIELD_LABELS) as (keyof EntryContent)[]) {
    const b = before[field];
    const a = after[field];
    if (Array.isArray(b) && Array.isArray(a)) {
      const added = a.filter((x) => !b.includes(x));
      const removed = b.filter((x) => !a.includes(x));
      if (added.length || removed.length) out.push({ field, added, removed });
    } else if (b !== a) {
      out.push({ field, before: (b as string | null) ?? null, after: (a as string | null) ?? null });
    }
  }
  return out;
}

/** "programmes: added RUSSIA-EO14024; names and aliases: added Foo (alias)" — for flags and emails. */
export function describeEntryChanges(changes: readonly EntryFieldChange[]): string {
  return changes
    .map((c) => {
      const label = FIELD_LABELS[c.field] ?? c.field;
      if (c.added || c.removed) {
        const parts = [c.added?.length ? `added ${c.added.join(', ')}` : '', c.removed?.length ? `removed ${c.removed.join(', ')}` : ''].filter(Boolean);
        return `${label}: ${parts.join('; ')}`;
      }
      return `${label}: ${c.before ?? '(none)'} → ${c.after ?? '(none)'}`;
    })
    .join('; ');
}

export interface ListDiffEntry {
  externalId: string;
  primaryName: string;
  hash: string;
}

export interface ListDiff<T> {
  added: T[];
  removed: T[];
  changed: { before: T; after: T; changes: EntryFieldChange[] }[];
  unchanged: number;
}

/**
 * Entries are the same entry across versions when their list ids are equal. A list
 * that repeats an id (it happens in scraped CSVs) is compared on the last row of each id.
 */
export function diffLists<T extends ListDiffEntry>(previous: readonly T[], next: readonly T[], content: (e: T) => EntryContent): ListDiff<T> {
  const prev = new Map<string, T>();
  for (const e of previous) prev.set(e.externalId, e);
  const seen = new Map<string, T>();
  for (const e of next) seen.set(e.externalId, e);
  const out: ListDiff<T> = { added: [], removed: [], changed: [], unchanged: 0 };
  for (const [id, e] of seen) {
    const p = prev.get(id);
    if (!p) out.added.push(e);
    else if (p.hash === e.hash) out.unchanged++;
    else out.changed.push({ before: p, after: e, changes: diffEntryContent(content(p), content(e)) });
  }
  for (const [id, p] of prev) if (!seen.has(id)) out.removed.push(p);
  return out;
}

/**
 * Who a screening hit and a remembered decision are about. A case-held party (a partner,
 * its parent, a named person as the case's answers give them) is keyed by its kind,
 * match key and country, so the same partner on two cases is one subject; organisation
 * and person records use `organisation:<id>` / `person:<id>`.
 */

/** The subject kind of an organisation linked to a case in a role (case_organisation.role). */
export const SUBJECT_KIND_OF_ROLE: Record<OrganisationLinkRole, ScreeningSubjectKind> = { partner: 'organisation', parent: 'parent', funder: 'funder' };

/** The key of an organisation or person record (remembered decisions are stored against it). */
export const organisationSubjectKey = (id: string) => `organisation:${id}`;
export const personSubjectKey = (id: string) => `person:${id}`;

export function caseSubjectKey(name: string, kind: ScreeningSubjectKind, country: string | null): string {
  const cls = kind === 'individual' ? 'person' : 'organisation';
  return `name:${cls}:${matchKey(name) || foldName(name)}:${(country ?? '').toUpperCase() || '-'}`;
}
