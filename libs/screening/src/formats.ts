import { XMLParser } from 'fast-xml-parser';
import * as iconv from 'iconv-lite';
import type { ListEntryName, ListIdentifier, ParsedList, ParsedListEntry, ScreeningListKind, WatchListRating } from '@app/domain';
import { WATCH_LIST_RATINGS } from '@app/domain';
import { countryCode, countryCodes } from './countries';

/**
 * Parsers for the restricted-party lists in the formats their publishers ship. Pure:
 * bytes or text in, entries out; reading files and storing rows is the importer's job.
 *
 * | kind          | formats read                                                             |
 * | uk_sanctions  | FCDO UK Sanctions List XML and CSV; OFSI ConList CSV (historic, cp1252)  |
 * | un_sc         | UN Security Council consolidated list XML                                |
 * | us_ofac       | OFAC SDN legacy CSV trio (sdn/alt/add by ent_num); OFAC advanced XML     |
 * | eu_fsf        | EU consolidated financial sanctions XML (xmlFullSanctionsList 1.1)       |
 * | us_csl        | trade.gov Consolidated Screening List CSV and JSON                       |
 * | watch_list    | the university's own CSV                                                 |
 *
 * Every entry keeps every name with its quality (primary, alias, weak_alias, former,
 * non_latin), its type, birth dates, nationalities, address countries, identifiers and
 * programmes. Tables keyed by list text are Maps or null-prototype records.
 */

/**
 * fast-xml-parser's output (and a list's JSON) as the parsers walk it: an element is its
 * children by name, each one node, an array of nodes when repeated, or text; any step may
 * be absent. The type does not say which a child is: `arr` takes one or many, `str` takes
 * text, a `#text` child or nothing, and every step is `?.`.
 */
interface Xml {
  readonly [name: string]: Xml | undefined;
}
const XML_OPTIONS = { parseTagValue: false, trimValues: true } as const;
/** One parse per format: attributes dropped, or kept under a prefix. */
const parseXml = (xml: string, options: { ignoreAttributes: boolean; attributeNamePrefix?: string; removeNSPrefix?: boolean }): Xml =>
  new XMLParser({ ...XML_OPTIONS, ...options }).parse(xml) as Xml;
const arr = (v: Xml | readonly Xml[] | undefined | null): Xml[] =>
  v === undefined || v === null ? [] : Array.isArray(v) ? [...(v as readonly Xml[])] : [v as Xml];
const str = (v: unknown): string => {
  if (v === undefined || v === null) return '';
  if (typeof v === 'object') return str((v as Record<string, unknown>)['#text']);
  return String(v).replace(/\s+/g, ' ').trim();
};
const uniq = <T>(xs: Iterable<T>): T[] => [...new Set(xs)];

/** Publisher boilerplate that is not part of anyone's name. */
const BOILERPLATE = [
  /[;,]?\s*(?:and|including)\s+(?:any|all|its)\s+(?:successors?|sub-?units?|subsidiar(?:y|ies))\b.*$/i,
  /[;,]?\s*(?:and\s+)?any\s+successor,?\s+sub-unit,?\s+or\s+subsidiary\s+thereof\.?$/i,
  /\s*\(?(?:a\.k\.a\.|f\.k\.a\.|n\.k\.a\.)\s*$/i,
];
export function cleanName(raw: string): string {
  let s = raw.replace(/\s+/g, ' ').trim();
  for (const re of BOILERPLATE) s = s.replace(re, '').trim();
  return s.replace(/^[;,.\s]+|[;,\s]+$/g, '');
}

/** Builds an entry's name list: cleaned, de-duplicated, a parenthesised part also dropped as a variation. */
class Names {
  readonly list: ListEntryName[] = [];
  private readonly seen = new Set<string>();
  add(raw: string, type: string): void {
    const name = cleanName(raw);
    if (!name || /^-0-$/.test(name)) return;
    const key = name.toLowerCase();
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.list.push({ name, type });
    // "BUTEMBO AIRLINES (BAL)": the bare name is what people write.
    const bare = name.replace(/\s*\([^)]*\)\s*/g, ' ').trim();
    if (bare && bare !== name && !this.seen.has(bare.toLowerCase())) {
      this.seen.add(bare.toLowerCase());
      this.list.push({ name: bare, type: type === 'primary' ? 'primary_variation' : type });
    }
  }
}

/** Dates as lists write them, to ISO prefixes: "00/00/1981" → "1981", "10 Dec 1948" → "1948-12-10". */
const MONTHS = new Map(['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'].map((m, i) => [m, String(i + 1).padStart(2, '0')]));
export function isoDate(raw: string): string | null {
  const s = raw.trim();
  let m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(s);
  if (m) return [m[1], m[2] !== '00' ? m[2] : undefined, m[3] !== '00' ? m[3] : undefined].filter(Boolean).join('-');
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(s);
  if (m) {
    const [, d, mo, y] = m;
    if (mo === '00' || mo === '0') return y;
    if (d === '00' || d === '0') return `${y}-${mo.padStart(2, '0')}`;
    return `${y}-${mo.padStart(2, '0')}-${d.padStart(2, '0')}`;
  }
  m = /^(?:(?:circa|approximately|c\.)\s+)?(?:(\d{1,2})\s+)?([A-Za-z]{3})[a-z]*\.?\s+(\d{4})$/i.exec(s);
  if (m && MONTHS.has(m[2].toLowerCase())) return [m[3], MONTHS.get(m[2].toLowerCase()), m[1]?.padStart(2, '0')].filter(Boolean).join('-');
  m = /^(?:circa|approximately|c\.)?\s*(\d{4})$/i.exec(s);
  if (m) return m[1];
  return null;
}

/** "1960 to 1962" and "1960-1962" as every year between. */
function yearRange(from: string, to: string): string[] {
  const a = Number(from);
  const b = Number(to);
  if (!a || !b || b < a || b - a > 20) return [from, to].filter(Boolean);
  return Array.from({ length: b - a + 1 }, (_, i) => String(a + i));
}

function entry(
  e: Omit<ParsedListEntry, 'countries' | 'rating' | 'details'> & { rating?: WatchListRating | null; details?: Record<string, unknown> },
): ParsedListEntry {
  const nationalities = uniq(e.nationalities ?? []);
  const addressCountries = uniq(e.addressCountries ?? []);
  return {
    ...e,
    rating: e.rating ?? null,
    birthDates: uniq(e.birthDates ?? []),
    nationalities,
    addressCountries,
    identifiers: e.identifiers ?? [],
    programmes: uniq((e.programmes ?? []).filter(Boolean)),
    countries: uniq([...nationalities, ...addressCountries]),
    details: e.details ?? {},
  };
}

