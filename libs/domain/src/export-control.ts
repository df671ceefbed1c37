/**
 * Export control as data: the UK Strategic Export Control Lists' shape (Military List,
 * UK-only PL entries, dual-use categories and product groups), the exemptions, the
 * licence types and OGEL names, the format check of a control-list entry, and the
 * rules an export-control assessment must satisfy (docs/domain.md "Export control").
 *
 * The tables are a reference for classification, not the legal text: the officer
 * checks the consolidated list on GOV.UK (or the Goods Checker) for the entry itself.
 * Each rule cites its source (legal-sources.ts); docs/legal-rules.md lists them.
 */
import { cite, LEGAL_SOURCES, type LegalSourceKey } from './legal-sources';
import { RISK_CONFIG } from './risk-config';
import { isCountryCode } from './countries';
import { EU_MEMBER_STATES } from './country-groups';

export type ControlListKind = 'military' | 'uk_national' | 'dual_use';

export interface ReferenceEntry {
  code: string;
  list: ControlListKind | 'dual_use_category' | 'dual_use_group';
  title: string;
  note?: string;
}

// UK Military List (Schedule 2 to the Export Control Order 2008), ML21 and ML22 notes;
// see exemptionRuleFor for how each note is applied.
const ML22_NOTE =
  'ML22 Note 2: ML22 does not apply to technology in the public domain, to basic scientific research, or to the minimum necessary information for patent applications.';
const ML21_NOTE =
  'The Military List carries no General Software Note: whether ML21 software in the public domain is released is a question for ECJU; record it only with an ECJU advice reference. Basic scientific research and patent applications are technology exceptions, not software ones.';
const MILITARY_NOTES: Record<string, string> = { ML21: ML21_NOTE, ML22: ML22_NOTE };

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
].map(([code, title]) => ({ code, list: 'military' as const, title, ...(MILITARY_NOTES[code] ? { note: MILITARY_NOTES[code] } : {}) }));

/**
 * UK-only national control entries ("PL" entries). Any `PL` + four digits passes the
 * format check and the officer names the entry; the ones named here are the ones a
 * university meets most. PL9013-PL9015: the Export Control (Amendment) Regulations
 * 2024, Schedule 3 to the Export Control Order 2008, in force 1 April 2024 (GOV.UK /
 * legislation.gov.uk, "Schedule 3: UK controlled dual-use goods, software and technology").
 */
const PL_SCHEDULE3_NOTE =
  'Schedule 3 (UK controlled dual-use) entry: the entry and its own notes decide which exceptions apply; where they leave doubt, record an exemption only with an ECJU control list classification or advice reference.';
export const UK_NATIONAL_ENTRIES: readonly ReferenceEntry[] = [
  {
    code: 'PL5001',
    list: 'uk_national',
    title: 'Security and para-military police goods',
    note: 'UK national control (goods): no technology exemption covers goods; check the current list for other PL entries',
  },
  {
    code: 'PL9013',
    list: 'uk_national',
    title:
      'Semiconductor, cryogenic and advanced-materials items (dry etching, SEM, integrated circuits, parametric signal amplifiers, cryogenic cooling and wafer probing, EUV masks) and their software and technology (2024)',
    note: PL_SCHEDULE3_NOTE,
  },
  {
    code: 'PL9014',
    list: 'uk_national',
    title: 'Quantum computers, qubit devices and circuits, quantum control and measurement components, and their software and technology (2024)',
    note: PL_SCHEDULE3_NOTE,
  },
  {
    code: 'PL9015',
    list: 'uk_national',
    title: 'Additive manufacturing equipment and specially designed components, and their software and technology (2024)',
    note: PL_SCHEDULE3_NOTE,
  },
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
  public_domain: 'In the public domain (already available without restriction on further dissemination; give the DOI or link)',
  basic_scientific_research: 'Basic scientific research (new knowledge of fundamental principles, no practical aim)',
  patent_application: 'The minimum information needed for a patent application',
};

