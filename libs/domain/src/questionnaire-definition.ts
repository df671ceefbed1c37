/**
 * The intake questionnaire as data. Forms, completeness checks and the case page all
 * read a definition; a case records the version it answered, and every version stays
 * here so an old case still renders with the questions it was asked.
 */
import { formatDate } from './dates';

export const QUESTION_KINDS = ['text', 'longtext', 'date', 'money', 'choice', 'multi', 'partners', 'funders', 'yes_no_unsure'] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];

export interface Option {
  value: string;
  label: string;
  /** one line shown with the option (e.g. what an NSI area covers) */
  description?: string;
}

export interface QuestionDef {
  /** the key in CaseAnswers; checklist questions live under answers.checklist[id] */
  id: string;
  kind: QuestionKind;
  label: string;
  /** one line shown beside the question: why the research office asks */
  why: string;
  required: boolean;
  options?: readonly Option[];
  checklist?: boolean;
}

export interface SectionDef {
  id: string;
  title: string;
  questions: readonly QuestionDef[];
}

export interface QuestionnaireDefinition {
  version: number;
  title: string;
  sections: readonly SectionDef[];
}

const opts = (pairs: Record<string, string>): Option[] => Object.entries(pairs).map(([value, label]) => ({ value, label }));

/**
 * The 17 NSI Act areas, each with a one-line description of what it covers, paraphrased
 * from GOV.UK "National Security and Investment Act: guidance on notifiable acquisitions"
 * (the National Security and Investment Act 2021 (Notifiable Acquisition) (Specification
 * of Qualifying Entities) Regulations 2021, one schedule per area).
 */
const NSI_AREAS_DESCRIBED: [string, string, string][] = [
  [
    'advanced_materials',
    'Advanced Materials',
    'Research into, or production of, advanced materials such as critical minerals, metamaterials, technical textiles, advanced composites and 2D materials.',
  ],
  ['advanced_robotics', 'Advanced Robotics', 'Robots and autonomous systems that sense and act in the physical world, and their key components and software.'],
  [
    'artificial_intelligence',
    'Artificial Intelligence',
    'Research into or development of AI systems for identification, tracking, advanced robotics or cyber security, and the AI itself.',
  ],
  ['civil_nuclear', 'Civil Nuclear', 'Nuclear sites, nuclear material, fuel-cycle facilities and the research and supply chain of the civil nuclear industry.'],
  [
    'communications',
    'Communications',
    'Public electronic communications networks and services, internet infrastructure, submarine cables and satellite ground stations.',
  ],
  [
    'computing_hardware',
    'Computing Hardware',
    'Design, production or IP of processing units, their instruction set architectures, and the code and roots of trust that control them.',
  ],
  [
    'critical_suppliers_to_government',
    'Critical Suppliers to Government',
    'Suppliers of goods or services to government that handle classified material or are critical to its functions.',
  ],
  [
    'cryptographic_authentication',
    'Cryptographic Authentication',
    'Products and services that use cryptography for authentication in security-critical uses (e.g. identity, payments, secure access).',
  ],
  [
    'data_infrastructure',
    'Data Infrastructure',
    'Data centres, cloud and data storage or processing infrastructure serving the public sector or critical operators.',
  ],
  ['defence', 'Defence', 'Suppliers to the Ministry of Defence or allied forces, and holders of defence-related classified information or technology.'],
  ['energy', 'Energy', 'Generation, transmission, distribution, storage and supply of electricity, gas, oil and the upstream petroleum infrastructure.'],
  [
    'military_and_dual_use',
    'Military and Dual-Use',
    'Goods, software and technology on the UK Strategic Export Control Lists (military items and dual-use items), and their development.',
  ],
  [
    'quantum_technologies',
    'Quantum Technologies',
    'Quantum computing or simulation, quantum imaging, sensing, timing and navigation, quantum communications, and quantum-resistant cryptography.',
  ],
  [
    'satellite_and_space_technologies',
    'Satellite and Space Technologies',
    'Satellites and spacecraft, their components, ground segments, launch, and space-based data services.',
  ],
  [
    'suppliers_to_the_emergency_services',
    'Suppliers to the Emergency Services',
    'Suppliers of goods, systems and services that the police, fire, ambulance and other emergency services rely on.',
  ],
  [
    'synthetic_biology',
    'Synthetic Biology',
    'Designing, engineering or modifying organisms or biological systems, and related tools such as gene synthesis and editing.',
  ],
  ['transport', 'Transport', 'Ports, harbours, airports, air traffic control and other transport infrastructure and operators of national significance.'],
];
export const NSI_AREA_OPTIONS: Option[] = NSI_AREAS_DESCRIBED.map(([value, label, description]) => ({ value, label, description }));

