/**
 * Export control as data: the UK Strategic Export Control Lists' shape (Military List,
 * UK-only PL entries, dual-use categories and product groups), the exemptions, the
 * licence types and OGEL names, the format check of a control-list entry, and the
 * rules an export-control assessment must satisfy (docs/domain.md "Export control").
 *
 * The tables are a reference for classification, not the legal text: the officer
 * checks the consolidated list on GOV.UK (or the Goods Checker) for the entry itself.
 */

export type ControlListKind = 'military' | 'uk_national' | 'dual_use';

export interface ReferenceEntry {
  code: string;
  list: ControlListKind | 'dual_use_category' | 'dual_use_group';
  title: string;
  note?: string;
}

/** UK Military List ML1-ML22: a licence is needed for every destination. */
export const MILITARY_LIST: readonly ReferenceEntry[] = [
  ['ML1', 'Smooth-bore weapons with a calibre of less than 20 mm, other arms and automatic weapons with a calibre of 12.7 mm or less'],
  ['ML2', 'Smooth-bore weapons with a calibre of 20 mm or more, other weapons or armament with a calibre greater than 12.7 mm'],
  ['ML3', 'Ammunition and fuze setting devices'],
  ['ML4', 'Bombs, torpedoes, rockets, missiles, other explosive devices and charges'],
  ['ML5', 'Fire control, surveillance and warning equipment, related systems, test, alignment and countermeasure equipment'],
  ['ML6', 'Ground vehicles and components'],
  ['ML7', 'Chemical or biological toxic agents, riot control agents, radioactive materials, related equipment and components'],
  ['ML8', 'Energetic materials and related substances'],
  ['ML9', 'Vessels of war (surface or underwater), special naval equipment, accessories and components'],
  ['ML10', 'Aircraft, lighter-than-air vehicles, unmanned aerial vehicles, aero-engines and aircraft equipment'],
  ['ML11', 'Electronic equipment, spacecraft and components not specified elsewhere on the Military List'],
  ['ML12', 'High velocity kinetic energy weapon systems'],
  ['ML13', 'Armoured or protective equipment, constructions and components'],
  ['ML14', 'Specialised equipment for military training or for simulating military scenarios'],
  ['ML15', 'Imaging or countermeasure equipment'],
  ['ML16', 'Forgings, castings and other unfinished products specially designed for Military List items'],
  ['ML17', 'Miscellaneous equipment, materials and libraries'],
  ['ML18', 'Production equipment and components'],
  ['ML19', 'Directed energy weapon (DEW) systems'],
  ['ML20', 'Cryogenic and superconductive equipment'],
  ['ML21', 'Software (for Military List items)'],
  ['ML22', 'Technology (for Military List items)'],
].map(([code, title]) => ({ code, list: 'military' as const, title }));

/**
 * UK-only national control entries ("PL" entries). Only PL5001 is named here; any
 * `PL` + four digits passes the format check and the officer names the entry.
 */
export const UK_NATIONAL_ENTRIES: readonly ReferenceEntry[] = [
  { code: 'PL5001', list: 'uk_national', title: 'Security and para-military police goods', note: 'UK national control; check the current list for other PL entries' },
];

export const DUAL_USE_CATEGORIES: readonly ReferenceEntry[] = [
  ['0', 'Nuclear materials, facilities and equipment'],
  ['1', 'Special materials and related equipment; chemicals, micro-organisms and toxins'],
  ['2', 'Materials processing'],
  ['3', 'Electronics'],
  ['4', 'Computers'],
  ['5', 'Telecommunications and information security'],
  ['6', 'Sensors and lasers'],
  ['7', 'Navigation and avionics'],
  ['8', 'Marine'],
  ['9', 'Aerospace and propulsion'],
].map(([code, title]) => ({ code, list: 'dual_use_category' as const, title }));