export const END_USE_CONCERNS = ['wmd', 'military_embargoed_destination', 'other'] as const;
export type EndUseConcernKind = (typeof END_USE_CONCERNS)[number];
export const END_USE_CONCERN_LABELS: Record<EndUseConcernKind, string> = {
  wmd: 'Weapons of mass destruction end use',
  military_embargoed_destination: 'Military end use in an arms-embargoed destination',
  other: 'Another end-use concern',
};

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
export const EXPORT_REVIEW_OUTCOME_LABELS: Record<ExportReviewOutcome, string> = {
  no_licence_required: 'No licence required',
  not_listed: 'Not listed on the control lists',
  ogel: 'Open general export licence (OGEL)',
  licence_required: 'Licence required',
  licence_applied: 'Licence applied for',
  licence_granted: 'Licence granted',
  licence_refused: 'Licence refused',
};

export const LICENCE_TYPES = ['siel', 'oiel'] as const;
export type LicenceType = (typeof LICENCE_TYPES)[number];
export const LICENCE_TYPE_LABELS: Record<LicenceType, string> = {
  siel: 'Standard individual export licence (named items and end user; usually valid 2 years)',
  oiel: 'Open individual export licence (usually valid 5 years)',
};

/**
 * Open general export licences an institution commonly registers for, as data: name,
 * the destinations it is limited to or excludes, and its source. Source: GOV.UK "Open
 * general export licences (OGELs)"; every OGEL excludes WMD end use and military end
 * use in an arms-embargoed destination (its "Exclusions" paragraph), and none reaches a
 * destination under UK trade sanctions. The officer still checks the OGEL's current
 * text (or the OGEL checker) and may record another OGEL by name.
 *
 * "Technology for Dual-Use Items" is not here: it was revoked from 31 December 2020
 * (its last published text is marked "Revoked from 31/12/2020").
 */
export interface OgelRecord {
  name: string;
  /** the only destinations it covers, when it names them */
  permittedDestinations?: readonly string[];
  /** destinations it excludes beyond the trade-sanctions ones */
  excludesArmsEmbargoed: boolean;
  source: string;
  asOf: string;
}
const ogel = (name: string, excludesArmsEmbargoed: boolean, permittedDestinations?: readonly string[]): OgelRecord => ({
  name,
  excludesArmsEmbargoed,
  ...(permittedDestinations ? { permittedDestinations } : {}),
  source: `${LEGAL_SOURCES.ogelList.title}, ${LEGAL_SOURCES.ogelList.url}`,
  asOf: LEGAL_SOURCES.ogelList.asOf,
});
export const OGELS: readonly OgelRecord[] = [
  // Its name is its scope: exports to EU member states (plus the Channel Islands, from the UK's side).
  ogel('Export of Dual-Use Items to EU Member States', false, EU_MEMBER_STATES),
  ogel('Cryptographic Development', true),
  ogel('Export After Exhibition: Dual-Use Items', true),
  ogel('Export After Repair/Replacement under Warranty: Dual-Use Items', true),
  ogel('Military Goods, Software and Technology: Government or NATO End-User', true),
  ogel('Software and Source Code for Military Goods', true),
  ogel('Military Goods: For Demonstration', true),
  ogel('Chemicals', true),
];
/** The names alone, for the reference endpoint and forms. */
export const OGEL_NAMES: readonly string[] = OGELS.map((o) => o.name);
/** OGELs that no longer exist, with the sentence that says so. */
export const REVOKED_OGELS: ReadonlyMap<string, string> = new Map([
  [
    'technology for dual-use items',
    'The OGEL (Technology for Dual-Use Items) was revoked from 31 December 2020; it cannot be relied on. Use another OGEL that covers the technology, or an individual licence.',
  ],
]);

export interface AssessmentItem {
  description: string;
  kind?: ItemKind;
  destinationCountry: string;
  foreignNationalInUk?: boolean;
  controlEntry?: string;
  notListed?: boolean;
}

export interface ExemptionClaim {
  exemption: Exemption;
  applies: boolean;
  reasoning: string;
  /** public domain: where it is already published without restriction (a DOI or a link) */
  evidence?: string;
}

export interface ExportAssessmentInput {
  assessment: string;
  outcome: ExportReviewOutcome;
  items?: AssessmentItem[];
  exemptions?: ExemptionClaim[];
  endUseConcern?: { concern: boolean; kind?: EndUseConcernKind; note?: string };
  ogelName?: string;
  /** the institution's registration reference for the OGEL (LITE/SPIRE) */
  ogelRegistrationReference?: string;
  /** an ECJU control list classification or end-user advice reference, where the law leaves an exemption in doubt */
  ecjuAdviceReference?: string;
  licence?: { type?: LicenceType; reference?: string; appliedOn?: string; grantedOn?: string; expiresOn?: string; conditions?: string };
}