export const ACTIVITY_OPTIONS = opts({
  research_for_international_partner: 'Research on behalf of an international partner',
  international_collaboration: 'International collaboration',
  conference_presentation_abroad: 'Conference presentation abroad',
  export_or_shipment: 'Export or shipment of materials',
  teaching: 'Teaching (including remote teaching of overseas students)',
  academic_exchange: 'Academic exchange / visiting researcher',
  hosting_visitors: 'Hosting visitors',
  consultancy: 'Consultancy',
  travel: 'Travel',
  ip_licence_or_spin_out: 'IP licence or spin-out',
});

export const FUNDING_TYPE_OPTIONS = opts({
  uk_public: 'UK public funder (UKRI, government department)',
  charity: 'Charity or foundation',
  university: "The university's own funds",
  uk_company: 'UK company',
  foreign_government_civil: 'Foreign government (civil)',
  foreign_company: 'Foreign company',
  defence: 'Defence or security funder (any country)',
  none: 'Unfunded',
});

export const TECHNOLOGY_READINESS_OPTIONS = opts({
  basic_research: 'Basic research: fundamental principles, no practical aim yet',
  applied_research: 'Applied research: a practical aim, not yet demonstrated',
  prototype: 'Prototype or demonstrator',
  near_market: 'Close to application or product',
});

export const PUBLICATION_OPTIONS = opts({
  public_domain: 'Results will be published openly, without restriction (public domain)',
  basic_research: 'Basic scientific research (no practical application intended)',
  restricted: 'Publication restricted or subject to partner approval',
  unsure: 'Not yet known',
});

/**
 * Version 3 (issue 13, rule 1): the researcher says what is true, "already published" or
 * "will be published"; neither is the public-domain exemption, which only an
 * export-control officer records, with the DOI or link (GOV.UK "Export controls applying
 * to academic research": intention to publish does not put technology in the public domain).
 */
export const PUBLICATION_OPTIONS_V3 = opts({
  already_published: 'Already published, available to anyone without restriction',
  will_be_published: 'Will be published openly (not yet published)',
  restricted: 'Publication restricted or subject to partner approval',
  unsure: 'Not yet known',
});

export const DATA_STORAGE_OPTIONS = opts({
  university_systems: "The university's own systems (in the UK)",
  uk_cloud: 'A contracted cloud service hosted in the UK',
  cloud_outside_uk: 'A cloud service hosted outside the UK',
  partner_systems: "The partner's systems",
  no_data: 'No project data is held',
});

export const DATA_SHARING_CHANNEL_OPTIONS = opts({
  none: 'Nothing is shared',
  university_platform: 'A university-managed file-sharing or collaboration platform',
  partner_platform: "The partner's platform",
  institutional_email: 'Institutional email',
  personal_accounts: 'Personal email, messaging apps or personal file-sharing accounts',
  physical_media: 'Physical media (drives, devices) carried or posted',
});

export const YES_NO_OPTIONS = opts({ yes: 'Yes', no: 'No' });
export const YES_NO_UNSURE_OPTIONS = opts({ yes: 'Yes', no: 'No', unsure: 'Not sure' });

