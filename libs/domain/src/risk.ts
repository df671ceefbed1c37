import type { TriageRoute } from './action-schemas';
import { firsRequirement } from './firs';
import { cite } from './legal-sources';
import type { CaseAnswers } from './questionnaire';
import { NSI_AREA_OPTIONS } from './questionnaire-definition';
import { RISK_CONFIG, RISK_FACTOR_NAMES, RiskConfig, RiskFactorName } from './risk-config';
import type { RiskLevel } from './states';

/** uk_sanctions: FCDO / OFSI; un_sc: UN Security Council; us_ofac: OFAC SDN; eu_fsf: EU financial sanctions; us_csl: trade.gov CSL. */
export const SCREENING_LIST_KINDS = ['uk_sanctions', 'un_sc', 'us_ofac', 'eu_fsf', 'us_csl', 'watch_list'] as const;
export type ScreeningListKind = (typeof SCREENING_LIST_KINDS)[number];
export const WATCH_LIST_RATINGS = ['very_high', 'high', 'medium', 'low'] as const;
export type WatchListRating = (typeof WATCH_LIST_RATINGS)[number];

/** What the scorer needs to know about one open screening hit. */
export interface ScreeningHitFact {
  listKind: ScreeningListKind;
  /** e.g. "Entity List (EL) - Bureau of Industry and Security", or the UK regime name */
  sourceList: string;
  subject: string;
  matchedName: string;
  score: number;
  rating?: WatchListRating | null;
}

export interface FiredFactor {
  factor: RiskFactorName;
  /** 0..3 */
  score: number;
  weight: number;
  points: number;
  reasons: string[];
}

export interface HardFlag {
  code: 'sanctions_match' | 'wmd_end_use' | 'military_embargoed' | 'entity_list_us_origin' | 'watch_list_very_high' | 'trade_sanctions_destination';
  reason: string;
}

export interface RiskAssessment {
  rulesVersion: string;
  level: RiskLevel;
  score: number;
  maxScore: number;
  route: TriageRoute;
  exportIndicator: boolean;
  exportReasons: string[];
  hardFlags: HardFlag[];
  /** only factors that scored above 0 */
  factors: FiredFactor[];
  /** one line for the case page: "High: partner country on the UK arms embargo list; area: Quantum Technologies" */
  summary: string;
}

const yes = (a: CaseAnswers, id: string) => a.checklist?.[id]?.answer === 'yes';
const yesOrUnsure = (a: CaseAnswers, id: string) => ['yes', 'unsure'].includes(a.checklist?.[id]?.answer ?? '');
const areaLabel = (id: string) => NSI_AREA_OPTIONS.find((o) => o.value === id)?.label ?? id;

class Factor {
  score = 0;
  reasons: string[] = [];
  raise(score: number, reason: string): void {
    if (score > this.score) {
      this.score = score;
      this.reasons = [reason];
    } else if (score === this.score && score > 0 && !this.reasons.includes(reason)) {
      this.reasons.push(reason);
    }
  }
}

/** Partners and (questionnaire v3) structured funders: both are parties whose country matters. */
function parties(a: CaseAnswers): { name: string; country: string; role: 'partner' | 'funder'; type: string }[] {
  return [
    ...(a.partners ?? []).map((p) => ({ name: p.name, country: p.country, role: 'partner' as const, type: p.type })),
    ...(a.funders ?? []).map((f) => ({ name: f.name, country: f.country, role: 'funder' as const, type: f.type })),
  ].filter((p) => p.country);
}

/**
 * Country lists of different legal force score differently (issue 13, rule 8): an arms
 * embargo or trade sanctions 3, a regime against named persons only 2 (screening decides
 * whether this partner is one of them), weak rule of law 2, any other country outside
 * the ATAS-exempt allies 1. See risk-config.ts for each list's source and date.
 */