export interface AssessmentProblem {
  field: string;
  message: string;
}

const DOI_OR_LINK = /^(https?:\/\/\S+\.\S+|(doi:\s*)?10\.\d{4,9}\/\S+)$/i;

/** allowed: the note releases it; refused: it cannot; ecju_advice: the law leaves doubt, so only with an ECJU advice reference. */
export type ExemptionAllowance = 'allowed' | 'refused' | 'ecju_advice';

export interface ExemptionRule {
  /** which list family decided */
  family: 'dual_use_technology' | 'dual_use_software' | 'dual_use_goods' | 'ml22' | 'ml21' | 'military_goods' | 'uk_national' | 'uk_national_goods';
  allowance: Record<Exemption, ExemptionAllowance>;
  /** the note the officer is shown */
  note: string;
  source: LegalSourceKey;
}

const all = (x: ExemptionAllowance): Record<Exemption, ExemptionAllowance> => ({ public_domain: x, basic_scientific_research: x, patent_application: x });
const GOODS_NOTE = 'The exemptions release technology (and public-domain software), never goods, materials or equipment: a listed good needs a licence.';
const SOFTWARE_NOTE =
  'Software is released only by the General Software Note: when it is in the public domain, or generally available to the public (mass market, subject to the Cryptography Note). Basic scientific research and the minimum information for a patent application are exceptions for technology, not for software.';
const TECHNOLOGY_NOTE =
  'The General Technology Note and Article 18 of the Export Control Order 2008 release technology in the public domain, basic scientific research and the minimum necessary information for a patent application.';

/**
 * Which exemptions a control-list entry can take, per list family, as the list's own
 * notes say (issue 13, rules 2 and 6):
 * - dual-use technology (E): all three (General Technology Note; ECO 2008 Art. 18);
 * - dual-use software (D): public domain only (General Software Note);
 * - dual-use goods (A, B, C), Military List goods, PL5001: none;
 * - ML22 technology: all three (ML22 Note 2);
 * - ML21 software: public domain only with ECJU advice (no software note on the Military List);
 * - Schedule 3 PL entries (e.g. PL9013-PL9015) for technology or software: with ECJU advice.
 */
export function exemptionRuleFor(entry: ParsedControlEntry, kind?: ItemKind): ExemptionRule {
  if (entry.list === 'dual_use') {
    if (entry.group === 'E') return { family: 'dual_use_technology', allowance: all('allowed'), note: TECHNOLOGY_NOTE, source: 'eco2008Exceptions' };
    if (entry.group === 'D') {
      return {
        family: 'dual_use_software',
        allowance: { public_domain: 'allowed', basic_scientific_research: 'refused', patent_application: 'refused' },
        note: SOFTWARE_NOTE,
        source: 'generalSoftwareNote',
      };
    }
    return { family: 'dual_use_goods', allowance: all('refused'), note: GOODS_NOTE, source: 'academicGuidance' };
  }
  if (entry.list === 'military') {
    if (entry.heading === 'ML22') return { family: 'ml22', allowance: all('allowed'), note: ML22_NOTE, source: 'ml22Note2' };
    if (entry.heading === 'ML21') {
      return {
        family: 'ml21',
        allowance: { public_domain: 'ecju_advice', basic_scientific_research: 'refused', patent_application: 'refused' },
        note: ML21_NOTE,
        source: 'ml22Note2',
      };
    }
    return { family: 'military_goods', allowance: all('refused'), note: GOODS_NOTE, source: 'ml22Note2' };
  }
  const known = UK_NATIONAL_ENTRIES.find((e) => e.code === entry.heading);
  const goods = entry.heading === 'PL5001' || kind === 'goods' || kind === 'material';
  if (goods) return { family: 'uk_national_goods', allowance: all('refused'), note: known?.note ?? GOODS_NOTE, source: 'schedule3PlEntries' };
  if (kind === 'software') {
    return {
      family: 'uk_national',
      allowance: { public_domain: 'ecju_advice', basic_scientific_research: 'refused', patent_application: 'refused' },
      note: `${PL_SCHEDULE3_NOTE} ${SOFTWARE_NOTE}`,
      source: 'schedule3PlEntries',
    };
  }
  return { family: 'uk_national', allowance: all('ecju_advice'), note: known?.note ?? PL_SCHEDULE3_NOTE, source: 'schedule3PlEntries' };
}

