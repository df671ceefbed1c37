import { XMLParser } from 'fast-xml-parser';
import type { ScreeningListKind, WatchListRating } from './risk';
import { WATCH_LIST_RATINGS } from './risk';

/**
 * Parsers for the restricted-party lists, in the formats the publishers ship. Pure:
 * text in, entries out; reading files or URLs and storing rows is the caller's job.
 */

export interface ListEntryName {
  name: string;
  /** 'primary' | 'alias' | 'non_latin' | 'primary_variation' */
  type: string;
}

export interface ParsedListEntry {
  externalId: string;
  partyType: 'organisation' | 'individual' | 'vessel' | 'unknown';
  primaryName: string;
  /** the regime (UK), source list (US CSL), or "University watch list" */
  sourceList: string;
  countries: string[];
  rating: WatchListRating | null;
  names: ListEntryName[];
  details: Record<string, unknown>;
}

export interface ParsedList {
  kind: ScreeningListKind;
  publishedAt: string | null;
  entries: ParsedListEntry[];
}

const arr = <T>(v: T | T[] | undefined | null): T[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);
const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v).trim());

/** Country names as the UK list writes them, for the few we need to map to ISO codes. */
const COUNTRY_CODES = new Map<string, string>(Object.entries({
  russia: 'RU', 'russian federation': 'RU', china: 'CN', iran: 'IR', belarus: 'BY', 'north korea': 'KP',
  'democratic people\'s republic of korea': 'KP', syria: 'SY', 'united kingdom': 'GB', ukraine: 'UA', 'united arab emirates': 'AE',
  turkey: 'TR', 'hong kong': 'HK', myanmar: 'MM', burma: 'MM', venezuela: 'VE', libya: 'LY', iraq: 'IQ', lebanon: 'LB',
  kazakhstan: 'KZ', armenia: 'AM', india: 'IN', cyprus: 'CY', 'united states': 'US', germany: 'DE', france: 'FR',
}));
const countryCode = (name: string): string | null => {
  const s = name.trim();
  if (/^[A-Z]{2}$/.test(s)) return s;
  return COUNTRY_CODES.get(s.toLowerCase()) ?? null;
};

/**
 * FCDO UK Sanctions List, XML export (`UK_Sanctions_List.xml`): <Designations> of
 * <Designation> with <UniqueID>, <RegimeName>, <IndividualEntityShip>, <Names><Name>
 * (Name1..Name6 + NameType "Primary Name" / "Alias" / "Primary Name Variation"),
 * <NonLatinNames>, <Addresses><Address><AddressCountry>.
 */
export function parseUkSanctionsXml(xml: string): ParsedList {
  const doc = new XMLParser({ ignoreAttributes: true, parseTagValue: false, trimValues: true }).parse(xml);
  const root = doc.Designations ?? doc.designations;
  if (!root) throw new Error('Not a UK Sanctions List XML file: no <Designations> root element.');
  const entries: ParsedListEntry[] = [];
  for (const d of arr(root.Designation)) {
    const id = str(d.UniqueID);
    if (!id) continue;
    const type = str(d.IndividualEntityShip).toLowerCase();
    const names: ListEntryName[] = [];
    for (const n of arr(d.Names?.Name)) {
      const full = str(n.Name) || [1, 2, 3, 4, 5, 6].map((i) => str(n[`Name${i}`])).filter(Boolean).join(' ');
      if (!full) continue;
      const nt = str(n.NameType).toLowerCase();
      names.push({ name: full, type: nt === 'primary name' ? 'primary' : nt === 'primary name variation' ? 'primary_variation' : 'alias' });
    }
    for (const n of arr(d.NonLatinNames?.NonLatinName)) {
      const s = str(n.NameNonLatinScript);
      if (s) names.push({ name: s, type: 'non_latin' });
    }
    if (!names.length) continue;
    const primary = names.find((n) => n.type === 'primary') ?? names[0];
    const countries = new Set<string>();
    for (const a of arr(d.Addresses?.Address)) {
      const c = countryCode(str(a.AddressCountry));
      if (c) countries.add(c);
    }
    for (const ind of arr(d.IndividualDetails?.Individual)) {
      for (const nat of arr(ind.Nationalities?.Nationality)) {
        const c = countryCode(str(nat));
        if (c) countries.add(c);
      }
    }
    entries.push({
      externalId: id,
      partyType: type === 'individual' ? 'individual' : type === 'entity' ? 'organisation' : type === 'ship' ? 'vessel' : 'unknown',
      primaryName: primary.name,
      sourceList: `UK Sanctions List: ${str(d.RegimeName) || 'unknown regime'}`,
      countries: [...countries],
      rating: null,
      names,
      details: { regime: str(d.RegimeName), sanctionsImposed: str(d.SanctionsImposed), designationSource: str(d.DesignationSource), dateDesignated: str(d.DateDesignated) },
    });
  }
  return { kind: 'uk_sanctions', publishedAt: str(root.DateGenerated) || null, entries };
}