/** UK GDPR Chapter V mechanisms for a restricted transfer of personal data. */
export const TRANSFER_MECHANISM_OPTIONS = opts({
  adequacy: 'UK adequacy regulations cover the destination',
  idta: 'International Data Transfer Agreement (IDTA)',
  addendum: "UK Addendum to the EU's standard contractual clauses",
  exception: 'An exception (e.g. explicit consent), for occasional transfers',
  none_yet: 'None in place yet',
});

export const EXPORT_ITEM_OPTIONS = opts({
  equipment: 'Equipment',
  materials: 'Materials or samples',
  software: 'Software',
  technical_data: 'Technical data or know-how',
});

export const PERSONAL_DATA_OPTIONS = opts({
  none: 'No personal data',
  personal: 'Personal data',
  special_category: 'Special-category (sensitive) personal data',
});

export const RESULTS_OWNERSHIP_OPTIONS = opts({
  university: 'The university',
  partner: 'The partner',
  joint: 'Jointly',
  funder: 'The funder',
});

export const EXPLOITATION_OPTIONS = opts({
  none: 'No commercial exploitation planned',
  licence: 'Licence of IP',
  ip_assignment: 'Assignment of IP',
  spin_out: 'Spin-out company or equity',
});

export const PARTNER_ACCESS_OPTIONS = opts({
  none: 'No access',
  remote: 'Remote access to university systems or data',
  visitors_in_labs: 'Partner staff work in our labs',
  controlled_technology: 'Access to controlled technology or restricted facilities',
});

export const RED_FLAG_OPTIONS = opts({
  cold_approach: 'Cold approach',
  unclear_end_user: 'Unclear end user',
  terms_better_than_norms: 'Terms better than UK norms',
  agent_hiding_client: 'An agent hiding its client',
  evasive_end_use: 'Evasive about end use',
  excessive_confidentiality: 'Excessive confidentiality',
  odd_shipping: 'Odd shipping or labelling requests',
});

export const PARTNER_TYPE_OPTIONS = opts({
  university: 'University',
  research_institute: 'Research institute',
  company: 'Company',
  government_body: 'Government body',
  military_or_defence: 'Military or defence-linked body',
  charity: 'Charity',
});

export const YES_NO_UNSURE = ['yes', 'no', 'unsure'] as const;
export type YesNoUnsure = (typeof YES_NO_UNSURE)[number];

const q = (id: string, kind: QuestionKind, label: string, why: string, required = true, options?: readonly Option[]): QuestionDef => ({
  id,
  kind,
  label,
  why,
  required,
  ...(options ? { options } : {}),
});
const check = (id: string, label: string, why: string): QuestionDef => ({
  id,
  kind: 'yes_no_unsure',
  label,
  why,
  required: true,
  checklist: true,
});

const V1_COLLABORATION: SectionDef = {
  id: 'collaboration',
  title: 'The collaboration',
  questions: [
    q('summary', 'longtext', 'Summary', 'Tells the officer what the work is before anything else.'),
    q('partners', 'partners', 'Partners', 'Every partner is screened against restricted-party lists.'),
    q('activityTypes', 'multi', 'Activity types', 'Each activity carries its own export and security risks.', true, ACTIVITY_OPTIONS),
    q('sensitiveAreas', 'multi', 'NSI Act sensitive areas', 'Work in the 17 NSI areas needs closer review.', true, NSI_AREA_OPTIONS),
    q('fundingSource', 'text', 'Funding source', 'Funders can gain rights over results.'),
    q('startDate', 'date', 'Start date', 'Sets the review timetable.'),
    q('endDate', 'date', 'End date', 'Sets the re-screening date.', false),
  ],
};