/**
 * A transfer to someone in the UK (a foreign national working here included) is not an
 * export: the controls follow location, not nationality. Only the WMD end-use control
 * reaches it. Source: GOV.UK "Export controls applying to academic research" (an
 * export is a transfer to a destination outside the UK).
 */
export function staysInUk(item: AssessmentItem): boolean {
  return item.destinationCountry === 'GB' || item.foreignNationalInUk === true;
}

const tradeSanctioned = (c: string) => RISK_CONFIG.countries.tradeSanctions.countries.includes(c);
const armsEmbargoed = (c: string) => RISK_CONFIG.countries.armsEmbargo.countries.includes(c);

/**
 * The consistency rules of an assessment, beyond the schema. Returns every problem so
 * the officer can fix them in one go; the licence gate is separate (licenceGate). Which
 * fields an outcome requires (the OGEL's name and registration reference, the licence's
 * reference, dates, type and conditions) is the schema's conditions
 * (ACTION_BODY_SCHEMAS.complete_export_review), checked before this runs.
 */
export function assessmentProblems(a: ExportAssessmentInput): AssessmentProblem[] {
  const problems: AssessmentProblem[] = [];
  const add = (field: string, message: string) => {
    if (!problems.some((p) => p.field === field && p.message === message)) problems.push({ field, message });
  };
  const parsed: { entry: ParsedControlEntry; item: AssessmentItem }[] = [];
  const items = a.items ?? [];
  items.forEach((item, i) => {
    const f = `items[${i}]`;
    if (!isCountryCode(item.destinationCountry)) {
      add(
        `${f}.destinationCountry`,
        `${f}.destinationCountry: "${String(item.destinationCountry).slice(0, 20)}" is not an ISO 3166-1 country code; use the two-letter code in capitals (e.g. CN, US).`,
      );
    }
    if (item.notListed && item.controlEntry) {
      add(`${f}.controlEntry`, `${f}: an item is either "not listed" or has a control-list entry, not both.`);
    } else if (!item.notListed && !item.controlEntry) {
      add(`${f}.controlEntry`, `${f}.controlEntry: give the candidate control-list entry, or mark the item "not listed".`);
    } else if (item.controlEntry) {
      const check = parseControlEntry(item.controlEntry);
      if (check.ok) parsed.push({ entry: check.entry, item });
      else add(`${f}.controlEntry`, `${f}.controlEntry: ${check.message}`);
    }
  });
  // Rule 5: only items that leave the UK are exports.
  const exported = parsed.filter((p) => !staysInUk(p.item));

  // Inside the UK only the WMD end-use control applies (rule 5): a military end-use
  // concern about an embargoed destination does not reach an item that never leaves.
  const concern = a.endUseConcern?.concern === true && (a.endUseConcern.kind !== 'military_embargoed_destination' || items.some((i) => !staysInUk(i)));
  const claims = a.exemptions ?? [];
  const covered = new Set<ParsedControlEntry>();
  claims.forEach((e, i) => {
    if (!e.applies) return;
    const f = `exemptions[${i}]`;
    if (concern) add(f, `${f}: the ${e.exemption} exemption falls away when there is an end-use concern.`);
    // Rule 1: intention to publish is not the public domain; the officer shows where it is published.
    if (e.exemption === 'public_domain' && !DOI_OR_LINK.test(e.evidence?.trim() ?? '')) {
      add(
        `${f}.evidence`,
        `${f}.evidence: the public-domain exemption needs evidence that the technology is already published without restriction: give the DOI or a link. Intending to publish does not put technology in the public domain (${cite('academicGuidance')}).`,
      );
    }
    const rules = exported.map((p) => ({ p, rule: exemptionRuleFor(p.entry, p.item.kind) }));
    const refused = rules.filter((r) => r.rule.allowance[e.exemption] === 'refused');
    const needsAdvice = rules.filter((r) => r.rule.allowance[e.exemption] === 'ecju_advice');
    for (const r of refused) {
      // Goods under an exemption claimed for other items are just "controlled" (outcome rule below).
      const goodsBeside =
        (r.rule.family === 'dual_use_goods' || r.rule.family === 'military_goods' || r.rule.family === 'uk_national_goods') && refused.length < rules.length;
      if (!goodsBeside)
        add(
          'exemptions',
          `exemptions: the ${e.exemption.replace(/_/g, ' ')} exemption cannot cover ${r.p.entry.code}. ${r.rule.note} (${cite(r.rule.source)})`,
        );
    }
    if (needsAdvice.length && !a.ecjuAdviceReference?.trim()) {
      add(
        'ecjuAdviceReference',
        `ecjuAdviceReference: the list leaves in doubt whether the ${e.exemption.replace(/_/g, ' ')} exemption covers ${needsAdvice.map((r) => r.p.entry.code).join(', ')}; record it only with an ECJU control list classification or advice reference. ${needsAdvice[0].rule.note}`,
      );
    }
    if (!concern) {
      for (const r of rules) {
        const allowance = r.rule.allowance[e.exemption];
        if (allowance === 'allowed' || (allowance === 'ecju_advice' && a.ecjuAdviceReference?.trim())) covered.add(r.p.entry);
      }
    }
  });
  const controlled = exported.filter((p) => !covered.has(p.entry)).map((p) => p.entry);

  const noLicence = a.outcome === 'no_licence_required' || a.outcome === 'not_listed';
  if (noLicence && concern) {
    add('outcome', 'outcome: with an end-use concern the catch-all control applies; "no licence required" cannot be the outcome.');
  }
  if (noLicence && controlled.length) {
    add('outcome', `outcome: ${controlled.map((p) => p.code).join(', ')} is controlled and no exemption covers it, so a licence is needed.`);
  }
  if (a.outcome === 'ogel') ogelProblems(a, items, concern).forEach((p) => add(p.field, p.message));
  const lic = a.licence ?? {};
  if (a.outcome === 'licence_granted') {
    if (lic.grantedOn && lic.expiresOn && lic.expiresOn <= lic.grantedOn) {
      add('licence.expiresOn', `licence.expiresOn: ${lic.expiresOn} is not after the granted date ${lic.grantedOn}.`);
    }
  }
  return problems;
}

