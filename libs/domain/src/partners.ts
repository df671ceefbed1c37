import type { JsonSchema } from './action-schemas';
import type { CaseAnswers } from './questionnaire';
import { EEA_NON_EU_STATES, EU_MEMBER_STATES } from './country-groups';

/**
 * The partner register and named people (issue 19): organisations de-duplicated across
 * cases, their due-diligence status, people on a case with their role, and the
 * Academic Technology Approval Scheme (ATAS) rule. Pure functions and lists; the
 * database CHECK lists equal these (test/e2e/schema-enums.e2e-spec.ts).
 */

/** How an organisation takes part in a case. */
export const ORGANISATION_LINK_ROLES = ['partner', 'funder', 'parent'] as const;
export type OrganisationLinkRole = (typeof ORGANISATION_LINK_ROLES)[number];
export const ORGANISATION_LINK_ROLE_LABELS: Record<OrganisationLinkRole, string> = {
  partner: 'Partner',
  funder: 'Funder',
  parent: 'Parent organisation',
};

/** An officer's due-diligence status of an organisation. `cleared` carries an expiry (cleared until). */
export const DUE_DILIGENCE_STATUSES = ['not_assessed', 'cleared', 'restricted', 'prohibited'] as const;
export type DueDiligenceStatus = (typeof DUE_DILIGENCE_STATUSES)[number];
export const DUE_DILIGENCE_STATUS_LABELS: Record<DueDiligenceStatus, string> = {
  not_assessed: 'Not assessed',
  cleared: 'Cleared',
  restricted: 'Restricted',
  prohibited: 'Prohibited',
};

/** Documents kept against an organisation. */
export const ORGANISATION_DOCUMENT_KINDS = ['due_diligence_questionnaire', 'agreement', 'ownership_evidence', 'other'] as const;
export type OrganisationDocumentKind = (typeof ORGANISATION_DOCUMENT_KINDS)[number];
export const ORGANISATION_DOCUMENT_KIND_LABELS: Record<OrganisationDocumentKind, string> = {
  due_diligence_questionnaire: 'Due-diligence questionnaire',
  agreement: 'Agreement',
  ownership_evidence: 'Ownership evidence',
  other: 'Other',
};

/**
 * The text fields of POST /api/organisations/{id}/documents (multipart beside the optional
 * `file` part, or JSON without one): the API checks them with ajv and publishes them, and the
 * Organisation page's document form is drawn from them by SchemaForm.
 */
export const ORGANISATION_DOCUMENT_SCHEMA = {
  type: 'object',
  title: 'Add a document',
  properties: {
    kind: { type: 'string', enum: ORGANISATION_DOCUMENT_KINDS, title: 'Kind of document' },
    title: { type: 'string', minLength: 1, maxLength: 300, title: 'Title' },
    reference: {
      type: 'string',
      nullable: true,
      maxLength: 500,
      title: 'Where it is kept (reference)',
      description: 'A records-system reference or case attachment.',
    },
    documentDate: { type: 'string', nullable: true, format: 'date', title: 'Date of the document' },
  },
  required: ['kind', 'title'],
  additionalProperties: false,
} as const satisfies JsonSchema;

export interface OrganisationDocumentBody {
  kind: OrganisationDocumentKind;
  title: string;
  reference?: string | null;
  documentDate?: string | null;
}

/** Legal-form words that do not tell two organisations apart ("Acme Ltd" is "Acme Limited"). */
const LEGAL_FORMS = new Set([
  'ltd',
  'limited',
  'plc',
  'llc',
  'inc',
  'incorporated',
  'corp',
  'corporation',
  'co',
  'company',
  'gmbh',
  'ag',
  'sa',
  'sas',
  'srl',
  'bv',
  'nv',
  'pty',
  'the',
]);

/**
 * A name as the register compares it: case and accents folded, punctuation dropped,
 * "&" read as "and", legal-form words removed, whitespace collapsed.
 */
export function normaliseOrganisationName(name: string): string {
  const words = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(/\s+/)
    .filter((w) => w && !LEGAL_FORMS.has(w));
  return words.join(' ');
}