// ---------------------------------------------------------------------------------
// CSV

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

type Rec = Record<string, string>;
/** Rows as null-prototype records: a column named after an Object.prototype key reads as data. */
function records(header: string[], rows: string[][]): Rec[] {
  const cols = header.map((h) => h.trim());
  return rows.map((r) => {
    const o = Object.create(null) as Rec;
    cols.forEach((c, i) => (o[c] = (r[i] ?? '').trim()));
    return o;
  });
}

function csvRecords(text: string, required: string[]): Rec[] {
  const [header, ...rows] = parseCsv(text);
  if (!header) throw new Error('The file is empty.');
  const cols = header.map((h) => h.trim());
  const missing = required.filter((r) => !cols.includes(r));
  if (missing.length) throw new Error(`The CSV header lacks ${missing.join(', ')}; found ${cols.join(', ')}.`);
  return records(cols, rows);
}

/** Text of a file: UTF-8 unless it is not valid UTF-8, then Windows-1252 (OFSI's historic files). */
export function decodeText(bytes: Buffer): string {
  const utf8 = bytes.toString('utf8');
  if (!utf8.includes('\uFFFD')) return utf8.replace(/^\uFEFF/, '');
  return iconv.decode(bytes, 'win1252');
}

// ---------------------------------------------------------------------------------
// UK: FCDO UK Sanctions List (XML, CSV) and OFSI ConList (CSV)

const ukPartyType = (t: string): ParsedListEntry['partyType'] => {
  const s = t.toLowerCase();
  return s.startsWith('individual') ? 'individual' : s.startsWith('entity') ? 'organisation' : s.startsWith('ship') || s === 'vessel' ? 'vessel' : 'unknown';
};
const ukNameType = (nameType: string, strength: string): string => {
  const nt = nameType.toLowerCase();
  if (nt.startsWith('primary name variation')) return 'primary_variation';
  if (nt.startsWith('primary') || nt === 'prime alias') return 'primary';
  if (nt === 'fka') return 'former';
  return /weak|low/i.test(strength) ? 'weak_alias' : 'alias';
};

/**
 * FCDO UK Sanctions List, XML export (`UK_Sanctions_List.xml`): <Designations> of
 * <Designation> with <UniqueID>, <RegimeName>, <IndividualEntityShip>, <Names><Name>
 * (Name1..Name6, NameType, AliasStrength), <NonLatinNames>, <Addresses>,
 * <IndividualDetails> (DOBs, Nationalities, passports, national identifiers),
 * <EntityDetails> (business registration numbers), <ShipDetails> (IMO numbers).
 */
export function parseUkSanctionsXml(xml: string): ParsedList {
  const doc = parseXml(xml, { ignoreAttributes: true });
  const root = doc.Designations ?? doc.designations;
  if (!root) throw new Error('Not a UK Sanctions List XML file: no <Designations> root element.');
  const entries: ParsedListEntry[] = [];
  for (const d of arr(root.Designation)) {
    const id = str(d.UniqueID);
    if (!id) continue;
    const names = new Names();
    const ordered = arr(d.Names?.Name).sort(
      (a, b) => Number(ukNameType(str(b.NameType), '') === 'primary') - Number(ukNameType(str(a.NameType), '') === 'primary'),
    );
    for (const n of ordered) {
      const full =
        str(n.Name) ||
        [1, 2, 3, 4, 5, 6]
          .map((i) => str(n[`Name${i}`]))
          .filter(Boolean)
          .join(' ');
      names.add(full, ukNameType(str(n.NameType), str(n.AliasStrength)));
    }
    for (const n of arr(d.NonLatinNames?.NonLatinName)) names.add(str(n.NameNonLatinScript), 'non_latin');
    if (!names.list.length) continue;
    const nationalities: string[] = [];
    const birthDates: string[] = [];
    const identifiers: ListIdentifier[] = [];
    for (const ind of arr(d.IndividualDetails?.Individual)) {
      for (const nat of arr(ind.Nationalities?.Nationality)) nationalities.push(...countryCodes(str(nat)).codes);
      for (const dob of arr(ind.DOBs?.DOB)) {
        const iso = isoDate(str(dob));
        if (iso) birthDates.push(iso);
      }
      for (const p of arr(ind.PassportDetails?.PassportDetail)) if (str(p.PassportNumber)) identifiers.push({ type: 'passport', value: str(p.PassportNumber) });
      for (const p of arr(ind.NationalIdentifierDetails?.NationalIdentifier))
        if (str(p.NationalIdentifierNumber)) identifiers.push({ type: 'national_id', value: str(p.NationalIdentifierNumber) });
    }
    for (const ent of arr(d.EntityDetails?.Entity ?? d.EntityDetails)) {
      for (const r of arr(ent?.BusinessRegistrationNumbers?.BusinessRegistrationNumber)) if (str(r)) identifiers.push({ type: 'registration', value: str(r) });
    }
    for (const ship of arr(d.ShipDetails?.Ship ?? d.ShipDetails)) {
      for (const imo of arr(ship?.IMONumbers?.IMONumber)) if (str(imo)) identifiers.push({ type: 'imo', value: str(imo).replace(/^IMO\s*/i, '') });
    }
    const addressCountries = arr(d.Addresses?.Address).flatMap((a) => countryCodes(str(a.AddressCountry)).codes);
    entries.push(
      entry({
        externalId: id,
        partyType: ukPartyType(str(d.IndividualEntityShip)),
        primaryName: names.list[0].name,
        sourceList: `UK Sanctions List: ${str(d.RegimeName) || 'unknown regime'}`,
        names: names.list,
        nationalities,
        addressCountries,
        birthDates,
        identifiers,
        programmes: [str(d.RegimeName)],
        details: {
          regime: str(d.RegimeName),
          sanctionsImposed: str(d.SanctionsImposed),
          designationSource: str(d.DesignationSource),
          dateDesignated: str(d.DateDesignated),
        },
      }),
    );
  }
  return { kind: 'uk_sanctions', publishedAt: str(root.DateGenerated) || null, entries };
}

/** Collects the rows of one party (OFSI Group ID, FCDO Unique ID) in file order. */
function groupRows(rows: Rec[], key: string): Map<string, Rec[]> {
  const groups = new Map<string, Rec[]>();
  for (const r of rows) {
    const id = r[key];
    if (!id) continue;
    const g = groups.get(id);
    if (g) g.push(r);
    else groups.set(id, [r]);
  }
  return groups;
}