/** Version 1: the minimal intake the product launched with (free-text data and people). */
export const QUESTIONNAIRE_V1: QuestionnaireDefinition = {
  version: 1,
  title: 'Trusted Research self-assessment (minimal intake)',
  sections: [
    V1_COLLABORATION,
    {
      id: 'free_text',
      title: 'Data and people',
      questions: [
        q('dataSharing', 'longtext', 'Data sharing', 'What leaves the university and how.', false),
        q('people', 'longtext', 'People', 'Who takes part and where they are based.', false),
      ],
    },
  ],
};

/**
 * Version 2: the structured intake, with the CPNI/NPSA academia checklist grouped as
 * universities and UKRI group it. Answers to a checklist question are yes / no / unsure
 * plus a comment; "yes" or "unsure" is the answer that raises a concern.
 */
export const QUESTIONNAIRE_V2: QuestionnaireDefinition = {
  version: 2,
  title: 'Trusted Research self-assessment',
  sections: [
    {
      ...V1_COLLABORATION,
      questions: [
        ...V1_COLLABORATION.questions.slice(0, 4),
        q('fundingType', 'choice', 'Kind of funder', 'Defence funders and funders seeking control raise the risk.', true, FUNDING_TYPE_OPTIONS),
        ...V1_COLLABORATION.questions.slice(4),
        q('fundingAmount', 'money', 'Funding amount (GBP)', 'The size of the award sets how much scrutiny is proportionate.', false),
      ],
    },
    {
      id: 'technology',
      title: 'Technology',
      questions: [
        q(
          'technologyReadiness',
          'choice',
          'How close to application',
          'Applied work is more likely to be controlled than basic research.',
          true,
          TECHNOLOGY_READINESS_OPTIONS,
        ),
        q(
          'publication',
          'choice',
          'Publication of results',
          'Public-domain and basic-research exemptions cover only open, fundamental work.',
          true,
          PUBLICATION_OPTIONS,
        ),
        q(
          'exportsFromUk',
          'multi',
          'What leaves the UK',
          'Any transfer abroad (shipment, email, cloud, a laptop, a talk) is an export.',
          true,
          EXPORT_ITEM_OPTIONS,
        ),
        q(
          'controlListCandidates',
          'multi',
          'Candidate control-list entries (e.g. 5E002, ML22)',
          'Helps the export-control officer start the classification.',
          false,
        ),
      ],
    },
    {
      id: 'data_ip',
      title: 'Data and intellectual property',
      questions: [
        q('personalData', 'choice', 'Personal data', 'Personal data leaving the UK needs a lawful basis and safeguards.', true, PERSONAL_DATA_OPTIONS),
        q('resultsOwnership', 'choice', 'Who owns the results', 'Partner ownership can restrict publication and use.', true, RESULTS_OWNERSHIP_OPTIONS),
        q(
          'commercialExploitation',
          'choice',
          'Commercial exploitation',
          'IP licences and equity in NSI areas can fall under the NSI Act.',
          true,
          EXPLOITATION_OPTIONS,
        ),
        q(
          'partnerAccess',
          'choice',
          'Partner access to our systems or labs',
          'Access to labs or controlled technology is itself a transfer.',
          true,
          PARTNER_ACCESS_OPTIONS,
        ),
      ],
    },
    {
      id: 'partner_suitability',
      title: 'Partner suitability',
      questions: [
        check(
          'ps_adverse_information',
          'Is there public information about the partner that gives cause for concern (adverse media, sanctions, legal action)?',
          'Due diligence starts with what is already public.',
        ),
        check(
          'ps_state_links',
          'Does the partner, or its parent, have links to military, police, intelligence or state bodies?',
          'Such links can redirect results to military or security use.',
        ),
        check(
          'ps_state_compulsion',
          'Could the state where the partner or its parent is based compel it to hand over information?',
          'Some national laws oblige organisations to assist state intelligence work.',
        ),
        check(
          'ps_control_expected',
          'Does the partner expect control of the research direction, or ownership of data or IP, in return?',
          'Control over direction or results shifts risk onto the university.',
        ),
        check(
          'ps_conflict_of_interest',
          'Does anyone involved have a conflict of interest, or would the work breach an existing agreement?',
          'Undeclared interests and breached agreements are common sources of harm.',
        ),
        check(
          'ps_misuse',
          'Could the results be misused for military ends, internal repression or surveillance?',
          'An end-use concern removes the export-control exemptions.',
        ),
        check(
          'ps_wmd_end_use',
          'Do you know, suspect or have you been told that the results may be used for weapons of mass destruction?',
          'WMD end use is caught by catch-all controls, whatever the item.',
        ),
        q('redFlags', 'multi', 'Red flags seen', 'Each of these is a published warning sign of illicit procurement.', true, RED_FLAG_OPTIONS),
      ],
    },
    {
      id: 'information_sharing',
      title: 'Information and knowledge sharing',
      questions: [
        check('is_controlled_items', 'Could anything shared appear on the UK Strategic Export Control Lists?', 'Listed items need a licence to leave the UK.'),
        check('is_us_origin', 'Does the work involve US-origin items, software or technology?', 'US re-export rules apply, and the US Entity List matters.'),
        check('is_atas', 'Will anyone joining the project need an ATAS certificate?', 'ATAS takes about 30 working days and must precede the visa.'),
        check('is_devices_travel', 'Will devices holding project data travel to high-risk countries?', 'Devices can be searched or copied at borders.'),
      ],
    },
    {
      id: 'intellectual_assets',
      title: 'Protecting intellectual assets',
      questions: [
        check(
          'ia_patent_first',
          'Does IP need protecting (for example by a patent) before results are published?',
          'Publication before filing destroys patent rights.',
        ),
        check(
          'ia_no_agreement',
          'Is the work going ahead without a collaboration agreement covering IP, data, publication and use of results?',
          'Without an agreement nothing limits how the partner uses results.',
        ),
        check(
          'ia_nsi_asset',
          'Will IP in an NSI area be licensed or assigned, or spin-out equity granted?',
          'Asset deals in NSI areas can be called in under the NSI Act.',
        ),
      ],
    },
    {
      id: 'researcher_safety',
      title: 'Researcher safety',
      questions: [
        check(
          'rs_approaches',
          'Have you been approached at conferences or through talent programmes in connection with this work?',
          'Approaches are a known route for targeting researchers.',
        ),
      ],
    },
  ],
};

