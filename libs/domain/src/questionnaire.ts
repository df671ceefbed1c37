import { DateTime } from 'luxon';
import { isCountryCode } from './countries';
import {
  EXPLOITATION_OPTIONS,
  EXPORT_ITEM_OPTIONS,
  FUNDING_TYPE_OPTIONS,
  Option,
  PARTNER_ACCESS_OPTIONS,
  PERSONAL_DATA_OPTIONS,
  PUBLICATION_OPTIONS,
  QUESTIONNAIRE_V2,
  questionnaire,
  questionnaireVersionOf,
  RED_FLAG_OPTIONS,
  RESULTS_OWNERSHIP_OPTIONS,
  TECHNOLOGY_READINESS_OPTIONS,
  YES_NO_UNSURE,
  YesNoUnsure,
  allQuestions,
  DATA_SHARING_CHANNEL_OPTIONS,
  DATA_STORAGE_OPTIONS,
  PUBLICATION_OPTIONS_V3,
  TRANSFER_MECHANISM_OPTIONS,
  YES_NO_OPTIONS,
  YES_NO_UNSURE_OPTIONS,
} from './questionnaire-definition';

/** The 17 sensitive areas of the National Security and Investment Act 2021. */
export const NSI_AREAS = [
  'advanced_materials',
  'advanced_robotics',
  'artificial_intelligence',
  'civil_nuclear',
  'communications',
  'computing_hardware',
  'critical_suppliers_to_government',
  'cryptographic_authentication',
  'data_infrastructure',
  'defence',
  'energy',
  'military_and_dual_use',
  'quantum_technologies',
  'satellite_and_space_technologies',
  'suppliers_to_the_emergency_services',
  'synthetic_biology',
  'transport',
] as const;
export type NsiArea = (typeof NSI_AREAS)[number];

export const NSI_AREA_LABELS: Record<NsiArea, string> = {
  advanced_materials: 'Advanced Materials',
  advanced_robotics: 'Advanced Robotics',
  artificial_intelligence: 'Artificial Intelligence',
  civil_nuclear: 'Civil Nuclear',
  communications: 'Communications',
  computing_hardware: 'Computing Hardware',
  critical_suppliers_to_government: 'Critical Suppliers to Government',
  cryptographic_authentication: 'Cryptographic Authentication',
  data_infrastructure: 'Data Infrastructure',
  defence: 'Defence',
  energy: 'Energy',
  military_and_dual_use: 'Military and Dual-Use',
  quantum_technologies: 'Quantum Technologies',
  satellite_and_space_technologies: 'Satellite and Space Technologies',
  suppliers_to_the_emergency_services: 'Suppliers to the Emergency Services',
  synthetic_biology: 'Synthetic Biology',
  transport: 'Transport',
};

export const ACTIVITY_TYPES = [
  'research_for_international_partner',
  'international_collaboration',
  'conference_presentation_abroad',
  'export_or_shipment',
  'teaching',
  'academic_exchange',
  'hosting_visitors',
  'consultancy',
  'travel',
  'ip_licence_or_spin_out',
] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

export const ACTIVITY_TYPE_LABELS: Record<ActivityType, string> = {
  research_for_international_partner: 'Research on behalf of an international partner',
  international_collaboration: 'International collaboration',
  conference_presentation_abroad: 'Conference presentation abroad',
  export_or_shipment: 'Export or shipment of materials',
  teaching: 'Teaching (including remote teaching of overseas students)',
  academic_exchange: 'Academic exchange',
  hosting_visitors: 'Hosting visitors',
  consultancy: 'Consultancy',
  travel: 'Travel',
  ip_licence_or_spin_out: 'IP licence or spin-out',
};

export const PARTNER_TYPES = ['university', 'research_institute', 'company', 'government_body', 'military_or_defence', 'charity'] as const;
export type PartnerType = (typeof PARTNER_TYPES)[number];