/** "Passport No: 592667 (Qatari passport issued…)" → identifier with the first number-like token. */
function identifierFrom(type: string, text: string): ListIdentifier[] {
  const out: ListIdentifier[] = [];
  for (const part of text.split(/\s*(?:\d\)\s+|;\s*)/)) {
    const m = /([A-Z]{0,3}[ -]?\d[\dA-Z -]{3,}\d|[A-Z]{1,3}\d{4,})/i.exec(part.replace(/^(?:passport|no|number|id|nic|national)[^:]*:\s*/i, ''));
    if (m) out.push({ type, value: m[1].replace(/\s+/g, '') });
  }
  return out;
}

/** OFSI ConList columns (December 2018 layout), for files whose header lines were removed. */
const CONLIST_COLUMNS = [
  'Name 6',
  'Name 1',
  'Name 2',
  'Name 3',
  'Name 4',
  'Name 5',
  'Title',
  'DOB',
  'Town of Birth',
  'Country of Birth',
  'Nationality',
  'Passport Details',
  'NI Number',
  'Position',
  'Address 1',
  'Address 2',
  'Address 3',
  'Address 4',
  'Address 5',
  'Address 6',
  'Post/Zip Code',
  'Country',
  'Other Information',
  'Group Type',
  'Alias Type',
  'Regime',
  'Listed On',
  'Last Updated',
  'Group ID',
];

/**
 * OFSI Consolidated List of Financial Sanctions Targets, CSV (`ConList.csv`, historic;
 * Windows-1252): one row per name, grouped by Group ID; Name 6 is the surname; Alias
 * Type is "Prime Alias", "AKA" or "FKA" (later files add "Alias Quality"). Two report
 * lines may precede the header; a file without any header is read in the 2018 layout.
 */
export function parseOfsiConListCsv(text: string): ParsedList {
  const rows = parseCsv(text);
  const h = rows.findIndex((r) => r[0]?.trim() === 'Name 6');
  const header = h >= 0 ? rows[h].map((c) => c.trim()) : CONLIST_COLUMNS;
  const body = h >= 0 ? rows.slice(h + 1) : rows.filter((r) => r.length >= CONLIST_COLUMNS.length - 1 && !/^last updated/i.test(r[0]));
  const published =
    h > 0
      ? (rows
          .slice(0, h)
          .flat()
          .find((c) => /\d{2}\/\d{2}\/\d{4}/.test(c)) ?? null)
      : null;
  const entries: ParsedListEntry[] = [];
  for (const [groupId, group] of groupRows(records(header, body), 'Group ID')) {
    const names = new Names();
    const ordered = [...group].sort((a, b) => Number(/prim/i.test(b['Alias Type'])) - Number(/prim/i.test(a['Alias Type'])));
    for (const r of ordered) {
      const full = ['Name 1', 'Name 2', 'Name 3', 'Name 4', 'Name 5', 'Name 6']
        .map((c) => r[c])
        .filter(Boolean)
        .join(' ');
      names.add(full, ukNameType(r['Alias Type'], r['Alias Quality'] ?? ''));
    }
    if (!names.list.length) continue;
    const first = group[0];
    const birthDates = uniq(group.map((r) => isoDate(r.DOB ?? '')).filter((x): x is string => !!x));
    const nationalities = group.flatMap((r) => countryCodes(r.Nationality).codes);
    const addressCountries = group.flatMap((r) => countryCodes(r.Country).codes);
    const identifiers = uniq(group.flatMap((r) => [r['Passport Details'], r['NI Number']]))
      .filter(Boolean)
      .flatMap((t) => identifierFrom(/ni|national/i.test(t) ? 'national_id' : 'passport', t));
    // Ships were listed as entities, their IMO number in Other Information.
    const imo = /\bIMO:?\s*(\d{7})\b/.exec(first['Other Information'] ?? '')?.[1];
    if (imo) identifiers.push({ type: 'imo', value: imo });
    entries.push(
      entry({
        externalId: groupId,
        partyType: imo ? 'vessel' : ukPartyType(first['Group Type']),
        primaryName: names.list[0].name,
        sourceList: `UK Sanctions List: ${first.Regime || 'unknown regime'}`,
        names: names.list,
        birthDates,
        nationalities,
        addressCountries,
        identifiers: uniqueIdentifiers(identifiers),
        programmes: group.map((r) => r.Regime),
        details: { regime: first.Regime, listedOn: first['Listed On'], lastUpdated: first['Last Updated'], format: 'ofsi_conlist_csv' },
      }),
    );
  }
  return { kind: 'uk_sanctions', publishedAt: published, entries };
}