const V2_SECTION = (id: string) => QUESTIONNAIRE_V2.sections.find((x) => x.id === id)!;
const withReplaced = (questions: readonly QuestionDef[], id: string, by: QuestionDef): QuestionDef[] => questions.map((x) => (x.id === id ? by : x));

/**
 * Version 3 (issue 13): what the partner gains, where data is stored and how it is shared,
 * personal data leaving the UK and the transfer mechanism, the technology-transfer
 * office, funders as structured entries (screenable parties), and the Foreign Influence
 * Registration Scheme; publication is asked as "already / will be published". Versions 1
 * and 2 stay, so old cases render with the questions they were asked.
 */
export const QUESTIONNAIRE_V3: QuestionnaireDefinition = {
  version: 3,
  title: 'Trusted Research self-assessment',
  sections: [
    {
      ...V2_SECTION('collaboration'),
      questions: [
        ...V2_SECTION('collaboration').questions.slice(0, 2),
        q('partnerGains', 'longtext', 'What the partner gains', 'What the partner takes away (data, know-how, access, IP, people) is what could be misused.'),
        ...V2_SECTION('collaboration').questions.slice(2),
        q(
          'funders',
          'funders',
          'Funders (name, country, kind)',
          'Each funder is a party: its country and kind are scored, and it can be screened like a partner.',
        ),
      ],
    },
    {
      ...V2_SECTION('technology'),
      questions: withReplaced(
        V2_SECTION('technology').questions,
        'publication',
        q(
          'publication',
          'choice',
          'Publication of results',
          'Only technology already available without restriction is in the public domain; intending to publish is not enough, and the export-control officer decides any exemption.',
          true,
          PUBLICATION_OPTIONS_V3,
        ),
      ),
    },
    {
      ...V2_SECTION('data_ip'),
      questions: [
        ...V2_SECTION('data_ip').questions,
        q(
          'dataStorage',
          'choice',
          'Where project data is stored',
          "Data held abroad or on partner systems is outside the university's control.",
          true,
          DATA_STORAGE_OPTIONS,
        ),
        q(
          'dataSharingChannel',
          'choice',
          'How data is shared with the partner',
          'Personal accounts and physical media leave no record and are easily lost or copied.',
          true,
          DATA_SHARING_CHANNEL_OPTIONS,
        ),
        q(
          'personalDataLeavesUk',
          'choice',
          'Does personal data leave the UK?',
          'A restricted transfer needs a UK GDPR transfer mechanism.',
          true,
          YES_NO_OPTIONS,
        ),
        q(
          'personalDataTransferMechanism',
          'choice',
          'Transfer mechanism for personal data leaving the UK',
          'Needed when personal data leaves the UK.',
          false,
          TRANSFER_MECHANISM_OPTIONS,
        ),
        q(
          'techTransferOfficeInvolved',
          'choice',
          'Is the technology-transfer office involved?',
          'IP deals agreed without the TTO can give away rights or breach the NSI Act.',
          true,
          YES_NO_UNSURE_OPTIONS,
        ),
      ],
    },
    V2_SECTION('partner_suitability'),
    V2_SECTION('information_sharing'),
    V2_SECTION('intellectual_assets'),
    V2_SECTION('researcher_safety'),
    {
      id: 'foreign_influence',
      title: 'Foreign influence registration',
      questions: [
        q(
          'firsConnection',
          'choice',
          'Is any partner, funder or person directing this work connected to a foreign power or entity specified in the enhanced tier of the Foreign Influence Registration Scheme (currently Iran and Russia)?',
          'Since 1 July 2025 such arrangements must be registered before the activity starts; approval waits for the registration reference.',
          true,
          YES_NO_UNSURE_OPTIONS,
        ),
        q('firsRegistrationReference', 'text', 'FIRS registration reference', 'Recorded on the case; approval waits for it when FIRS applies.', false),
      ],
    },
  ],
};

