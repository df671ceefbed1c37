import type { TriageRoute } from './action-schemas';
import type { CaseAnswers, PartnerAnswer } from './questionnaire';
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
  code: 'sanctions_match' | 'wmd_end_use' | 'military_embargoed' | 'entity_list_us_origin' | 'watch_list_very_high';
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

function countryFactor(partners: PartnerAnswer[], cfg: RiskConfig, f: Factor): void {
  const { armsEmbargo, sanctionsRegimes, elevated, atasExempt } = cfg.countries;
  for (const p of partners) {
    const c = p.country;
    if (!c) continue;
    if (armsEmbargo.countries.includes(c)) f.raise(3, `partner country on ${armsEmbargo.label}: ${p.name} (${c})`);
    else if (sanctionsRegimes.countries.includes(c)) f.raise(3, `partner country under ${sanctionsRegimes.label}: ${p.name} (${c})`);
    else if (elevated.countries.includes(c)) f.raise(2, `partner country on ${elevated.label}: ${p.name} (${c})`);
    else if (!atasExempt.countries.includes(c)) f.raise(1, `partner country outside the UK and its ATAS-exempt allies: ${p.name} (${c})`);
  }
}

/**
 * Exports need review unless only dual-use technology or software leaves the UK under
 * the public-domain or basic-research exemption, and nothing removes that exemption
 * (an end-use concern, a Military List entry). Goods are never exempt.
 */
function exportIndicator(a: CaseAnswers): string[] {
  const items = a.exportsFromUk ?? [];
  const reasons: string[] = [];
  const goods = items.filter((i) => i === 'equipment' || i === 'materials');
  const tech = items.filter((i) => i === 'software' || i === 'technical_data');
  const exempt = a.publication === 'public_domain' || a.publication === 'basic_research';
  const military = (a.controlListCandidates ?? []).some((c) => /^ML/i.test(c));
  const endUseConcern = yesOrUnsure(a, 'ps_misuse') || yesOrUnsure(a, 'ps_wmd_end_use');
  if (goods.length) reasons.push(`goods leave the UK (${goods.join(', ').replace(/_/g, ' ')}); no exemption covers goods`);
  if (tech.length && !exempt) reasons.push(`${tech.join(' and ').replace(/_/g, ' ')} leave the UK without a public-domain or basic-research exemption`);
  if (tech.length && exempt && (military || endUseConcern)) {
    reasons.push(`${tech.join(' and ').replace(/_/g, ' ')} leave the UK and the exemption falls away (${military ? 'Military List entry' : 'end-use concern'})`);
  }
  if (!items.length && (a.activityTypes ?? []).includes('export_or_shipment')) reasons.push('the activity includes an export or shipment of materials');
  if ((a.controlListCandidates ?? []).length && items.length) reasons.push(`candidate control-list entries: ${a.controlListCandidates!.join(', ')}`);
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

  countryFactor(partners, cfg, f.country);

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
      f.partner.raise({ very_high: 3, high: 3, medium: 2, low: 1 }[rating], `screening: ${what} rated ${rating.replace('_', ' ')} on the university watch list`);
    }
  }

  if (a.fundingType !== undefined) {
    const s = cfg.fundingTypeScore[a.fundingType] ?? 1;
    if (s) f.funding.raise(s, `funding: ${a.fundingType.replace(/_/g, ' ')}`);
  } else if (a.fundingSource) {
    f.funding.raise(1, 'funding source not classified (answered on questionnaire version 1)');
  }
  if (yes(a, 'ps_control_expected')) f.funding.raise(3, 'the partner or funder expects control of direction or ownership of results');

  if (a.publication === 'restricted') f.data_ip.raise(1, 'results not published openly');
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
  const embargoed = partners.filter((p) => cfg.countries.armsEmbargo.countries.includes(p.country));
  const militaryItem = (a.controlListCandidates ?? []).some((c) => /^ML/i.test(c));
  for (const p of embargoed) {
    if (p.type === 'military_or_defence' || militaryItem) {
      hard.push({ code: 'military_embargoed', reason: `${militaryItem ? 'Military List item' : 'military end user'} in an arms-embargoed destination: ${p.name} (${p.country})` });
    }
  }

  const factors: FiredFactor[] = RISK_FACTOR_NAMES.map((name) => ({
    factor: name, score: f[name].score, weight: cfg.weights[name], points: f[name].score * cfg.weights[name], reasons: f[name].reasons,
  })).filter((x) => x.score > 0);
  const score = factors.reduce((s, x) => s + x.points, 0);
  const maxScore = RISK_FACTOR_NAMES.reduce((s, n) => s + 3 * cfg.weights[n], 0);
  const level: RiskLevel = hard.length || score > cfg.tiers.medium ? 'high' : score > cfg.tiers.low ? 'medium' : 'low';
  const exportReasons = exportIndicator(a);
  const route: TriageRoute = level === 'high' || exportReasons.length ? 'export_review_then_sign_off' : level === 'medium' ? 'head_sign_off' : 'officer_approval';

  // The summary names what drove the level: hard flags first, then the heaviest factors.
  const drivers = [
    ...hard.map((h) => h.reason),
    ...[...factors].sort((x, y) => y.points - x.points).filter((x) => x.score >= 2).flatMap((x) => x.reasons),
  ];
  const summary = `${capitalise(level)}${drivers.length ? `: ${drivers.slice(0, 4).join('; ')}` : ''} (score ${score} of ${maxScore}, rules ${cfg.version})`;
  return { rulesVersion: cfg.version, level, score, maxScore, route, exportIndicator: exportReasons.length > 0, exportReasons, hardFlags: hard, factors, summary };
}