export const PARTNER_TYPE_LABELS: Record<PartnerType, string> = {
  university: 'University',
  research_institute: 'Research institute',
  company: 'Company',
  government_body: 'Government body',
  military_or_defence: 'Military or defence organisation',
  charity: 'Charity',
};

export interface PartnerAnswer {
  name: string;
  /** ISO 3166-1 alpha-2 */
  country: string;
  type: string;
  /** named individuals at the partner, where known; each is screened too */
  individuals?: { name: string; role?: string }[];
  /** the parent organisation, screened too (an entity owned by a designated person is caught) */
  parentOrganisation?: string;
}

export interface ChecklistAnswer {
  answer: YesNoUnsure;
  comment?: string;
}

/** Version 1 asks the first block; version 2 adds the structured rest (see questionnaire-definition.ts). */
export interface CaseAnswers {
  summary?: string;
  partners?: PartnerAnswer[];
  activityTypes?: string[];
  /** [] means "none apply"; undefined means unanswered */
  sensitiveAreas?: string[];
  fundingSource?: string;
  startDate?: string;
  endDate?: string;
  dataSharing?: string;
  people?: string;
  fundingType?: string;
  fundingAmount?: number;
  technologyReadiness?: string;
  publication?: string;
  /** [] means nothing leaves the UK */
  exportsFromUk?: string[];
  controlListCandidates?: string[];
  personalData?: string;
  resultsOwnership?: string;
  commercialExploitation?: string;
  partnerAccess?: string;
  redFlags?: string[];
  checklist?: Record<string, ChecklistAnswer>;
  // version 3 (issue 13)
  partnerGains?: string;
  /** [] means unfunded */
  funders?: FunderAnswer[];
  dataStorage?: string;
  dataSharingChannel?: string;
  personalDataLeavesUk?: string;
  personalDataTransferMechanism?: string;
  techTransferOfficeInvolved?: string;
  firsConnection?: string;
  firsRegistrationReference?: string;
}

/** A funder as a party: name, country and kind, so it can be scored and screened like a partner. */
export interface FunderAnswer {
  name: string;
  /** ISO 3166-1 alpha-2 */
  country: string;
  /** one of the funding-type options (uk_public, foreign_company, defence, ...) */
  type: string;
}

/** message is a full sentence naming the field and why */
export interface FieldProblem {
  field: string;
  message: string;
}

const MAX_PARTNERS = 50;
const MAX_NAME = 300;
const MAX_TEXT = 10000;
/** The longest text answer the API accepts (the character count on long answers shows what is left). */
export const ANSWER_MAX_TEXT = MAX_TEXT;
const TEXT_FIELDS = ['summary', 'fundingSource', 'dataSharing', 'people', 'partnerGains', 'firsRegistrationReference'] as const;
const DATE_FIELDS = ['startDate', 'endDate'] as const;
const V2_CHOICES: Record<string, readonly Option[]> = {
  fundingType: FUNDING_TYPE_OPTIONS,
  technologyReadiness: TECHNOLOGY_READINESS_OPTIONS,
  publication: PUBLICATION_OPTIONS,
  personalData: PERSONAL_DATA_OPTIONS,
  resultsOwnership: RESULTS_OWNERSHIP_OPTIONS,
  commercialExploitation: EXPLOITATION_OPTIONS,
  partnerAccess: PARTNER_ACCESS_OPTIONS,
};
const V2_MULTI: Record<string, readonly Option[]> = { exportsFromUk: EXPORT_ITEM_OPTIONS, redFlags: RED_FLAG_OPTIONS };
/** Version 3's choices; publication's options replace version 2's. */
const V3_CHOICES: Record<string, readonly Option[]> = {
  publication: PUBLICATION_OPTIONS_V3,
  dataStorage: DATA_STORAGE_OPTIONS,
  dataSharingChannel: DATA_SHARING_CHANNEL_OPTIONS,
  personalDataLeavesUk: YES_NO_OPTIONS,
  personalDataTransferMechanism: TRANSFER_MECHANISM_OPTIONS,
  techTransferOfficeInvolved: YES_NO_UNSURE_OPTIONS,
  firsConnection: YES_NO_UNSURE_OPTIONS,
};
const CHECKLIST_IDS = allQuestions(QUESTIONNAIRE_V2)
  .filter((x) => x.checklist)
  .map((x) => x.id);