export const QUESTIONNAIRES: Readonly<Record<number, QuestionnaireDefinition>> = { 1: QUESTIONNAIRE_V1, 2: QUESTIONNAIRE_V2, 3: QUESTIONNAIRE_V3 };
export const CURRENT_QUESTIONNAIRE_VERSION = 3;

export function questionnaire(version: number): QuestionnaireDefinition {
  const def = QUESTIONNAIRES[version];
  if (!def) throw new Error(`No questionnaire version ${version}.`);
  return def;
}

export function allQuestions(def: QuestionnaireDefinition): QuestionDef[] {
  return def.sections.flatMap((s) => s.questions);
}

/** Keys (top level of CaseAnswers) that only version 2 asks. */
export const V2_ONLY_KEYS: ReadonlySet<string> = new Set([
  ...allQuestions(QUESTIONNAIRE_V2)
    .filter((x) => !x.checklist)
    .map((x) => x.id)
    .filter((id) => !allQuestions(QUESTIONNAIRE_V1).some((y) => y.id === id)),
  'checklist',
]);

/** Keys only version 3 asks, and publication answers only version 3 offers. */
export const V3_ONLY_KEYS: ReadonlySet<string> = new Set(
  allQuestions(QUESTIONNAIRE_V3)
    .map((x) => x.id)
    .filter((id) => !allQuestions(QUESTIONNAIRE_V2).some((y) => y.id === id)),
);
const V3_ONLY_PUBLICATION: ReadonlySet<string> = new Set(
  PUBLICATION_OPTIONS_V3.map((o) => o.value).filter((v) => !PUBLICATION_OPTIONS.some((o) => o.value === v)),
);