function countryFactor(a: CaseAnswers, cfg: RiskConfig, f: Factor): void {
  const { armsEmbargo, tradeSanctions, targetedSanctions, elevated, atasExempt } = cfg.countries;
  for (const p of parties(a)) {
    const c = p.country;
    const who = `${p.role === 'funder' ? 'funder ' : ''}${p.name} (${c})`;
    const label = p.role === 'funder' ? 'funder country' : 'partner country';
    if (armsEmbargo.countries.includes(c)) f.raise(3, `${label} on ${armsEmbargo.label}: ${who}`);
    if (tradeSanctions.countries.includes(c)) f.raise(3, `${label} under ${tradeSanctions.label}: ${who}`);
    else if (targetedSanctions.countries.includes(c))
      f.raise(2, `${label} has ${targetedSanctions.label} (screening decides whether this party is designated): ${who}`);
    else if (elevated.countries.includes(c)) f.raise(2, `${label} on ${elevated.label}: ${who}`);
    else if (!atasExempt.countries.includes(c)) f.raise(1, `${label} outside the UK and its ATAS-exempt allies: ${who}`);
  }
}

/**
 * Issue 13, rule 7: Russia, Belarus and Iran trade sanctions restrict listed AND unlisted
 * technology and technical assistance to persons connected with those countries, and
 * reach entities owned 50 % or more by designated persons, so a collaboration that ships
 * nothing is still caught (GOV.UK "Complying with technology transfer sanctions";
 * Belarus and Iran statutory guidance).
 */
function tradeSanctionsReasons(a: CaseAnswers, cfg: RiskConfig): { party: string; reason: string }[] {
  return parties(a)
    .filter((p) => cfg.countries.tradeSanctions.countries.includes(p.country))
    .map((p) => {
      const owned = p.role === 'partner' && (a.partners ?? []).find((x) => x.name === p.name)?.parentOrganisation;
      return {
        party: `${p.name} (${p.country})`,
        reason: `${p.role} ${p.name} (${p.country}) is under UK trade sanctions: they restrict listed and unlisted technology and technical assistance (sharing know-how, joint research, advice), not only shipments, and reach entities owned 50 % or more by designated persons${owned ? ` (check the owner, ${owned})` : ''}; ${p.type === 'university' || p.type === 'research_institute' || p.type === 'government_body' ? 'a state body or state university is a person connected with that country' : 'any person there is connected with that country'} (${cite('russiaTechnologySanctions')})`,
      };
    });
}

/**
 * Exports need review when anything leaves the UK. The researcher's answer about
 * publication never removes the indicator (issue 13, rule 1): "will be published" is
 * not the public domain, and only an export-control officer records an exemption, with
 * its evidence (GOV.UK "Export controls applying to academic research", "exempt
 * research": technology is in the public domain only once already available without
 * restriction). A partner under trade sanctions needs review even when nothing ships (rule 7).
 */