function uniqueIdentifiers(ids: ListIdentifier[]): ListIdentifier[] {
  const seen = new Set<string>();
  return ids.filter((i) => {
    const k = `${i.type}:${i.value}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * FCDO UK Sanctions List, CSV export (`UK_Sanctions_List.csv`): a "Report Date" line,
 * then one row per name with Unique ID, Name 1..6, Name type, Alias strength, Name
 * non-latin script, Regime Name, Designation Type, Address Country, D.O.B,
 * Nationality(/ies), Passport number, National Identifier number, Business
 * registration number (s), IMO number.
 */
export function parseUkSanctionsCsv(text: string): ParsedList {
  const rows = parseCsv(text);
  const h = rows.findIndex((r) => r.some((c) => c.trim() === 'Unique ID'));
  if (h < 0) throw new Error('Not a UK Sanctions List CSV file: no header row with "Unique ID".');
  const published =
    rows
      .slice(0, h)
      .flat()
      .find((c) => /\d{2}\/\d{2}\/\d{4}/.test(c))
      ?.replace(/^.*?(\d{2}\/\d{2}\/\d{4}).*$/, '$1') ?? null;
  const col = (r: Rec, ...names: string[]) => names.map((n) => r[n]).find((v) => v !== undefined && v !== '') ?? '';
  const entries: ParsedListEntry[] = [];
  for (const [id, group] of groupRows(records(rows[h], rows.slice(h + 1)), 'Unique ID')) {
    const names = new Names();
    const ordered = [...group].sort((a, b) => Number(/^primary name$/i.test(col(b, 'Name type'))) - Number(/^primary name$/i.test(col(a, 'Name type'))));
    for (const r of ordered) {
      names.add(
        ['Name 1', 'Name 2', 'Name 3', 'Name 4', 'Name 5', 'Name 6']
          .map((c) => r[c])
          .filter(Boolean)
          .join(' '),
        ukNameType(col(r, 'Name type'), col(r, 'Alias strength')),
      );
      names.add(col(r, 'Name non-latin script'), 'non_latin');
    }
    if (!names.list.length) continue;
    const first = group[0];
    const identifiers: ListIdentifier[] = [];
    for (const r of group) {
      for (const [c, type] of [
        ['Passport number', 'passport'],
        ['National Identifier number', 'national_id'],
        ['Business registration number (s)', 'registration'],
        ['IMO number', 'imo'],
      ] as const) {
        for (const v of (r[c] ?? '').split(/\s*[;|]\s*/).filter(Boolean)) identifiers.push({ type, value: v.replace(/^IMO\s*/i, '') });
      }
    }
    entries.push(
      entry({
        externalId: id,
        partyType: ukPartyType(col(first, 'Designation Type', 'Individual, Entity, Ship')),
        primaryName: names.list[0].name,
        sourceList: `UK Sanctions List: ${col(first, 'Regime Name', 'Regime') || 'unknown regime'}`,
        names: names.list,
        birthDates: group
          .flatMap((r) => col(r, 'D.O.B', 'DOB').split(/\s*[;|]\s*/))
          .map(isoDate)
          .filter((x): x is string => !!x),
        nationalities: group.flatMap((r) => countryCodes(col(r, 'Nationality(/ies)', 'Nationality')).codes),
        addressCountries: group.flatMap((r) => countryCodes(col(r, 'Address Country', 'Country')).codes),
        identifiers: uniqueIdentifiers(identifiers),
        programmes: [col(first, 'Regime Name', 'Regime')],
        details: {
          regime: col(first, 'Regime Name', 'Regime'),
          sanctionsImposed: col(first, 'Sanctions Imposed'),
          dateDesignated: col(first, 'Date Designated'),
          format: 'fcdo_csv',
        },
      }),
    );
  }
  return { kind: 'uk_sanctions', publishedAt: published, entries };
}

// ---------------------------------------------------------------------------------
// UN Security Council consolidated list (XML)

const unQuality = (q: string): string => {
  const s = q.toLowerCase();
  return s === 'low' ? 'weak_alias' : s.startsWith('f.k.a') ? 'former' : 'alias';
};

/**
 * UN SC consolidated list (`consolidated.xml`, schema sc-sanctions.xsd):
 * <CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL> with FIRST_NAME..FOURTH_NAME,
 * NAME_ORIGINAL_SCRIPT, INDIVIDUAL_ALIAS (QUALITY Good / Low / a.k.a. / f.k.a.),
 * NATIONALITY/VALUE, INDIVIDUAL_ADDRESS/COUNTRY, INDIVIDUAL_DATE_OF_BIRTH (DATE, YEAR,
 * FROM_YEAR..TO_YEAR), INDIVIDUAL_DOCUMENT; <ENTITIES><ENTITY> likewise.
 */
export function parseUnScXml(xml: string): ParsedList {
  const doc = parseXml(xml, { ignoreAttributes: false, attributeNamePrefix: '@' });
  const root = doc.CONSOLIDATED_LIST;
  if (!root) throw new Error('Not a UN Security Council consolidated list: no <CONSOLIDATED_LIST> root element.');
  const entries: ParsedListEntry[] = [];
  const read = (x: Xml, person: boolean) => {
    const names = new Names();
    const primary = ['FIRST_NAME', 'SECOND_NAME', 'THIRD_NAME', 'FOURTH_NAME']
      .map((k) => str(x[k]))
      .filter(Boolean)
      .join(' ');
    // "COMPAGNIE AERIENNE DES GRANDS LACS (CAGL) ; GREAT LAKES BUSINESS COMPANY (GLBC)": two names of one body.
    primary.split(/\s+;\s+/).forEach((n, i) => names.add(n, i === 0 ? 'primary' : 'alias'));
    for (const a of arr(x[person ? 'INDIVIDUAL_ALIAS' : 'ENTITY_ALIAS'])) names.add(str(a.ALIAS_NAME), unQuality(str(a.QUALITY)));
    names.add(str(x.NAME_ORIGINAL_SCRIPT), 'non_latin');
    if (!names.list.length) return;
    const birthDates: string[] = [];
    for (const d of arr(x.INDIVIDUAL_DATE_OF_BIRTH)) {
      const iso = isoDate(str(d.DATE)) ?? isoDate(str(d.YEAR));
      if (iso) birthDates.push(iso);
      if (str(d.FROM_YEAR)) birthDates.push(...yearRange(str(d.FROM_YEAR), str(d.TO_YEAR)));
    }
    const identifiers: ListIdentifier[] = arr(x.INDIVIDUAL_DOCUMENT)
      .filter((d) => str(d.NUMBER))
      .map((d) => ({
        type: /passport/i.test(str(d.TYPE_OF_DOCUMENT))
          ? 'passport'
          : /national/i.test(str(d.TYPE_OF_DOCUMENT))
            ? 'national_id'
            : str(d.TYPE_OF_DOCUMENT).toLowerCase() || 'document',
        value: str(d.NUMBER),
        country: countryCode(str(d.ISSUING_COUNTRY) || str(d.COUNTRY_OF_ISSUE)),
      }));
    const programme = str(x.UN_LIST_TYPE);
    entries.push(
      entry({
        externalId: str(x.REFERENCE_NUMBER) || str(x.DATAID),
        partyType: person ? 'individual' : 'organisation',
        primaryName: names.list[0].name,
        sourceList: `UN Security Council: ${programme || 'consolidated list'}`,
        names: names.list,
        birthDates,
        identifiers,
        nationalities: arr(x.NATIONALITY?.VALUE).flatMap((v) => countryCodes(str(v)).codes),
        addressCountries: arr(x[person ? 'INDIVIDUAL_ADDRESS' : 'ENTITY_ADDRESS']).flatMap((a) => countryCodes(str(a?.COUNTRY)).codes),
        programmes: [programme],
        details: { dataId: str(x.DATAID), listedOn: str(x.LISTED_ON), referenceNumber: str(x.REFERENCE_NUMBER) },
      }),
    );
  };
  for (const i of arr(root.INDIVIDUALS?.INDIVIDUAL)) read(i, true);
  for (const e of arr(root.ENTITIES?.ENTITY)) read(e, false);
  return { kind: 'un_sc', publishedAt: str(root['@dateGenerated']) || null, entries };
}

// ---------------------------------------------------------------------------------
// OFAC SDN: legacy CSV trio and advanced XML

const nul = (s: string | undefined): string => (s === undefined || s.trim() === '-0-' ? '' : s.trim());

/** What OFAC's Remarks field says about a party: DOBs, nationality, documents, weak a.k.a.s. */
function sdnRemarks(remarks: string): { birthDates: string[]; nationalities: string[]; identifiers: ListIdentifier[]; weakAliases: string[] } {
  const out = { birthDates: [] as string[], nationalities: [] as string[], identifiers: [] as ListIdentifier[], weakAliases: [] as string[] };
  for (const raw of remarks.split(/;\s*/)) {
    const part = raw
      .replace(/^alt\.\s+/i, '')
      .trim()
      .replace(/\.$/, '');
    let m = /^DOB\s+(.+)$/i.exec(part);
    if (m) {
      const r = /^(?:circa\s+)?(\d{4})\s+to\s+(\d{4})$/i.exec(m[1]);
      if (r) out.birthDates.push(...yearRange(r[1], r[2]));
      else {
        const d = isoDate(m[1].replace(/^circa\s+/i, ''));
        if (d) out.birthDates.push(d);
      }
      continue;
    }
    m = /^(?:nationality|citizen)\s+(.+)$/i.exec(part);
    if (m) {
      out.nationalities.push(...countryCodes(m[1]).codes);
      continue;
    }
    m =
      /^(Passport|National ID No\.|Cedula No\.|NIT #|RFC|C\.U\.R\.P\.|Registration ID|Tax ID No\.|Vessel Registration Identification|SSN|D\.N\.I\.)\s+(?:IMO\s+)?([A-Z0-9][A-Z0-9 -]*[A-Z0-9]|\d)\s*(?:\(([^)]+)\))?/i.exec(
        part,
      );
    if (m) {
      const type = /passport/i.test(m[1]) ? 'passport' : /vessel/i.test(m[1]) ? 'imo' : /registration|tax|nit|rfc/i.test(m[1]) ? 'registration' : 'national_id';
      out.identifiers.push({ type, value: m[2].replace(/\s+/g, ''), country: m[3] ? countryCode(m[3]) : null });
      continue;
    }
    for (const w of part.matchAll(/a\.k\.a\.\s+'([^']+)'/gi)) out.weakAliases.push(w[1]);
  }
  return out;
}

/** "ABBAS, Abu" → "Abu ABBAS": OFAC writes individuals surname first, separated by a comma. */
const sdnPersonName = (n: string): string => (/^[^,]+,\s*[^,]+$/.test(n) ? n.replace(/^([^,]+),\s*(.+)$/, '$2 $1') : n);

/**
 * OFAC SDN legacy CSV (`sdn.csv`, `alt.csv`, `add.csv`; no header; "-0-" for empty),
 * joined by ent_num. sdn: ent_num, name, type, programs ("SDGT] [SDT"), title,
 * call sign, vessel type, tonnage, GRT, flag, owner, remarks. alt: ent_num, alt_num,
 * alt_type (aka/fka/nka), alt_name, remarks. add: ent_num, add_num, address, city,
 * country, remarks.
 */
export function parseOfacSdnCsv(files: { sdn: string; alt?: string; add?: string }): ParsedList {
  const alts = new Map<string, string[][]>();
  for (const r of parseCsv(files.alt ?? '')) (alts.get(r[0].trim()) ?? alts.set(r[0].trim(), []).get(r[0].trim())!).push(r);
  const adds = new Map<string, string[][]>();
  for (const r of parseCsv(files.add ?? '')) (adds.get(r[0].trim()) ?? adds.set(r[0].trim(), []).get(r[0].trim())!).push(r);
  const entries: ParsedListEntry[] = [];
  for (const r of parseCsv(files.sdn)) {
    const id = r[0]?.trim();
    if (!id || !/^\d+$/.test(id)) continue;
    const type = nul(r[2]).toLowerCase();
    const person = type === 'individual';
    const partyType = person ? 'individual' : type === 'vessel' ? 'vessel' : type === 'aircraft' ? 'unknown' : 'organisation';
    const names = new Names();
    const rename = (n: string) => (person ? sdnPersonName(n) : n);
    names.add(rename(nul(r[1])), 'primary');
    const remarks = sdnRemarks(nul(r[11]));
    for (const a of alts.get(id) ?? [])
      names.add(rename(nul(a[3])), nul(a[2]).toLowerCase() === 'fka' ? 'former' : /weak/i.test(nul(a[4])) ? 'weak_alias' : 'alias');
    for (const w of remarks.weakAliases) names.add(w, 'weak_alias');
    if (!names.list.length) continue;
    const identifiers = [...remarks.identifiers];
    if (partyType === 'vessel' && nul(r[5])) identifiers.push({ type: 'call_sign', value: nul(r[5]) });
    entries.push(
      entry({
        externalId: id,
        partyType,
        primaryName: names.list[0].name,
        sourceList: 'OFAC Specially Designated Nationals (SDN) List',
        names: names.list,
        birthDates: remarks.birthDates,
        nationalities: remarks.nationalities,
        identifiers,
        addressCountries: (adds.get(id) ?? []).flatMap((a) => countryCodes(nul(a[4])).codes),
        programmes: nul(r[3])
          .split(/\]\s*\[/)
          .map((p) => p.replace(/[[\]]/g, '').trim()),
        details: { title: nul(r[4]), vesselFlag: nul(r[9]), remarks: nul(r[11]).slice(0, 2000) },
      }),
    );
  }
  return { kind: 'us_ofac', publishedAt: null, entries };
}

/**
 * OFAC advanced XML (`sdn_advanced.xml`, schema ENHANCED_XML / SDN_ADVANCED): reference
 * value sets (party subtypes, alias types, feature types, countries, document types),
 * <DistinctParties><DistinctParty><Profile> with <Identity><Alias Primary LowQuality>
 * <DocumentedName><DocumentedNamePart><NamePartValue>, <Feature FeatureTypeID> (birth
 * date: DatePeriod; nationality/citizenship/location: VersionDetail or
 * VersionLocation), <IDRegDocuments>, and <SanctionsEntries> naming the programmes.
 */
export function parseOfacAdvancedXml(xml: string): ParsedList {
  const doc = parseXml(xml, { ignoreAttributes: false, attributeNamePrefix: '@', removeNSPrefix: true });
  const root = doc.Sanctions;
  if (!root) throw new Error('Not an OFAC advanced XML file: no <Sanctions> root element.');
  const rv = root.ReferenceValueSets ?? {};
  const values = (set: string, item: string) => new Map<string, string>(arr(rv[set]?.[item]).map((v) => [str(v['@ID']), str(v)]));
  const subtypes = new Map<string, Xml>(arr(rv.PartySubTypeValues?.PartySubType).map((v) => [str(v['@ID']), v]));
  const partyTypes = values('PartyTypeValues', 'PartyType');
  const features = values('FeatureTypeValues', 'FeatureType');
  const countries = values('CountryValues', 'Country');
  const details = values('DetailReferenceValues', 'DetailReference');
  const docTypes = values('IDRegDocTypeValues', 'IDRegDocType');
  const locations = new Map<string, string>();
  for (const l of arr(root.Locations?.Location)) {
    const c = arr(l.LocationCountry)[0];
    if (c) locations.set(str(l['@ID']), countries.get(str(c['@CountryID'])) ?? '');
  }
  const docsByProfile = new Map<string, ListIdentifier[]>();
  for (const d of arr(root.IDRegDocuments?.IDRegDocument)) {
    const pid = str(d['@IdentityID']);
    const list = docsByProfile.get(pid) ?? docsByProfile.set(pid, []).get(pid)!;
    const t = (docTypes.get(str(d['@IDRegDocTypeID'])) ?? 'document').toLowerCase();
    list.push({
      type: /passport/.test(t) ? 'passport' : /imo|vessel/.test(t) ? 'imo' : /registration|tax/.test(t) ? 'registration' : t,
      value: str(d.IDRegistrationNo),
      country: countries.get(str(d['@IssuedBy-CountryID'])) ? countryCode(countries.get(str(d['@IssuedBy-CountryID']))!) : null,
    });
  }
  const programmes = new Map<string, string[]>();
  for (const s of arr(root.SanctionsEntries?.SanctionsEntry)) {
    programmes.set(
      str(s['@ProfileID']),
      arr(s.SanctionsMeasure)
        .map((m) => str(m.Comment))
        .filter(Boolean),
    );
  }
  const entries: ParsedListEntry[] = [];
  for (const party of arr(root.DistinctParties?.DistinctParty)) {
    for (const p of arr(party.Profile)) {
      const sub = subtypes.get(str(p['@PartySubTypeID']));
      const ptype = (partyTypes.get(str(sub?.['@PartyTypeID'])) ?? str(sub)).toLowerCase();
      const partyType = ptype.includes('individual')
        ? 'individual'
        : ptype.includes('vessel')
          ? 'vessel'
          : ptype.includes('entity')
            ? 'organisation'
            : 'unknown';
      const names = new Names();
      for (const identity of arr(p.Identity)) {
        const aliases = arr(identity.Alias).sort((a, b) => Number(str(b['@Primary']) === 'true') - Number(str(a['@Primary']) === 'true'));
        for (const a of aliases) {
          for (const dn of arr(a.DocumentedName)) {
            const parts = arr(dn.DocumentedNamePart)
              .map((x) => str(x.NamePartValue))
              .filter(Boolean);
            const script = arr(dn.DocumentedNamePart)
              .map((x) => str(x.NamePartValue?.['@ScriptID']))
              .find(Boolean);
            const type =
              str(a['@Primary']) === 'true' ? 'primary' : str(a['@LowQuality']) === 'true' ? 'weak_alias' : script && script !== '215' ? 'non_latin' : 'alias';
            names.add(parts.join(' '), type);
          }
        }
      }
      if (!names.list.length) continue;
      const birthDates: string[] = [];
      const nationalities: string[] = [];
      const addressCountries: string[] = [];
      for (const f of arr(p.Feature)) {
        const ft = (features.get(str(f['@FeatureTypeID'])) ?? '').toLowerCase();
        for (const v of arr(f.FeatureVersion)) {
          if (ft.includes('birth') && ft.includes('date')) {
            for (const dp of arr(v.DatePeriod)) {
              const from = dp.Start?.From ?? dp.Start;
              const y = str(from?.Year);
              if (y) birthDates.push([y, str(from?.Month).padStart(2, '0'), str(from?.Day).padStart(2, '0')].filter((x) => x && x !== '00').join('-'));
            }
          }
          const country = [
            ...arr(v.VersionDetail).map((d) => details.get(str(d['@DetailReferenceID'])) ?? str(d)),
            ...arr(v.VersionLocation).map((l) => locations.get(str(l['@LocationID'])) ?? ''),
          ].flatMap((c) => countryCodes(c).codes);
          if (ft.includes('nationality') || ft.includes('citizenship')) nationalities.push(...country);
          else if (ft === 'location' || ft.includes('address')) addressCountries.push(...country);
        }
      }
      const identityIds = arr(p.Identity).map((i) => str(i['@ID']));
      entries.push(
        entry({
          externalId: str(p['@ID']) || str(party['@FixedRef']),
          partyType,
          primaryName: names.list[0].name,
          sourceList: 'OFAC Specially Designated Nationals (SDN) List',
          names: names.list,
          birthDates,
          nationalities,
          addressCountries,
          identifiers: identityIds.flatMap((id) => docsByProfile.get(id) ?? []).filter((i) => i.value),
          programmes: programmes.get(str(p['@ID'])) ?? [],
          details: { format: 'ofac_advanced_xml' },
        }),
      );
    }
  }
  const date = root.DateOfIssue;
  return { kind: 'us_ofac', publishedAt: date ? [str(date.Year), str(date.Month).padStart(2, '0'), str(date.Day).padStart(2, '0')].join('-') : null, entries };
}

// ---------------------------------------------------------------------------------
// EU consolidated financial sanctions list (XML, xmlFullSanctionsList_1_1)

/**
 * EU Financial Sanctions Files, full XML (`xmlFullSanctionsList_1_1`): <export
 * generationDate> of <sanctionEntity logicalId unitedNationId> with <regulation
 * programme>, <subjectType classificationCode="person|enterprise">, <nameAlias
 * wholeName firstName middleName lastName strong>, <citizenship countryIso2Code>,
 * <birthdate birthdate year>, <address countryIso2Code countryDescription>,
 * <identification identificationTypeCode number countryIso2Code>.
 */
export function parseEuFsfXml(xml: string): ParsedList {
  const doc = parseXml(xml, { ignoreAttributes: false, attributeNamePrefix: '', removeNSPrefix: true });
  const root = doc.export;
  if (!root) throw new Error('Not an EU financial sanctions XML file: no <export> root element.');
  const iso = (c: Xml | undefined) =>
    str(c?.countryIso2Code) && str(c?.countryIso2Code) !== '00' ? countryCode(str(c?.countryIso2Code)) : countryCode(str(c?.countryDescription));
  const entries: ParsedListEntry[] = [];
  for (const e of arr(root.sanctionEntity)) {
    const names = new Names();
    for (const n of arr(e.nameAlias)) {
      const whole = str(n.wholeName) || [n.firstName, n.middleName, n.lastName].map(str).filter(Boolean).join(' ');
      const nonLatin = /[^\u0000-\u024F\s]/.test(whole);
      names.add(whole, nonLatin ? 'non_latin' : str(n.strong) === 'false' ? 'weak_alias' : names.list.length ? 'alias' : 'primary');
    }
    if (!names.list.length) continue;
    const code = str(e.subjectType?.classificationCode).toLowerCase();
    entries.push(
      entry({
        externalId: str(e.logicalId) || str(e.euReferenceNumber),
        partyType: code.startsWith('p') ? 'individual' : code.startsWith('e') ? 'organisation' : 'unknown',
        primaryName: names.list[0].name,
        sourceList: `EU financial sanctions: ${str(arr(e.regulation)[0]?.programme) || 'consolidated list'}`,
        names: names.list,
        birthDates: arr(e.birthdate)
          .map((b) => isoDate(str(b.birthdate)) ?? isoDate(str(b.year)))
          .filter((x): x is string => !!x),
        nationalities: arr(e.citizenship)
          .map(iso)
          .filter((x): x is string => !!x),
        addressCountries: arr(e.address)
          .map(iso)
          .filter((x): x is string => !!x),
        identifiers: arr(e.identification)
          .filter((i) => str(i.number))
          .map((i) => ({
            type: /passport/i.test(str(i.identificationTypeCode))
              ? 'passport'
              : /id/i.test(str(i.identificationTypeCode))
                ? 'national_id'
                : str(i.identificationTypeCode) || 'document',
            value: str(i.number),
            country: iso(i),
          })),
        programmes: arr(e.regulation).map((r) => str(r.programme)),
        details: { unitedNationId: str(e.unitedNationId), euReferenceNumber: str(e.euReferenceNumber), format: 'eu_fsf_xml' },
      }),
    );
  }
  return { kind: 'eu_fsf', publishedAt: str(root.generationDate) || null, entries };
}

// ---------------------------------------------------------------------------------
// US Consolidated Screening List (trade.gov CSV and JSON)

/** Words that only bodies carry; a name with none of them and 2–5 words is taken for a person. */
const ORG_WORDS =
  /\b(ltd|limited|llc|l\.l\.c|inc|corp|corporation|company|co|gmbh|ag|s\.?a|s\.?a\.?s|s\.?r\.?l|b\.?v|plc|jsc|ojsc|ooo|fze|fzco|fzc|bank|group|holdings?|industr(?:y|ies)|trading|import|export|international|institute|university|academy|center|centre|laborator(?:y|ies)|organi[sz]ation|association|ministry|department|bureau|agency|regiment|brigade|battalion|army|force|forces|front|party|movement|foundation|factory|plant|enterprises?|technolog(?:y|ies)|systems|services|electronics|shipping|airlines?|logistics|solutions|partners|establishment|committee|council|office|school|college|hospital|network|brothers|sons|&)\b|\d/i;
export function inferPartyType(name: string, hints: { hasBirthDate?: boolean; hasTitle?: boolean }): ParsedListEntry['partyType'] {
  if (ORG_WORDS.test(name)) return 'organisation';
  if (hints.hasBirthDate || hints.hasTitle) return 'individual';
  const words = name.trim().split(/\s+/).filter(Boolean);
  return words.length >= 2 && words.length <= 5 && words.every((w) => /^[\p{L}'.-]+,?$/u.test(w)) ? 'individual' : 'organisation';
}

const cslType = (t: string, name: string, hints: { hasBirthDate?: boolean; hasTitle?: boolean }): ParsedListEntry['partyType'] => {
  const s = t.toLowerCase();
  return s === 'individual'
    ? 'individual'
    : s === 'entity'
      ? 'organisation'
      : s === 'vessel'
        ? 'vessel'
        : s === 'aircraft'
          ? 'unknown'
          : inferPartyType(name, hints);
};

/** CSL `ids` cell: "US, 80-0890696, Tax ID No.; GB, 123, Passport" → identifiers. */
function cslIds(cell: string): ListIdentifier[] {
  return cell
    .split(';')
    .map((x) => x.trim())
    .filter(Boolean)
    .flatMap((x) => {
      const parts = x.split(',').map((p) => p.trim());
      if (parts.length < 2) return [];
      const [country, value, ...rest] = parts;
      const t = rest.join(' ').toLowerCase();
      return value
        ? [
            {
              type: /passport/.test(t) ? 'passport' : /imo|vessel/.test(t) ? 'imo' : /tax|registration|business/.test(t) ? 'registration' : t || 'document',
              value,
              country: countryCode(country),
            },
          ]
        : [];
    });
}

/**
 * US Consolidated Screening List, CSV download (trade.gov): one row per party with
 * `source`, `type` (blank on some lists: inferred), `name`, `alt_names` ("; "),
 * `addresses` ("; ", each ending in the ISO country code), `dates_of_birth`,
 * `nationalities`, `citizenships`, `ids`, `programs`.
 */
export function parseUsCslCsv(text: string): ParsedList {
  const entries: ParsedListEntry[] = [];
  for (const r of csvRecords(text, ['source', 'name', 'alt_names', 'addresses'])) {
    if (!r.name) continue;
    entries.push(
      cslEntry({
        id: r._id || r.entity_number,
        source: r.source,
        name: r.name,
        type: r.type ?? '',
        title: r.title ?? '',
        altNames: r.alt_names.split(';'),
        addressCountries: r.addresses.split(';').map((a) => a.split(',').pop()?.trim() ?? ''),
        birthDates: (r.dates_of_birth ?? '').split(';'),
        nationalities: [...(r.nationalities ?? '').split(/[;,]/), ...(r.citizenships ?? '').split(/[;,]/)],
        ids: cslIds(r.ids ?? ''),
        programmes: (r.programs ?? '').split(';'),
        details: { licenseRequirement: r.license_requirement ?? '', federalRegisterNotice: r.federal_register_notice ?? '', startDate: r.start_date ?? '' },
      }),
    );
  }
  return { kind: 'us_csl', publishedAt: null, entries };
}

function cslEntry(r: {
  id?: string;
  source: string;
  name: string;
  type: string;
  title: string;
  altNames: string[];
  addressCountries: string[];
  birthDates: string[];
  nationalities: string[];
  ids: ListIdentifier[];
  programmes: string[];
  details: Record<string, unknown>;
}): ParsedListEntry {
  const names = new Names();
  const birthDates = r.birthDates.map((d) => isoDate(d)).filter((x): x is string => !!x);
  const partyType = cslType(r.type, cleanName(r.name), { hasBirthDate: birthDates.length > 0, hasTitle: !!r.title });
  const rename = (n: string) => (partyType === 'individual' ? sdnPersonName(n.trim()) : n);
  names.add(rename(r.name), 'primary');
  for (const alt of r.altNames) names.add(rename(alt), 'alias');
  return entry({
    externalId: r.id || `${r.source}:${cleanName(r.name)}`,
    partyType,
    primaryName: names.list[0]?.name ?? cleanName(r.name),
    sourceList: r.source || 'US Consolidated Screening List',
    names: names.list,
    birthDates,
    nationalities: r.nationalities.flatMap((c) => countryCodes(c.trim()).codes),
    addressCountries: r.addressCountries.map((c) => countryCode(c)).filter((x): x is string => !!x),
    identifiers: r.ids,
    programmes: r.programmes.map((p) => p.trim()),
    details: r.details,
  });
}

/** trade.gov CSL JSON (`consolidated.json` / the search API): `{ results: [ { source, name, alt_names[], type, addresses[{country}], ids[{type, number, country}], dates_of_birth, nationalities[], citizenships[], programs[] } ] }`. */
export function parseUsCslJson(text: string): ParsedList {
  const doc = JSON.parse(text) as Xml | Xml[];
  const rows: Xml[] = Array.isArray(doc) ? doc : arr(doc.results);
  const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(str) : str(v).split(';'));
  const entries = rows
    .filter((r) => str(r?.name))
    .map((r) =>
      cslEntry({
        id: str(r.id) || str(r._id) || str(r.entity_number),
        source: str(r.source),
        name: str(r.name),
        type: str(r.type),
        title: str(r.title),
        altNames: list(r.alt_names),
        addressCountries: arr(r.addresses).map((a) => str(a?.country)),
        birthDates: list(r.dates_of_birth),
        nationalities: [...list(r.nationalities), ...list(r.citizenships)],
        ids: arr(r.ids)
          .map((i) => ({
            type: /passport/i.test(str(i.type)) ? 'passport' : str(i.type).toLowerCase() || 'document',
            value: str(i.number),
            country: countryCode(str(i.country)),
          }))
          .filter((i) => i.value),
        programmes: list(r.programs),
        details: { federalRegisterNotice: str(r.federal_register_notice), startDate: str(r.start_date) },
      }),
    );
  return { kind: 'us_csl', publishedAt: null, entries };
}

// ---------------------------------------------------------------------------------
// University watch list

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
    for (const alt of (r.aliases ?? '')
      .split(';')
      .map((x) => x.trim())
      .filter(Boolean))
      names.push({ name: alt, type: 'alias' });
    entries.push({
      externalId: r.id || `row-${i + 2}`,
      partyType: 'organisation',
      primaryName: r.name,
      sourceList: 'University watch list',
      countries: r.country ? [countryCode(r.country) ?? r.country.toUpperCase()] : [],
      rating,
      names,
      details: { notes: r.notes ?? '' },
    });
  }
  return { kind: 'watch_list', publishedAt: null, entries };
}

// ---------------------------------------------------------------------------------
// Format detection

export type ListFormat =
  | 'fcdo_xml'
  | 'fcdo_csv'
  | 'ofsi_conlist_csv'
  | 'un_sc_xml'
  | 'ofac_sdn_csv'
  | 'ofac_advanced_xml'
  | 'eu_fsf_xml'
  | 'us_csl_csv'
  | 'us_csl_json'
  | 'watch_list_csv';

/** Which format a file is in, from its first bytes; null when none fits the kind. */
export function detectFormat(kind: ScreeningListKind, text: string): ListFormat | null {
  const head = text.slice(0, 4000).replace(/^\uFEFF/, '');
  const xmlRoot = /<(?:[\w]+:)?(\w+)[\s>]/.exec(head.replace(/<\?xml[^>]*\?>|<!--[\s\S]*?-->/g, ''))?.[1];
  switch (kind) {
    case 'uk_sanctions':
      if (xmlRoot === 'Designations') return 'fcdo_xml';
      if (/(^|,)\s*Unique ID\s*(,|$)/m.test(head)) return 'fcdo_csv';
      if (/^\s*(Last Updated|Name 6)/m.test(head) || parseCsv(head.split(/\r?\n/)[0] ?? '')[0]?.length === CONLIST_COLUMNS.length) return 'ofsi_conlist_csv';
      return null;
    case 'un_sc':
      return xmlRoot === 'CONSOLIDATED_LIST' ? 'un_sc_xml' : null;
    case 'us_ofac':
      if (xmlRoot === 'Sanctions') return 'ofac_advanced_xml';
      return /^\s*\d+,"/.test(head) ? 'ofac_sdn_csv' : null;
    case 'eu_fsf':
      return xmlRoot === 'export' ? 'eu_fsf_xml' : null;
    case 'us_csl':
      if (/^\s*[[{]/.test(head)) return 'us_csl_json';
      return /(^|,)source(,|$)/m.test(head.split(/\r?\n/)[0] ?? '') ? 'us_csl_csv' : null;
    case 'watch_list':
      return 'watch_list_csv';
  }
}

/**
 * Parses one list file. `companions` carries the other files of a multi-file format
 * (OFAC's legacy CSV: alt.csv and add.csv beside sdn.csv).
 */
export function parseList(kind: ScreeningListKind, text: string, companions: { alt?: string; add?: string } = {}): ParsedList & { format: ListFormat } {
  const format = detectFormat(kind, text);
  if (!format) throw new Error(`The file is not in a format the ${kind} importer reads (${FORMATS_BY_KIND.get(kind)?.join(', ')}).`);
  const parsed = (() => {
    switch (format) {
      case 'fcdo_xml':
        return parseUkSanctionsXml(text);
      case 'fcdo_csv':
        return parseUkSanctionsCsv(text);
      case 'ofsi_conlist_csv':
        return parseOfsiConListCsv(text);
      case 'un_sc_xml':
        return parseUnScXml(text);
      case 'ofac_sdn_csv':
        return parseOfacSdnCsv({ sdn: text, ...companions });
      case 'ofac_advanced_xml':
        return parseOfacAdvancedXml(text);
      case 'eu_fsf_xml':
        return parseEuFsfXml(text);
      case 'us_csl_csv':
        return parseUsCslCsv(text);
      case 'us_csl_json':
        return parseUsCslJson(text);
      case 'watch_list_csv':
        return parseWatchListCsv(text);
    }
  })();
  return { ...parsed, format };
}

export const FORMATS_BY_KIND = new Map<ScreeningListKind, ListFormat[]>([
  ['uk_sanctions', ['fcdo_xml', 'fcdo_csv', 'ofsi_conlist_csv']],
  ['un_sc', ['un_sc_xml']],
  ['us_ofac', ['ofac_sdn_csv', 'ofac_advanced_xml']],
  ['eu_fsf', ['eu_fsf_xml']],
  ['us_csl', ['us_csl_csv', 'us_csl_json']],
  ['watch_list', ['watch_list_csv']],
]);