/**
 * Which version a set of answers is written against. Drafts are created without a
 * version choice (see README: a client answering any version-2 question is on version
 * 2), so the answers themselves tell; submit records the result on the case.
 */
export function questionnaireVersionOf(answers: object): number {
  const keys = Object.keys(answers);
  if (keys.some((k) => V3_ONLY_KEYS.has(k)) || V3_ONLY_PUBLICATION.has(String((answers as { publication?: unknown }).publication))) return 3;
  return keys.some((k) => V2_ONLY_KEYS.has(k)) ? 2 : 1;
}

export interface RenderedItem {
  id: string;
  label: string;
  why: string;
  value: string | null;
  comment?: string;
}
export interface RenderedSection {
  id: string;
  title: string;
  items: RenderedItem[];
}

function display(question: QuestionDef, value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null;
  const label = (v: unknown) => question.options?.find((o) => o.value === v)?.label ?? String(v);
  switch (question.kind) {
    case 'multi':
      return Array.isArray(value) ? (value.length ? value.map(label).join('; ') : 'None') : String(value);
    case 'choice':
      return label(value);
    case 'partners':
      return Array.isArray(value)
        ? value
            .map((p: { name?: string; country?: string; type?: string; individuals?: { name: string }[] }) => {
              const people = p.individuals?.length ? `; people: ${p.individuals.map((i) => i.name).join(', ')}` : '';
              return `${p.name ?? '?'} (${p.country ?? '?'}, ${PARTNER_TYPE_OPTIONS.find((o) => o.value === p.type)?.label ?? p.type ?? '?'}${people})`;
            })
            .join('; ')
        : String(value);
    case 'funders':
      return Array.isArray(value)
        ? value.length
          ? value
              .map(
                (f: { name?: string; country?: string; type?: string }) =>
                  `${f.name ?? '?'} (${f.country ?? '?'}, ${FUNDING_TYPE_OPTIONS.find((o) => o.value === f.type)?.label ?? f.type ?? '?'})`,
              )
              .join('; ')
          : 'None'
        : String(value);
    case 'date':
      return typeof value === 'string' ? formatDate(value) : String(value);
    case 'money':
      return typeof value === 'number' ? `£${value.toLocaleString('en-GB')}` : String(value);
    default:
      return typeof value === 'string' ? value : JSON.stringify(value);
  }
}

/**
 * The answers laid out under the questions of the version they were given against.
 * Answers to questions that version does not know are kept, under "Other answers",
 * so nothing a researcher said disappears from the page.
 */
export function renderAnswers(def: QuestionnaireDefinition, answers: Record<string, unknown>): RenderedSection[] {
  const checklist = (answers.checklist ?? {}) as Record<string, { answer?: string; comment?: string }>;
  const known = new Set<string>();
  const sections: RenderedSection[] = def.sections.map((s) => ({
    id: s.id,
    title: s.title,
    items: s.questions.map((question) => {
      if (question.checklist) {
        known.add('checklist');
        const a = checklist[question.id];
        return { id: question.id, label: question.label, why: question.why, value: a?.answer ?? null, ...(a?.comment ? { comment: a.comment } : {}) };
      }
      known.add(question.id);
      return { id: question.id, label: question.label, why: question.why, value: display(question, answers[question.id]) };
    }),
  }));
  const others = Object.keys(answers).filter((k) => !known.has(k));
  if (others.length) {
    sections.push({
      id: 'other',
      title: 'Other answers',
      items: others.map((k) => ({ id: k, label: k, why: '', value: typeof answers[k] === 'string' ? (answers[k] as string) : JSON.stringify(answers[k]) })),
    });
  }
  return sections;
}