const CONTROL_ENTRY = /^(ML([1-9]|1\d|2[0-2])|PL\d{4}|[0-9][A-E]\d{3})[a-z0-9.]*$/;
const KNOWN_FIELDS = new Set<string>([
  ...TEXT_FIELDS,
  ...DATE_FIELDS,
  'partners',
  'activityTypes',
  'sensitiveAreas',
  ...Object.keys(V2_CHOICES),
  ...Object.keys(V2_MULTI),
  'fundingAmount',
  'controlListCandidates',
  'checklist',
  ...Object.keys(V3_CHOICES),
  'funders',
]);
const PARTNER_KEYS = ['name', 'country', 'type', 'individuals', 'parentOrganisation'];
const FIELD_NAMES: Record<string, string> = {
  summary: 'The summary',
  partnerGains: 'The answer on what the partner gains',
  firsRegistrationReference: 'The FIRS registration reference',
  fundingSource: 'The funding source',
  dataSharing: 'The data-sharing answer',
  people: 'The people answer',
  startDate: 'The start date',
  endDate: 'The end date',
};

const blank = (s: unknown): boolean => typeof s !== 'string' || s.trim() === '';

/**
 * What still stops a draft being submitted under `version` (by default the version the
 * answers are written against). Version 1's checks come first, in the order the form
 * asks them; version 2 adds its required questions after.
 */
export function missingFields(title: string | null | undefined, answers: CaseAnswers, version = questionnaireVersionOf(answers)): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (blank(title)) problems.push({ field: 'title', message: 'The title is missing: give the collaboration a short title.' });
  if (blank(answers.summary)) {
    problems.push({ field: 'summary', message: 'The summary is missing: describe the collaboration and what it involves.' });
  }
  const partners = answers.partners ?? [];
  if (partners.length === 0) {
    problems.push({ field: 'partners', message: 'No partner is listed: add at least one partner organisation.' });
  }
  partners.forEach((p, i) => {
    if (blank(p?.name)) problems.push({ field: `partners[${i}].name`, message: `Partner ${i + 1} has no name: give the organisation's name.` });
    if (blank(p?.country))
      problems.push({ field: `partners[${i}].country`, message: `Partner ${i + 1} has no country: give the country where the organisation is based.` });
    if (blank(p?.type))
      problems.push({ field: `partners[${i}].type`, message: `Partner ${i + 1} has no organisation type: say what kind of organisation it is.` });
  });
  if ((answers.activityTypes ?? []).length === 0) {
    problems.push({ field: 'activityTypes', message: 'No activity type is chosen: choose at least one activity type.' });
  }
  if (answers.sensitiveAreas === undefined) {
    problems.push({
      field: 'sensitiveAreas',
      message: 'The sensitive areas question is unanswered: choose the NSI areas that apply, or say that none apply.',
    });
  }
  if (blank(answers.fundingSource)) {
    problems.push({ field: 'fundingSource', message: 'The funding source is missing: say who funds the work.' });
  }
  if (blank(answers.startDate)) {
    problems.push({ field: 'startDate', message: 'The start date is missing: give the date the collaboration starts.' });
  }
  if (version >= 2) problems.push(...missingV2(answers, version));
  return problems;
}