/**
 * Rule 3: an OGEL cannot be relied on with an end-use concern (every OGEL's exclusions:
 * WMD end use, military end use in an arms-embargoed destination) or for a destination
 * it does not cover; a revoked OGEL cannot be relied on at all. (Its name and
 * registration reference are required by the action schema.) Source: GOV.UK "Open general export licences (OGELs)".
 */
function ogelProblems(a: ExportAssessmentInput, items: readonly AssessmentItem[], concern: boolean): AssessmentProblem[] {
  const out: AssessmentProblem[] = [];
  const name = a.ogelName?.trim() ?? '';
  const revoked = REVOKED_OGELS.get(
    name
      .toLowerCase()
      .replace(/^open general export licence\s*/, '')
      .replace(/[()]/g, '')
      .trim(),
  );
  if (revoked) out.push({ field: 'ogelName', message: `ogelName: ${revoked}` });
  if (concern) {
    out.push({
      field: 'outcome',
      message: `outcome: an OGEL cannot be relied on when there is an end-use concern (${a.endUseConcern?.kind?.replace(/_/g, ' ') ?? 'recorded'}): every OGEL excludes WMD end use and military end use in an arms-embargoed destination. Apply for an individual licence (${cite('ogelList')}).`,
    });
  }
  const record = OGELS.find((o) => o.name.toLowerCase() === name.toLowerCase());
  items.forEach((item, i) => {
    if (staysInUk(item)) return;
    const c = item.destinationCountry;
    const why = tradeSanctioned(c)
      ? `${c} is under UK trade sanctions, which no OGEL reaches`
      : record?.permittedDestinations && !record.permittedDestinations.includes(c)
        ? `the OGEL "${record.name}" covers only ${record.permittedDestinations.join(', ')}`
        : record?.excludesArmsEmbargoed && armsEmbargoed(c)
          ? `${c} is under a UK arms embargo, which the OGEL "${record.name}" excludes`
          : null;
    if (why)
      out.push({
        field: `items[${i}].destinationCountry`,
        message: `items[${i}].destinationCountry: the OGEL cannot be relied on for this destination: ${why}. Apply for an individual licence (${cite('ogelList')}).`,
      });
  });
  return out;
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