export const DUAL_USE_GROUPS: readonly ReferenceEntry[] = [
  ['A', 'Systems, equipment and components'],
  ['B', 'Test, inspection and production equipment'],
  ['C', 'Materials'],
  ['D', 'Software'],
  ['E', 'Technology'],
].map(([code, title]) => ({ code, list: 'dual_use_group' as const, title }));

/** Every reference row, for the searchable table the UI shows beside the entry field. */
export const CONTROL_LIST_REFERENCE: readonly ReferenceEntry[] = [...MILITARY_LIST, ...UK_NATIONAL_ENTRIES, ...DUAL_USE_CATEGORIES, ...DUAL_USE_GROUPS];

/** Case-insensitive search of the reference table by code or words of the title. */
export function searchControlListReference(query: string): ReferenceEntry[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return [...CONTROL_LIST_REFERENCE];
  return CONTROL_LIST_REFERENCE.filter((e) => {
    const hay = `${e.code} ${e.title}`.toLowerCase();
    return words.every((w) => hay.includes(w));
  });
}

export interface ParsedControlEntry {
  /** Normalised: upper-case head, lower-case sub-items, e.g. `5A002.a.1`, `ML10.a`. */
  code: string;
  list: ControlListKind;
  /** Military List number, dual-use category digit, or the PL number. */
  heading: string;
  group?: 'A' | 'B' | 'C' | 'D' | 'E';
  /** What the heading means, from the reference table. */
  title: string;
}

export type ControlEntryCheck = { ok: true; entry: ParsedControlEntry } | { ok: false; message: string };

/** The JSON Schema pattern the API serves for the entry field (the service runs parseControlEntry too). */
export const CONTROL_ENTRY_PATTERN = '^\\s*([Mm][Ll]([1-9]|1[0-9]|2[0-2])|[Pp][Ll][0-9]{4}|[0-9][A-Ea-e][0-9]{3})(\\.[A-Za-z0-9]+)*\\s*$';

/**
 * The format check of a candidate control-list entry: `ML1`-`ML22`, `PL` + 4 digits,
 * or dual-use category 0-9 + group A-E + three digits, each with optional sub-items.
 */
export function parseControlEntry(raw: string): ControlEntryCheck {
  const value = raw.trim();
  const m = /^([A-Za-z]{2}\d+|\d[A-Za-z]\d{3})((?:\.[A-Za-z0-9]+)*)$/.exec(value);
  const bad = (why: string): ControlEntryCheck => ({
    ok: false,
    message: `"${raw}" is not a control-list entry: ${why}. Use ML1-ML22, PL followed by four digits, or a dual-use entry such as 5A002 or 3E001.`,
  });
  if (!m) return bad('it does not have the shape of one');
  const head = m[1].toUpperCase();
  const sub = m[2].toLowerCase();
  const ml = /^ML(\d+)$/.exec(head);
  if (ml) {
    const n = Number(ml[1]);
    if (n < 1 || n > 22 || String(n) !== ml[1]) return bad(`the Military List runs from ML1 to ML22`);
    return { ok: true, entry: { code: head + sub, list: 'military', heading: head, title: MILITARY_LIST[n - 1].title } };
  }
  if (/^PL\d+$/.test(head)) {
    if (!/^PL\d{4}$/.test(head)) return bad('a PL entry has four digits, e.g. PL5001');
    const known = UK_NATIONAL_ENTRIES.find((e) => e.code === head);
    return { ok: true, entry: { code: head + sub, list: 'uk_national', heading: head, title: known?.title ?? 'UK national control entry' } };
  }
  const du = /^(\d)([A-Z])(\d{3})$/.exec(head);
  if (du) {
    const group = DUAL_USE_GROUPS.find((g) => g.code === du[2]);
    if (!group) return bad(`the product group is A-E, not ${du[2]}`);
    const cat = DUAL_USE_CATEGORIES[Number(du[1])];
    return {
      ok: true,
      entry: { code: head + sub, list: 'dual_use', heading: du[1], group: group.code as ParsedControlEntry['group'], title: `${cat.title}: ${group.title}` },
    };
  }
  return bad('only ML, PL and dual-use entries are recognised');
}