/** The host of a website, without scheme, "www." or path: "https://www.Utoronto.ca/x" is "utoronto.ca"; null when none. */
export function websiteDomain(url: string | null | undefined): string | null {
  if (!url || !url.trim()) return null;
  const host = url
    .trim()
    .toLowerCase()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//, '')
    .split(/[/?#:]/)[0]
    .replace(/^www\./, '');
  return /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(host) ? host : null;
}

/** A ROR id in its short form (0abcdef12), from a bare id or https://ror.org/…; null when it is not one. */
export function rorId(value: string | null | undefined): string | null {
  if (!value || !value.trim()) return null;
  const m = /^(?:https?:\/\/ror\.org\/)?(0[a-hj-km-np-tv-z0-9]{6}[0-9]{2})$/i.exec(value.trim());
  return m ? m[1].toLowerCase() : null;
}

/** A party of a case as the register links it. */
export interface CaseParty {
  role: OrganisationLinkRole;
  name: string;
  country: string | null;
  /** partners[i] (a partner or its parent); funders[i] for a funder */
  index: number;
}

/** Every partner, parent and funder a case's answers name. */
export function casePartiesOf(answers: CaseAnswers): CaseParty[] {
  const out: CaseParty[] = [];
  (answers.partners ?? []).forEach((p, i) => {
    if (p?.name?.trim()) out.push({ role: 'partner', name: p.name.trim(), country: p.country?.trim() || null, index: i });
    if (p?.parentOrganisation?.trim()) out.push({ role: 'parent', name: p.parentOrganisation.trim(), country: p.country?.trim() || null, index: i });
  });
  (answers.funders ?? []).forEach((f, i) => {
    if (f?.name?.trim()) out.push({ role: 'funder', name: f.name.trim(), country: f.country?.trim() || null, index: i });
  });
  return out;
}

// ---------------------------------------------------------------------------------
// People

export const PERSON_ROLES = ['principal_investigator', 'co_investigator', 'visiting_researcher', 'partner_staff'] as const;
export type PersonRole = (typeof PERSON_ROLES)[number];
export const PERSON_ROLE_LABELS: Record<PersonRole, string> = {
  principal_investigator: 'Principal investigator',
  co_investigator: 'Co-investigator',
  visiting_researcher: 'Visiting researcher',
  partner_staff: 'Partner staff',
};
/** Roles whose linked user account is on the research team: sees and contributes to the case (access.ts). */
export const TEAM_ROLES: readonly PersonRole[] = ['principal_investigator', 'co_investigator'];

/** Conflicts of interest and commitment a person declares. */
export const CONFLICT_KINDS = ['talent_programme', 'honorary_post', 'paid_role_with_partner', 'equity_or_shares', 'other'] as const;
export type ConflictKind = (typeof CONFLICT_KINDS)[number];
export const CONFLICT_KIND_LABELS: Record<ConflictKind, string> = {
  talent_programme: 'Talent programme',
  honorary_post: 'Honorary post',
  paid_role_with_partner: 'Paid role with the partner',
  equity_or_shares: 'Equity or shares',
  other: 'Other',
};

/**
 * Nationalities exempt from ATAS (ISO 3166-1 alpha-2). Source: GOV.UK, "Academic
 * Technology Approval Scheme (ATAS)" guidance, "Who does not need an ATAS certificate"
 * (https://www.gov.uk/guidance/academic-technology-approval-scheme): nationals of
 * EU and EEA countries, Switzerland, Australia, Canada, Japan, New Zealand, Singapore,
 * South Korea and the United States, and British and Irish citizens. Check the page
 * when it changes; this list is the code's copy of it.
 */
export const ATAS_EXEMPT_NATIONALITIES: readonly string[] = [
  // British citizens; Irish citizens are among the EU member states below
  'GB',
  // EU member states, the EEA states outside the EU, and Switzerland
  ...EU_MEMBER_STATES,
  ...EEA_NON_EU_STATES,
  'CH',
  // the other exempt countries
  'AU',
  'CA',
  'JP',
  'NZ',
  'SG',
  'KR',
  'US',
];
export const ATAS_SOURCE_URL = 'https://www.gov.uk/guidance/academic-technology-approval-scheme';
const EXEMPT = new Set(ATAS_EXEMPT_NATIONALITIES);

export interface AtasPerson {
  name: string;
  role: PersonRole;
  /** ISO alpha-2 codes; null or [] when not given */
  nationalities: readonly string[] | null;
  atas: { certificateReference: string; issuedOn: string; expiresOn: string } | null;
}

/**
 * Whether a person needs ATAS for this case: a visiting researcher, every nationality
 * given is outside the exempt list (a dual national with one exempt nationality is
 * exempt), and the subject area is in scope. Scope is our proposal: ATAS covers
 * postgraduate study and research in subjects whose knowledge could be used in weapons
 * programmes, and we read that as "the case names at least one National Security and
 * Investment Act sensitive area". A visiting researcher whose nationality is not given
 * cannot be judged exempt, so needs it too.
 */
export function atasRequired(p: AtasPerson, answers: CaseAnswers): boolean {
  if (p.role !== 'visiting_researcher') return false;
  if (!(answers.sensitiveAreas ?? []).length) return false;
  const nats = p.nationalities ?? [];
  return !nats.some((n) => EXEMPT.has(n.toUpperCase()));
}

/** The refusal sentence while approval waits for an ATAS certificate; null when none is outstanding. */
export function atasOutstanding(people: readonly AtasPerson[], answers: CaseAnswers, today: string): string | null {
  const missing = people.filter((p) => atasRequired(p, answers) && (!p.atas || p.atas.expiresOn < today));
  if (!missing.length) return null;
  const names = missing.map((p) => (p.atas ? `${p.name} (certificate expired)` : p.name)).join(', ');
  return `Approval waits for an ATAS certificate: record the certificate reference and its dates for ${names}.`;
}

/** The refusal sentence while a PI named by someone else has not confirmed the submission; null otherwise. */
export function piConfirmationOutstanding(
  people: readonly { name: string; role: PersonRole; userId: string | null; confirmedAt: Date | string | null }[],
  ownerId: string,
): string | null {
  const pi = people.find((p) => p.role === 'principal_investigator' && p.userId !== null && p.userId !== ownerId && p.confirmedAt === null);
  return pi ? `The case was submitted on behalf of ${pi.name}, the principal investigator, who has not confirmed it yet.` : null;
}