function exportIndicator(a: CaseAnswers, cfg: RiskConfig): string[] {
  const items = a.exportsFromUk ?? [];
  const reasons: string[] = [];
  const goods = items.filter((i) => i === 'equipment' || i === 'materials');
  const tech = items.filter((i) => i === 'software' || i === 'technical_data');
  if (goods.length) reasons.push(`goods leave the UK (${goods.join(', ').replace(/_/g, ' ')}); no exemption covers goods`);
  if (tech.length) {
    const published =
      a.publication === 'already_published'
        ? ' (the researcher says it is already published: the officer records the DOI or link if the public-domain exemption applies)'
        : '';
    reasons.push(
      `${tech.join(' and ').replace(/_/g, ' ')} leave the UK; only an export-control officer can record a public-domain or basic-research exemption, with its evidence${published}`,
    );
  }
  if (!items.length && (a.activityTypes ?? []).includes('export_or_shipment')) reasons.push('the activity includes an export or shipment of materials');
  if ((a.controlListCandidates ?? []).length && items.length) reasons.push(`candidate control-list entries: ${a.controlListCandidates!.join(', ')}`);
  for (const t of tradeSanctionsReasons(a, cfg))
    reasons.push(`technical assistance or technology to ${t.party} may be restricted even though nothing is shipped`);
  return reasons;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * The system's proposal: a pure function of the answers, the open screening hits and
 * the configuration. Hard flags force high; otherwise the weighted sum picks the tier.
 * The officer decides; this only proposes and explains.
 */
export function assessRisk(answers: CaseAnswers, hits: readonly ScreeningHitFact[] = [], cfg: RiskConfig = RISK_CONFIG): RiskAssessment {
  const a = answers;
  const partners = a.partners ?? [];
  const f = Object.fromEntries(RISK_FACTOR_NAMES.map((n) => [n, new Factor()])) as Record<RiskFactorName, Factor>;
  const hard: HardFlag[] = [];

  countryFactor(a, cfg, f.country);

  const areas = a.sensitiveAreas ?? [];
  if (areas.length) f.sensitivity.raise(2, `area: ${areas.map(areaLabel).join(', ')}`);
  if (!areas.length && a.checklist?.is_controlled_items?.answer === 'unsure') f.sensitivity.raise(1, 'unsure whether anything shared is on a control list');
  if ((a.controlListCandidates ?? []).length) f.sensitivity.raise(3, `candidate control-list entry: ${a.controlListCandidates!.join(', ')}`);
  if (yes(a, 'is_controlled_items')) f.sensitivity.raise(3, 'something shared may be on the UK Strategic Export Control Lists');

  for (const p of partners) {
    const s = cfg.partnerTypeScore[p.type];
    if (s) f.partner.raise(s, `partner type: ${p.name} is a ${p.type.replace(/_/g, ' ')}`);
  }
  if (yes(a, 'ps_state_links')) f.partner.raise(2, 'partner or its parent has links to military, police, intelligence or state bodies');
  const firs = firsRequirement(a, cfg);
  if (firs.required) f.partner.raise(2, `Foreign Influence Registration Scheme: ${firs.reasons.join('; ')}`);

  for (const h of hits) {
    const what = `"${h.subject}" matches "${h.matchedName}" (${Math.round(h.score * 100)}%)`;
    if (h.listKind === 'uk_sanctions') {
      f.partner.raise(3, `screening: ${what} on the UK Sanctions List`);
      hard.push({ code: 'sanctions_match', reason: `possible UK Sanctions List match: ${what}, ${h.sourceList}` });
    } else if (h.listKind === 'un_sc' || h.listKind === 'us_ofac' || h.listKind === 'eu_fsf') {
      f.partner.raise(3, `screening: ${what} on the ${h.sourceList}`);
      hard.push({ code: 'sanctions_match', reason: `possible sanctions list match: ${what}, ${h.sourceList}` });
    } else if (h.listKind === 'us_csl') {
      f.partner.raise(3, `screening: ${what} on the US ${h.sourceList}`);
      if (yesOrUnsure(a, 'is_us_origin') && /entity list/i.test(h.sourceList)) {
        hard.push({ code: 'entity_list_us_origin', reason: `Entity List match with US-origin items involved: ${what}` });
      }
    } else if (h.listKind === 'watch_list') {
      const rating = h.rating ?? 'medium';
      if (rating === 'very_high') hard.push({ code: 'watch_list_very_high', reason: `rated very high on the university watch list: ${what}` });
      f.partner.raise(
        { very_high: 3, high: 3, medium: 2, low: 1 }[rating],
        `screening: ${what} rated ${rating.replace('_', ' ')} on the university watch list`,
      );
    }
  }

  for (const funder of a.funders ?? []) {
    const s = cfg.fundingTypeScore[funder.type] ?? 1;
    if (s) f.funding.raise(s, `funder ${funder.name}: ${funder.type.replace(/_/g, ' ')}`);
  }
  if (a.fundingType !== undefined) {
    const s = cfg.fundingTypeScore[a.fundingType] ?? 1;
    if (s) f.funding.raise(s, `funding: ${a.fundingType.replace(/_/g, ' ')}`);
  } else if (a.fundingSource) {
    f.funding.raise(1, 'funding source not classified (answered on questionnaire version 1)');
  }
  if (yes(a, 'ps_control_expected')) f.funding.raise(3, 'the partner or funder expects control of direction or ownership of results');

  if (a.publication === 'restricted') f.data_ip.raise(1, 'results not published openly');
  // Questionnaire v3: where data lives, how it is shared, personal data abroad, the TTO.
  if (a.dataStorage === 'partner_systems' || a.dataStorage === 'cloud_outside_uk')
    f.data_ip.raise(1, `project data stored ${a.dataStorage === 'partner_systems' ? "on the partner's systems" : 'in a cloud service outside the UK'}`);
  if (a.dataSharingChannel === 'personal_accounts') f.data_ip.raise(2, 'project data shared through personal email, messaging or file-sharing accounts');
  if (a.personalDataLeavesUk === 'yes' && (!a.personalDataTransferMechanism || a.personalDataTransferMechanism === 'none_yet')) {
    f.data_ip.raise(2, 'personal data leaves the UK without a transfer mechanism in place');
  }
  if (a.techTransferOfficeInvolved === 'no' && ['ip_assignment', 'spin_out', 'licence'].includes(a.commercialExploitation ?? '')) {
    f.data_ip.raise(2, 'an IP licence, assignment or spin-out without the technology-transfer office');
  }
  if (a.personalData === 'personal' || a.personalData === 'special_category') f.data_ip.raise(1, `${a.personalData.replace('_', '-')} personal data involved`);
  if (a.resultsOwnership === 'partner' || a.resultsOwnership === 'joint') f.data_ip.raise(2, `partner rights over results (${a.resultsOwnership} ownership)`);
  const assetDeal = ['ip_assignment', 'spin_out', 'licence'].includes(a.commercialExploitation ?? '');
  if ((assetDeal && areas.length) || yes(a, 'ia_nsi_asset')) f.data_ip.raise(3, 'IP licence, assignment or equity in an NSI area');

  if (a.partnerAccess === 'remote') f.access.raise(1, 'partner has remote access to university systems');
  if (a.partnerAccess === 'visitors_in_labs') f.access.raise(2, 'partner staff work in university labs');
  if (a.partnerAccess === 'controlled_technology') f.access.raise(3, 'partner has access to controlled technology');
  if (yes(a, 'is_atas')) f.access.raise(3, 'ATAS certificate needed');
  if (yes(a, 'is_devices_travel')) f.access.raise(3, 'devices holding project data travel to high-risk countries');

  const flags = a.redFlags ?? [];
  if (flags.length) f.red_flags.raise(Math.min(3, flags.length), `red flags: ${flags.join(', ').replace(/_/g, ' ')}`);

  if (yesOrUnsure(a, 'ps_wmd_end_use')) hard.push({ code: 'wmd_end_use', reason: 'WMD end use known or suspected' });
  for (const t of tradeSanctionsReasons(a, cfg)) hard.push({ code: 'trade_sanctions_destination', reason: t.reason });
  const embargoed = partners.filter((p) => cfg.countries.armsEmbargo.countries.includes(p.country));
  const militaryItem = (a.controlListCandidates ?? []).some((c) => /^ML/i.test(c));
  for (const p of embargoed) {
    if (p.type === 'military_or_defence' || militaryItem) {
      hard.push({
        code: 'military_embargoed',
        reason: `${militaryItem ? 'Military List item' : 'military end user'} in an arms-embargoed destination: ${p.name} (${p.country})`,
      });
    }
  }

  const factors: FiredFactor[] = RISK_FACTOR_NAMES.map((name) => ({
    factor: name,
    score: f[name].score,
    weight: cfg.weights[name],
    points: f[name].score * cfg.weights[name],
    reasons: f[name].reasons,
  })).filter((x) => x.score > 0);
  const score = factors.reduce((s, x) => s + x.points, 0);
  const maxScore = RISK_FACTOR_NAMES.reduce((s, n) => s + 3 * cfg.weights[n], 0);
  const level: RiskLevel = hard.length || score > cfg.tiers.medium ? 'high' : score > cfg.tiers.low ? 'medium' : 'low';
  const exportReasons = exportIndicator(a, cfg);
  const route: TriageRoute =
    level === 'high' || exportReasons.length ? 'export_review_then_sign_off' : level === 'medium' ? 'head_sign_off' : 'officer_approval';

  // The summary names what drove the level: hard flags first, then the heaviest factors.
  const drivers = [
    ...hard.map((h) => h.reason),
    ...[...factors]
      .sort((x, y) => y.points - x.points)
      .filter((x) => x.score >= 2)
      .flatMap((x) => x.reasons),
  ];
  const summary = `${capitalise(level)}${drivers.length ? `: ${drivers.slice(0, 4).join('; ')}` : ''} (score ${score} of ${maxScore}, rules ${cfg.version})`;
  return {
    rulesVersion: cfg.version,
    level,
    score,
    maxScore,
    route,
    exportIndicator: exportReasons.length > 0,
    exportReasons,
    hardFlags: hard,
    factors,
    summary,
  };
}