export const ITEM_KINDS = ['technology', 'software', 'technical_data', 'material', 'goods'] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];

/** The exemptions from control on dual-use technology and software transfers. */
export const EXEMPTIONS = ['public_domain', 'basic_scientific_research', 'patent_application'] as const;
export type Exemption = (typeof EXEMPTIONS)[number];
export const EXEMPTION_LABELS: Record<Exemption, string> = {
  public_domain: 'In the public domain (available without restriction on further dissemination)',
  basic_scientific_research: 'Basic scientific research (new knowledge of fundamental principles, no practical aim)',
  patent_application: 'The minimum information needed for a patent application',
};

export const END_USE_CONCERNS = ['wmd', 'military_embargoed_destination', 'other'] as const;
export type EndUseConcernKind = (typeof END_USE_CONCERNS)[number];

export const EXPORT_REVIEW_OUTCOMES = [
  'no_licence_required',
  'not_listed',
  'ogel',
  'licence_required',
  'licence_applied',
  'licence_granted',
  'licence_refused',
] as const;
export type ExportReviewOutcome = (typeof EXPORT_REVIEW_OUTCOMES)[number];

export const LICENCE_TYPES = ['siel', 'oiel'] as const;
export type LicenceType = (typeof LICENCE_TYPES)[number];
export const LICENCE_TYPE_LABELS: Record<LicenceType, string> = {
  siel: 'Standard individual export licence (named items and end user; usually valid 2 years)',
  oiel: 'Open individual export licence (usually valid 5 years)',
};

/**
 * Open general export licences an institution commonly registers for. Names as
 * published on GOV.UK at the time of writing; an officer may record another OGEL by
 * name, since the list changes.
 */
export const OGEL_NAMES: readonly string[] = [
  'Export of Dual-Use Items to EU Member States',
  'Technology for Dual-Use Items',
  'Cryptographic Development',
  'Export After Exhibition: Dual-Use Items',
  'Export After Repair/Replacement under Warranty: Dual-Use Items',
  'Military Goods, Software and Technology: Government or NATO End-User',
  'Software and Source Code for Military Goods',
  'Military Goods: For Demonstration',
  'Chemicals',
];

export interface AssessmentItem {
  description: string;
  kind?: ItemKind;
  destinationCountry: string;
  foreignNationalInUk?: boolean;
  controlEntry?: string;
  notListed?: boolean;
}

export interface ExportAssessmentInput {
  assessment: string;
  outcome: ExportReviewOutcome;
  items?: AssessmentItem[];
  exemptions?: { exemption: Exemption; applies: boolean; reasoning: string }[];
  endUseConcern?: { concern: boolean; kind?: EndUseConcernKind; note?: string };
  ogelName?: string;
  licence?: { type?: LicenceType; reference?: string; appliedOn?: string; grantedOn?: string; expiresOn?: string; conditions?: string };
}

export interface AssessmentProblem {
  field: string;
  message: string;
}

const ISO_COUNTRY = /^[A-Z]{2}$/;

/**
 * The consistency rules of an assessment, beyond the schema. Returns every problem so
 * the officer can fix them in one go; the licence gate is separate (licenceGate).
 */