/** Required questions beyond version 1, read from the definition rather than listed by hand. */
function missingV2(answers: CaseAnswers, version: number): FieldProblem[] {
  const out: FieldProblem[] = [];
  const a = answers as Record<string, unknown>;
  const handled = new Set(['summary', 'partners', 'activityTypes', 'sensitiveAreas', 'fundingSource', 'startDate', 'endDate']);
  for (const question of allQuestions(questionnaire(version))) {
    if (!question.required || handled.has(question.id)) continue;
    if (question.checklist) {
      const c = answers.checklist?.[question.id];
      if (!c?.answer) {
        out.push({ field: `checklist.${question.id}`, message: `Checklist question unanswered: "${question.label}" Answer yes, no or unsure.` });
      } else if (c.answer !== 'no' && blank(c.comment)) {
        out.push({ field: `checklist.${question.id}.comment`, message: `You answered ${c.answer} to "${question.label}" Add a comment explaining it.` });
      }
      continue;
    }
    const v = a[question.id];
    // For multi-select questions an empty list is the answer "none".
    if (v === undefined || v === null || v === '') {
      out.push({
        field: question.id,
        message: `"${question.label}" is unanswered: ${question.kind === 'multi' || question.kind === 'funders' ? 'choose what applies, or say none.' : question.kind === 'longtext' || question.kind === 'text' ? 'write an answer.' : 'choose an answer.'}`,
      });
    }
  }
  if (version >= 3 && answers.personalDataLeavesUk === 'yes' && !answers.personalDataTransferMechanism) {
    out.push({
      field: 'personalDataTransferMechanism',
      message: 'Personal data leaves the UK: say which transfer mechanism covers it (or that none is in place yet).',
    });
  }
  return out;
}

function checkFunders(value: unknown, out: FieldProblem[]): void {
  if (!Array.isArray(value) || value.length > MAX_PARTNERS) {
    out.push({
      field: 'funders',
      message: `The funders answer must be a list of at most ${MAX_PARTNERS} funders, each { name, country, type }; an empty list means unfunded.`,
    });
    return;
  }
  value.forEach((f: unknown, i) => {
    const at = `funders[${i}]`;
    if (typeof f !== 'object' || f === null || Array.isArray(f)) {
      out.push({ field: at, message: `Funder ${i + 1} must have a name, a country and a kind.` });
      return;
    }
    const x = f as Record<string, unknown>;
    for (const key of Object.keys(x))
      if (!['name', 'country', 'type'].includes(key)) out.push({ field: `${at}.${key}`, message: `Funder ${i + 1} has an unknown field "${key}".` });
    if (typeof x.name !== 'string' || x.name.trim() === '' || x.name.length > MAX_NAME)
      out.push({ field: `${at}.name`, message: `Funder ${i + 1}'s name must be text of 1 to ${MAX_NAME} characters.` });
    if (!isCountryCode(x.country))
      out.push({
        field: `${at}.country`,
        message: `Funder ${i + 1}'s country ${typeof x.country === 'string' ? `"${x.country.slice(0, 20)}" ` : ''}is not an ISO 3166-1 country code; use a two-letter code in capitals, such as GB.`,
      });
    if (typeof x.type !== 'string' || !FUNDING_TYPE_OPTIONS.some((o) => o.value === x.type)) {
      out.push({
        field: `${at}.type`,
        message: `Funder ${i + 1}'s kind ${JSON.stringify(x.type)} is not one of ${FUNDING_TYPE_OPTIONS.map((o) => o.value).join(', ')}.`,
      });
    }
  });
}

function isIsoDate(s: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(s) && DateTime.fromFormat(s, 'yyyy-MM-dd', { zone: 'utc' }).isValid;
}

function checkIdList(field: string, value: unknown, known: readonly string[], what: string, out: FieldProblem[]): void {
  if (!Array.isArray(value)) {
    out.push({ field, message: `The ${what} answer must be a list.` });
    return;
  }
  value.forEach((v, i) => {
    if (typeof v !== 'string' || !known.includes(v)) {
      out.push({ field: `${field}[${i}]`, message: `${JSON.stringify(v)} is not a known ${what}.` });
    }
  });
  if (new Set(value).size !== value.length) out.push({ field, message: `The ${what} list names the same item twice.` });
}