/** RFC 4180 CSV: quoted fields, doubled quotes, newlines inside quotes. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const s = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (quoted) {
      if (ch === '"' && s[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && s[i + 1] === '\n') i++;
      row.push(field);
      if (row.some((x) => x !== '')) rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  row.push(field);
  if (row.some((x) => x !== '')) rows.push(row);
  return rows;
}

function csvRecords(text: string, required: string[]): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  if (!header) throw new Error('The file is empty.');
  const cols = header.map((h) => h.trim());
  const missing = required.filter((r) => !cols.includes(r));
  if (missing.length) throw new Error(`The CSV header lacks ${missing.join(', ')}; found ${cols.join(', ')}.`);
  // Null-prototype records: a column named after an Object.prototype key reads as data.
  return rows.map((r) => Object.assign(Object.create(null) as Record<string, string>, Object.fromEntries(cols.map((c, i) => [c, (r[i] ?? '').trim()]))));
}

/**
 * US Consolidated Screening List, CSV download (trade.gov): one row per party with
 * `source` (the list it comes from, e.g. "Entity List (EL) - Bureau of Industry and
 * Security"), `name`, `alt_names` ("; "-separated), `addresses` ("; "-separated, each
 * ending in the ISO country code), `type`.
 */
export function parseUsCslCsv(text: string): ParsedList {
  const entries: ParsedListEntry[] = [];
  for (const r of csvRecords(text, ['source', 'name', 'alt_names', 'addresses'])) {
    if (!r.name) continue;
    const names: ListEntryName[] = [{ name: r.name, type: 'primary' }];
    for (const alt of r.alt_names.split(';').map((x) => x.trim()).filter(Boolean)) names.push({ name: alt, type: 'alias' });
    const countries = new Set<string>();
    for (const addr of r.addresses.split(';')) {
      const last = addr.split(',').pop()?.trim() ?? '';
      if (/^[A-Z]{2}$/.test(last)) countries.add(last);
    }
    for (const c of (r.nationalities ?? '').split(/[;,]/).map((x) => x.trim())) if (/^[A-Z]{2}$/.test(c)) countries.add(c);
    const type = (r.type ?? '').toLowerCase();
    entries.push({
      externalId: r._id || r.entity_number || `${r.source}:${r.name}`,
      partyType: type === 'individual' ? 'individual' : type === 'entity' ? 'organisation' : type === 'vessel' ? 'vessel' : 'organisation',
      primaryName: r.name,
      sourceList: r.source || 'US Consolidated Screening List',
      countries: [...countries],
      rating: null,
      names,
      details: { programs: r.programs ?? '', licenseRequirement: r.license_requirement ?? '', federalRegisterNotice: r.federal_register_notice ?? '', startDate: r.start_date ?? '' },
    });
  }
  return { kind: 'us_csl', publishedAt: null, entries };
}

/**
 * The university's own watch list, kept by the research office as CSV:
 * `id,name,aliases,country,rating,notes` with aliases "; "-separated and rating one of
 * very_high / high / medium / low (e.g. transcribed from ASPI's China Defence
 * Universities Tracker, which has no bulk download).
 */
export function parseWatchListCsv(text: string): ParsedList {
  const entries: ParsedListEntry[] = [];
  for (const [i, r] of csvRecords(text, ['name', 'country', 'rating']).entries()) {
    if (!r.name) continue;
    const rating = r.rating.toLowerCase().replace(/[\s-]+/g, '_') as WatchListRating;
    if (!WATCH_LIST_RATINGS.includes(rating)) throw new Error(`Row ${i + 2}: rating "${r.rating}" is not one of very high, high, medium, low.`);
    const names: ListEntryName[] = [{ name: r.name, type: 'primary' }];
    for (const alt of (r.aliases ?? '').split(';').map((x) => x.trim()).filter(Boolean)) names.push({ name: alt, type: 'alias' });
    entries.push({
      externalId: r.id || `row-${i + 2}`,
      partyType: 'organisation',
      primaryName: r.name,
      sourceList: 'University watch list',
      countries: r.country ? [r.country.toUpperCase()] : [],
      rating,
      names,
      details: { notes: r.notes ?? '' },
    });
  }
  return { kind: 'watch_list', publishedAt: null, entries };
}

export function parseList(kind: ScreeningListKind, text: string): ParsedList {
  switch (kind) {
    case 'uk_sanctions':
      return parseUkSanctionsXml(text);
    case 'us_csl':
      return parseUsCslCsv(text);
    case 'watch_list':
      return parseWatchListCsv(text);
  }
}