export function assessmentProblems(a: ExportAssessmentInput): AssessmentProblem[] {
  const problems: AssessmentProblem[] = [];
  const parsed: ParsedControlEntry[] = [];
  (a.items ?? []).forEach((item, i) => {
    const f = `items[${i}]`;
    if (!ISO_COUNTRY.test(item.destinationCountry)) {
      problems.push({ field: `${f}.destinationCountry`, message: `${f}.destinationCountry: use the two-letter ISO country code (e.g. CN, US), not "${item.destinationCountry}".` });
    }
    if (item.notListed && item.controlEntry) {
      problems.push({ field: `${f}.controlEntry`, message: `${f}: an item is either "not listed" or has a control-list entry, not both.` });
    } else if (!item.notListed && !item.controlEntry) {
      problems.push({ field: `${f}.controlEntry`, message: `${f}.controlEntry: give the candidate control-list entry, or mark the item "not listed".` });
    } else if (item.controlEntry) {
      const check = parseControlEntry(item.controlEntry);
      if (check.ok) parsed.push(check.entry);
      else problems.push({ field: `${f}.controlEntry`, message: `${f}.controlEntry: ${check.message}` });
    }
  });

  const concern = a.endUseConcern?.concern === true;
  const applying = (a.exemptions ?? []).filter((e) => e.applies);
  applying.forEach((e) => {
    const i = (a.exemptions ?? []).indexOf(e);
    if (concern) {
      problems.push({ field: `exemptions[${i}]`, message: `exemptions[${i}]: the ${e.exemption} exemption falls away when there is an end-use concern.` });
    }
  });
  const exemptible = (p: ParsedControlEntry) => p.list === 'dual_use' && (p.group === 'D' || p.group === 'E');
  const controlled = parsed.filter((p) => !(applying.length && exemptible(p)));
  if (applying.length && parsed.length && parsed.every((p) => !exemptible(p))) {
    problems.push({ field: 'exemptions', message: 'exemptions: the exemptions cover dual-use technology and software (groups D and E) only, not goods or Military List and PL entries.' });
  }

  const noLicence = a.outcome === 'no_licence_required' || a.outcome === 'not_listed';
  if (noLicence && concern) {
    problems.push({ field: 'outcome', message: 'outcome: with an end-use concern the catch-all control applies; "no licence required" cannot be the outcome.' });
  }
  if (noLicence && controlled.length) {
    problems.push({ field: 'outcome', message: `outcome: ${controlled.map((p) => p.code).join(', ')} is controlled and no exemption covers it, so a licence is needed.` });
  }
  if (a.outcome === 'ogel' && !a.ogelName?.trim()) {
    problems.push({ field: 'ogelName', message: 'ogelName: name the open general licence the export relies on.' });
  }
  const lic = a.licence ?? {};
  if (a.outcome === 'licence_applied' && !lic.reference?.trim()) {
    problems.push({ field: 'licence.reference', message: 'licence.reference: give the application reference (e.g. the LITE/SPIRE number).' });
  }
  if (a.outcome === 'licence_granted') {
    for (const k of ['type', 'reference', 'grantedOn', 'expiresOn'] as const) {
      if (!lic[k]) problems.push({ field: `licence.${k}`, message: `licence.${k}: a granted licence records its type, reference, granted date and expiry date.` });
    }
    if (lic.grantedOn && lic.expiresOn && lic.expiresOn <= lic.grantedOn) {
      problems.push({ field: 'licence.expiresOn', message: `licence.expiresOn: ${lic.expiresOn} is not after the granted date ${lic.grantedOn}.` });
    }
  }
  return problems;
}

/** The licence gate: the stage cannot complete while a licence is needed but not granted. Null when the gate is open. */
export function licenceGate(outcome: ExportReviewOutcome): string | null {
  switch (outcome) {
    case 'licence_required':
      return 'A licence is required: the export-control review cannot be completed until a granted licence is recorded (outcome licence_granted), or the case is rejected.';
    case 'licence_applied':
      return 'The licence has been applied for but not granted: the export-control review cannot be completed until it is granted, or the case is rejected.';
    case 'licence_refused':
      return 'The licence was refused: the export-control review cannot be completed; the officer rejects the case (reason category export_licence_refused).';
    default:
      return null;
  }
}

/** When to remind about a licence's expiry: `daysBefore` days ahead, or today if that has passed. */
export function licenceReminderDate(expiresOn: string, today: string, daysBefore = 30): string {
  const d = new Date(`${expiresOn}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - daysBefore);
  const remind = d.toISOString().slice(0, 10);
  return remind < today ? today : remind;
}