/**
 * Shape and format errors in a (possibly partial) draft. Unlike missingFields this
 * never complains about what is absent, so a researcher can save as they go.
 */
export function answerProblems(answers: unknown): FieldProblem[] {
  if (typeof answers !== 'object' || answers === null || Array.isArray(answers)) {
    return [{ field: 'answers', message: 'The answers must be an object of question ids to answers.' }];
  }
  const a = answers as Record<string, unknown>;
  const out: FieldProblem[] = [];

  for (const key of Object.keys(a)) {
    if (!KNOWN_FIELDS.has(key)) out.push({ field: key, message: `"${key}" is not a question in this questionnaire.` });
  }

  for (const f of TEXT_FIELDS) {
    const v = a[f];
    if (v === undefined) continue;
    if (typeof v !== 'string') out.push({ field: f, message: `${FIELD_NAMES[f]} must be text.` });
    else if (v.length > MAX_TEXT) out.push({ field: f, message: `${FIELD_NAMES[f]} is longer than ${MAX_TEXT} characters.` });
  }

  for (const f of DATE_FIELDS) {
    const v = a[f];
    if (v === undefined) continue;
    if (typeof v !== 'string' || !isIsoDate(v)) {
      out.push({ field: f, message: `${FIELD_NAMES[f]} must be a real date written as YYYY-MM-DD.` });
    }
  }
  if (typeof a.startDate === 'string' && typeof a.endDate === 'string' && isIsoDate(a.startDate) && isIsoDate(a.endDate)) {
    if (a.endDate < a.startDate) out.push({ field: 'endDate', message: 'The end date is before the start date.' });
  }

  if (a.partners !== undefined) {
    if (!Array.isArray(a.partners)) {
      out.push({ field: 'partners', message: 'The partners answer must be a list of partners.' });
    } else {
      if (a.partners.length > MAX_PARTNERS) {
        out.push({ field: 'partners', message: `The partners list has more than ${MAX_PARTNERS} entries.` });
      }
      a.partners.forEach((p: unknown, i) => {
        const at = `partners[${i}]`;
        if (typeof p !== 'object' || p === null || Array.isArray(p)) {
          out.push({ field: at, message: `Partner ${i + 1} must have a name, a country and a type.` });
          return;
        }
        const partner = p as Record<string, unknown>;
        for (const key of Object.keys(partner)) {
          if (!PARTNER_KEYS.includes(key)) {
            out.push({ field: `${at}.${key}`, message: `Partner ${i + 1} has an unknown field "${key}".` });
          }
        }
        if (partner.individuals !== undefined) {
          const people = partner.individuals;
          if (
            !Array.isArray(people) ||
            people.length > MAX_PARTNERS ||
            (people as unknown[]).some(
              (x) =>
                typeof x !== 'object' ||
                x === null ||
                typeof (x as { name?: unknown }).name !== 'string' ||
                (x as { name: string }).name.length > MAX_NAME ||
                Object.keys(x).some((k) => k !== 'name' && k !== 'role'),
            )
          ) {
            out.push({
              field: `${at}.individuals`,
              message: `Partner ${i + 1}'s individuals must be a list of { name, role } with names of at most ${MAX_NAME} characters.`,
            });
          }
        }
        if (partner.parentOrganisation !== undefined && (typeof partner.parentOrganisation !== 'string' || partner.parentOrganisation.length > MAX_NAME)) {
          out.push({ field: `${at}.parentOrganisation`, message: `Partner ${i + 1}'s parent organisation must be text of at most ${MAX_NAME} characters.` });
        }
        if (partner.name !== undefined && (typeof partner.name !== 'string' || partner.name.length > MAX_NAME)) {
          out.push({ field: `${at}.name`, message: `Partner ${i + 1}'s name must be text of at most ${MAX_NAME} characters.` });
        }
        // An empty string is an unfinished row, which missingFields reports at submit.
        if (partner.country !== undefined && partner.country !== '') {
          if (!isCountryCode(partner.country)) {
            out.push({
              field: `${at}.country`,
              message: `Partner ${i + 1}'s country ${typeof partner.country === 'string' ? `"${partner.country.slice(0, 20)}" ` : ''}is not an ISO 3166-1 country code; use a two-letter code in capitals, such as GB.`,
            });
          }
        }
        if (partner.type !== undefined && partner.type !== '') {
          if (typeof partner.type !== 'string' || !(PARTNER_TYPES as readonly string[]).includes(partner.type)) {
            out.push({ field: `${at}.type`, message: `Partner ${i + 1}'s type ${JSON.stringify(partner.type)} is not a known organisation type.` });
          }
        }
      });
    }
  }

  if (a.activityTypes !== undefined) checkIdList('activityTypes', a.activityTypes, ACTIVITY_TYPES, 'activity type', out);
  if (a.sensitiveAreas !== undefined) checkIdList('sensitiveAreas', a.sensitiveAreas, NSI_AREAS, 'NSI sensitive area', out);
  checkV2(a, out);
  return out;
}

function checkV2(a: Record<string, unknown>, out: FieldProblem[]): void {
  const choices = questionnaireVersionOf(a) >= 3 ? { ...V2_CHOICES, ...V3_CHOICES } : { ...V2_CHOICES, ...V3_CHOICES, publication: V2_CHOICES.publication };
  if (a.funders !== undefined) checkFunders(a.funders, out);
  for (const [field, options] of Object.entries(choices)) {
    const v = a[field];
    if (v !== undefined && v !== '' && !options.some((o) => o.value === v)) {
      out.push({ field, message: `${JSON.stringify(v)} is not an answer to ${field}; choose one of ${options.map((o) => o.value).join(', ')}.` });
    }
  }
  for (const [field, options] of Object.entries(V2_MULTI)) {
    if (a[field] !== undefined)
      checkIdList(
        field,
        a[field],
        options.map((o) => o.value),
        `${field} choice`,
        out,
      );
  }
  if (a.fundingAmount !== undefined && (typeof a.fundingAmount !== 'number' || !Number.isFinite(a.fundingAmount) || a.fundingAmount < 0)) {
    out.push({ field: 'fundingAmount', message: 'The funding amount must be a number of pounds, zero or more.' });
  }
  if (a.controlListCandidates !== undefined) {
    const v = a.controlListCandidates;
    if (!Array.isArray(v) || v.length > 20)
      out.push({ field: 'controlListCandidates', message: 'The control-list candidates must be a list of at most 20 entries.' });
    else
      v.forEach((x, i) => {
        if (typeof x !== 'string' || !CONTROL_ENTRY.test(x)) {
          out.push({ field: `controlListCandidates[${i}]`, message: `${JSON.stringify(x)} is not a control-list entry such as ML22, PL5001 or 5E002.` });
        }
      });
  }
  if (a.checklist !== undefined) {
    if (typeof a.checklist !== 'object' || a.checklist === null || Array.isArray(a.checklist)) {
      out.push({ field: 'checklist', message: 'The checklist must be an object of question ids to { answer, comment }.' });
      return;
    }
    for (const [id, v] of Object.entries(a.checklist as Record<string, unknown>)) {
      const at = `checklist.${id}`;
      if (!CHECKLIST_IDS.includes(id)) {
        out.push({ field: at, message: `"${id}" is not a checklist question.` });
        continue;
      }
      const c = v as Record<string, unknown>;
      if (typeof c !== 'object' || c === null || (c.answer !== undefined && !(YES_NO_UNSURE as readonly unknown[]).includes(c.answer))) {
        out.push({ field: `${at}.answer`, message: `The answer to checklist question ${id} must be yes, no or unsure.` });
      } else if (c.comment !== undefined && (typeof c.comment !== 'string' || c.comment.length > MAX_TEXT)) {
        out.push({ field: `${at}.comment`, message: `The comment on checklist question ${id} must be text of at most ${MAX_TEXT} characters.` });
      }
    }
  }
}
