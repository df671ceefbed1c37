import { CONTROL_ENTRY_PATTERN, END_USE_CONCERNS, EXEMPTIONS, EXPORT_REVIEW_OUTCOMES, ITEM_KINDS, LICENCE_TYPES } from './export-control';
import { REJECT_REASON_CATEGORIES, RISK_LEVELS, SUSPENSION_REASONS } from './states';
import type { ActionName } from './transitions';

/**
 * A plain JSON Schema (draft-07 subset) object. A type alias rather than an interface
 * so it stays assignable to ajv's index-signature SchemaObject.
 */
export type JsonSchema = {
  readonly title?: string;
  readonly description?: string;
  readonly type?: 'object' | 'string' | 'integer' | 'number' | 'boolean' | 'array';
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean;
  readonly enum?: readonly string[];
  readonly format?: 'uuid' | 'date' | 'date-time' | 'email';
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  /** OpenAPI's null as well as the type (ajv reads it too): a PATCH clears the field with null. */
  readonly nullable?: boolean;
  readonly pattern?: string;
  readonly items?: JsonSchema;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly const?: string | boolean;
  /**
   * Conditional fields: each `then` applies while its `if` holds. The API refuses a body
   * that misses what a `then` requires (naming the condition), and the web form marks
   * those fields required and reveals them only while the condition holds
   * (apps/web/src/components/schema-values.ts); both read this one declaration.
   */
  readonly allOf?: readonly JsonSchema[];
  readonly if?: JsonSchema;
  readonly then?: JsonSchema;
};

export const TRIAGE_ROUTES = ['officer_approval', 'head_sign_off', 'export_review_then_sign_off'] as const;
export type TriageRoute = (typeof TRIAGE_ROUTES)[number];
export const TRIAGE_ROUTE_LABELS: Record<TriageRoute, string> = {
  officer_approval: 'Officer approval',
  head_sign_off: 'Head of department sign-off',
  export_review_then_sign_off: 'Export-control review, then sign-off',
};

/** Mitigations a decision can impose (docs/domain.md "Decisions and conditions"). */
export const CONDITION_KINDS = [
  'technology_control_plan',
  'need_to_know_access',
  'segregated_it',
  'contract_clauses',
  'training',
  'travel_device_rules',
  'other',
] as const;
export type ConditionKind = (typeof CONDITION_KINDS)[number];
export const CONDITION_KIND_LABELS: Record<ConditionKind, string> = {
  technology_control_plan: 'Technology control plan',
  need_to_know_access: 'Need-to-know access',
  segregated_it: 'Segregated IT',
  contract_clauses: 'Contract clauses',
  training: 'Training',
  travel_device_rules: 'Travel device rules',
  other: 'Other',
};

export const AMENDMENT_CHANGE_TYPES = ['new_partner', 'scope_change', 'funding_change', 'people_change', 'other'] as const;
export type AmendmentChangeType = (typeof AMENDMENT_CHANGE_TYPES)[number];

export const FLAG_RESOLUTIONS = ['false_positive', 'resolved'] as const;
export type FlagResolution = (typeof FLAG_RESOLUTIONS)[number];

// Generous but bounded: unbounded text lets one request bloat the audit chain.
const SHORT_TEXT = 4000;
const LONG_TEXT = 20000;

// The helpers keep literal types (`type: 'string'`, the enum's values, the required keys),
// so each action's body type is derived from its schema (ActionBody in apps/api/src/cases/effects).
const text = (title: string, description: string, maxLength = SHORT_TEXT, minLength?: number) => ({
  type: 'string' as const,
  title,
  description,
  ...(minLength === undefined ? {} : { minLength }),
  maxLength,
});
const required = (title: string, description: string, maxLength = SHORT_TEXT) => text(title, description, maxLength, 1);
const uuid = (title: string, description: string) => ({ type: 'string', format: 'uuid', title, description }) as const;
const date = (title: string, description: string) => ({ type: 'string', format: 'date', title, description }) as const;
const choice = <const V extends readonly string[]>(title: string, description: string, values: V) => ({
  type: 'string' as const,
  enum: values,
  title,
  description,
});

/** A text answer that is there and not blank, once a condition asks for it. */
const NOT_BLANK = { type: 'string', pattern: '\\S' } as const satisfies JsonSchema;

/** `then` while `field` holds one of `values`: the conditional part of a body, for the API and the form alike. */
const when = <const V extends readonly string[], const T extends JsonSchema>(field: string, values: V, then: T) =>
  ({ if: { properties: { [field]: { enum: values } }, required: [field] }, then }) as const satisfies JsonSchema;

/** These fields must be given (and not blank): the `then` of a condition. */
const needs = <const N extends readonly string[]>(...names: N) =>
  ({ type: 'object', required: names, properties: Object.fromEntries(names.map((n) => [n, NOT_BLANK])) }) as const satisfies JsonSchema;

function body<const P extends Readonly<Record<string, JsonSchema>>, const R extends readonly (keyof P & string)[] = []>(
  title: string,
  description: string,
  properties: P,
  req?: R,
  conditions?: readonly JsonSchema[],
) {
  return {
    type: 'object',
    title,
    description,
    properties: {
      ...properties,
      expectedVersion: {
        type: 'integer',
        minimum: 1,
        title: 'Expected version',
        description: 'The case version the client last saw; the action is refused if the case has changed since.',
      },
    },
    required: (req ?? []) as R,
    additionalProperties: false,
    ...(conditions ? { allOf: conditions } : {}),
  } as const satisfies JsonSchema;
}

const triageProperties = (commentRequired: boolean) =>
  ({
    riskLevel: choice('Risk level', 'The risk level the officer settles on, which decides the route.', RISK_LEVELS),
    exportControlRelevant: {
      type: 'boolean',
      title: 'Export control relevant',
      description: 'Whether controlled goods, software or technology may be transferred outside the UK.',
    },
    route: choice('Route', 'How the case proceeds after triage.', TRIAGE_ROUTES),
    comment: commentRequired
      ? required('Comment', 'Why the case is being re-triaged.')
      : text('Comment', 'Needed when the officer overrides the proposed risk level or route.'),
    firs: {
      type: 'object',
      title: 'Foreign Influence Registration Scheme',
      description: 'Where FIRS applies: the registration reference, or why the scheme does not apply. Kept on later re-triages unless given again.',
      properties: {
        registrationReference: text('FIRS registration reference', 'The reference of the FIRS registration.', 100),
        notApplicableReason: text('Why FIRS does not apply', "The officer's reason the arrangement is not registrable.", 2000),
      },
      additionalProperties: false,
    },
  }) as const;

const conditions = {
  type: 'array',
  title: 'Conditions',
  description: 'Conditions the researcher must meet, such as a technology control plan or training.',
  maxItems: 20,
  items: {
    type: 'object',
    title: 'Condition',
    description: 'One condition of the approval.',
    properties: {
      kind: choice('Kind', 'The kind of mitigation.', CONDITION_KINDS),
      text: required('Condition', 'What the researcher must do.', 2000),
      dueDate: date('Due date', 'When the condition must be met, if it has a deadline; a reminder is set for it.'),
    },
    required: ['text'],
    additionalProperties: false,
  },
} as const satisfies JsonSchema;
const exportItems = {
  type: 'array',
  title: 'Items',
  description: 'Each item of technology, software, technical data or material that may leave the UK or be shared with a foreign national in the UK.',
  maxItems: 50,
  items: {
    type: 'object',
    title: 'Item',
    description: 'One item and its candidate classification.',
    properties: {
      description: required('Description', 'What the item is.', 2000),
      kind: choice('Kind', 'What sort of item it is.', ITEM_KINDS),
      destinationCountry: {
        type: 'string',
        pattern: '^[A-Z]{2}$',
        maxLength: 2,
        title: 'Destination country',
        description: 'Where the recipient is, as a two-letter ISO code (the location matters, not nationality).',
      },
      foreignNationalInUk: {
        type: 'boolean',
        title: 'Foreign national in the UK',
        description: 'Shared with a foreign national in the UK rather than sent abroad.',
      },
      controlEntry: {
        type: 'string',
        pattern: CONTROL_ENTRY_PATTERN,
        maxLength: 40,
        title: 'Control-list entry',
        description: 'Candidate entry: ML1-ML22, PL + four digits, or dual-use category 0-9 + group A-E + three digits (e.g. 5A002, 3E001).',
      },
      notListed: { type: 'boolean', title: 'Not listed', description: 'The item matches no control-list entry.' },
    },
    required: ['description', 'destinationCountry'],
    additionalProperties: false,
  },
} as const satisfies JsonSchema;
const exportExemptions = {
  type: 'array',
  title: 'Exemptions considered',
  description: 'Exemptions for dual-use technology and software; they fall away with an end-use concern.',
  maxItems: 10,
  items: {
    type: 'object',
    title: 'Exemption',
    description: 'One exemption considered and the reasoning.',
    properties: {
      exemption: choice('Exemption', 'Which exemption.', EXEMPTIONS),
      applies: { type: 'boolean', title: 'Applies', description: 'Whether the officer concludes it applies.' },
      reasoning: required('Reasoning', "The officer's reasoning.", SHORT_TEXT),
      evidence: text(
        'Evidence',
        'Public domain: the DOI or link where the technology is already published without restriction (intending to publish is not enough; GOV.UK, Export controls applying to academic research).',
        500,
      ),
    },
    required: ['exemption', 'applies', 'reasoning'],
    // docs/legal-rules.md rule 1: a public-domain exemption the officer applies carries its evidence.
    if: { properties: { exemption: { const: 'public_domain' }, applies: { type: 'boolean', const: true } }, required: ['exemption', 'applies'] },
    then: needs('evidence'),
    additionalProperties: false,
  },
} as const satisfies JsonSchema;
const endUseConcern = {
  type: 'object',
  title: 'End-use concern',
  description: 'Catch-all controls: WMD end use, or military end use in an arms-embargoed destination.',
  properties: {
    concern: { type: 'boolean', title: 'Concern', description: 'Whether there is an end-use concern.' },
    kind: choice('Kind', 'Which catch-all concern.', END_USE_CONCERNS),
    note: text('Note', 'What gives rise to the concern.'),
  },
  required: ['concern'],
  additionalProperties: false,
} as const satisfies JsonSchema;
const licenceDetails = {
  type: 'object',
  title: 'Licence',
  description: 'The individual licence: applied for, granted or refused.',
  properties: {
    type: choice('Licence type', 'SIEL or OIEL.', LICENCE_TYPES),
    reference: text('Reference', 'The licence or application reference.', 100),
    appliedOn: date('Applied on', 'When the application was made.'),
    grantedOn: date('Granted on', 'When the licence was granted.'),
    expiresOn: date('Expires on', 'When the licence expires; a reminder is set before it.'),
    conditions: text('Licence conditions', 'Conditions attached to the licence.'),
  },
  additionalProperties: false,
} as const satisfies JsonSchema;
const decisionText = required('Decision', 'The decision and its rationale, as it will be recorded on the case.', LONG_TEXT);
const reviewDate = date('Review date', 'When the collaboration should be screened again.');

/** The body each action accepts; the API validates with ajv and serves these to the UI for its forms. */
export const ACTION_BODY_SCHEMAS = {
  submit: body('Submit', 'Submit the completed questionnaire for review.', {}),
  assign: body(
    'Assign officer',
    'Make an officer accountable for the case.',
    { assigneeId: uuid('Officer', 'The RSDO officer who becomes accountable for the case.') },
    ['assigneeId'],
  ),
  triage: body('Triage', 'Record the risk level and route.', triageProperties(false), ['riskLevel', 'exportControlRelevant']),
  retriage: body('Re-triage', 'Triage the case again after a decline or a change of answers.', triageProperties(true), [
    'riskLevel',
    'exportControlRelevant',
    'comment',
  ]),
  start_export_review: body(
    'Send to export control',
    'Ask an export-control officer to classify the technology involved.',
    {
      reviewerId: uuid('Reviewer', 'The export-control officer who will review the case.'),
      note: text('Note', 'What the reviewer should look at.'),
    },
    ['reviewerId'],
  ),
  complete_export_review: body(
    'Complete export-control review',
    'Record the export-control assessment.',
    {
      assessment: required('Assessment', 'Summary of the classification and the reasoning behind the outcome.', LONG_TEXT),
      items: exportItems,
      exemptions: exportExemptions,
      endUseConcern: endUseConcern,
      outcome: choice(
        'Outcome',
        'The licensing conclusion. licence_required, licence_applied and licence_refused hold the stage: it completes only once a licence is granted (or the case is rejected).',
        EXPORT_REVIEW_OUTCOMES,
      ),
      ogelName: text('Open general licence', 'Which OGEL the export relies on (outcome ogel).', 300),
      ogelRegistrationReference: text('OGEL registration reference', "The institution's registration reference for the OGEL (LITE/SPIRE).", 100),
      ecjuAdviceReference: text(
        'ECJU advice reference',
        'A control list classification or end-user advice reference from ECJU; required for an exemption the list leaves in doubt (ML21, PL entries).',
        100,
      ),
      licence: licenceDetails,
    },
    ['assessment', 'outcome'],
    [
      when('outcome', ['ogel'], needs('ogelName', 'ogelRegistrationReference')),
      when('outcome', ['licence_applied'], { required: ['licence'], properties: { licence: needs('reference') } }),
      when('outcome', ['licence_granted'], {
        required: ['licence'],
        properties: { licence: needs('type', 'reference', 'grantedOn', 'expiresOn', 'conditions') },
      }),
    ],
  ),
  request_sign_off: body('Request head sign-off', 'Send the proposed decision to the acting signer.', { decisionText, conditions, reviewDate }, [
    'decisionText',
  ]),
  endorse: body('Endorse', 'Endorse the proposed decision.', {
    comment: text('Comment', 'Anything the signer wants recorded with the endorsement.'),
  }),
  decline: body(
    'Decline',
    'Send the case back to the officer.',
    { comment: required('Comment', 'Why the proposed decision is declined; the researcher is told.') },
    ['comment'],
  ),
  approve: body('Approve', 'Approve the case.', {
    decisionText: { ...decisionText, description: 'Required when an officer approves a low-risk case directly.' },
    conditions,
    reviewDate,
    comment: text('Comment', 'Anything the approver wants recorded.'),
  }),
  reject: body(
    'Reject',
    'Reject the case.',
    {
      reasonCategory: choice(
        'Reason category',
        'The kind of reason for the rejection (a case not in scope is closed with close_not_in_scope instead).',
        REJECT_REASON_CATEGORIES,
      ),
      reasonText: required('Reason', 'The reason for the rejection, as the researcher will read it.', LONG_TEXT),
    },
    ['reasonCategory', 'reasonText'],
  ),
  request_information: body(
    'Request information',
    'Ask the researcher a question; the clock pauses until they answer.',
    {
      question: required('Question', 'What the researcher needs to tell us.'),
      replyBy: date('Reply by', 'The date by which the researcher should answer.'),
    },
    ['question', 'replyBy'],
  ),
  respond: body(
    'Respond to request',
    'Answer the open request for information.',
    {
      message: required('Message', 'The answer to the question.', LONG_TEXT),
      changes: {
        type: 'object',
        title: 'Changed answers',
        description: 'Questionnaire answers that change with this response; checked against the questionnaire by the service.',
      },
    },
    ['message'],
  ),
  extend_deadline: body(
    'Extend reply deadline',
    'Give the researcher more time to answer.',
    { replyBy: date('Reply by', 'The new date by which the researcher should answer.') },
    ['replyBy'],
  ),
  cancel_request: body('Cancel information request', 'Withdraw the question; the case returns to where it was.', {
    comment: text('Comment', 'Why the request is cancelled.'),
  }),
  withdraw: body('Withdraw', 'Withdraw the case.', { reason: text('Reason', 'Why the case is withdrawn.') }),
  record_condition_met: body(
    'Record condition met',
    'Record that a condition of the approval has been met.',
    {
      conditionIndex: {
        type: 'integer',
        minimum: 0,
        title: 'Condition',
        description: 'The position of the condition in the decision, counting from 0.',
      },
      note: text('Note', 'Evidence that the condition has been met.'),
    },
    ['conditionIndex'],
  ),
  request_amendment: body(
    'Request amendment',
    'Ask for a change of scope; this opens a linked case.',
    {
      description: required('Description', 'What changes in the collaboration.', LONG_TEXT),
      changeType: choice('Kind of change', 'What kind of change this is.', AMENDMENT_CHANGE_TYPES),
    },
    ['description'],
  ),
  flag: body(
    'Raise flag',
    'Record a concern on the case.',
    {
      reason: required('Reason', 'What the concern is, e.g. a screening hit to check.'),
      blocking: { type: 'boolean', title: 'Blocking', description: 'Whether the case may not be approved until the flag is cleared.' },
    },
    ['reason', 'blocking'],
  ),
  clear_flag: body(
    'Clear flag',
    'Resolve an open flag.',
    {
      flagId: uuid('Flag', 'The flag being cleared.'),
      resolution: choice('Resolution', 'Whether the flag was a false positive or has been resolved.', FLAG_RESOLUTIONS),
      reason: required('Reason', 'Why the flag can be cleared.'),
    },
    ['flagId', 'resolution', 'reason'],
  ),
  close_not_in_scope: body(
    'Close: not in scope',
    'Close the case without a review: the collaboration is outside the scope of trusted-research review. This is not a rejection.',
    { reason: required('Reason', 'Why no review is needed, as the researcher will read it.', LONG_TEXT) },
    ['reason'],
  ),
  suspend: body(
    'Suspend approval',
    'Suspend an approved collaboration: the researcher and the officer are told that collaboration work must stop.',
    {
      reasonCategory: choice('Reason category', 'The kind of reason for the suspension.', SUSPENSION_REASONS),
      reasonText: required('Reason', 'The reason for the suspension, as the researcher will read it.', LONG_TEXT),
    },
    ['reasonCategory', 'reasonText'],
  ),
  reinstate: body(
    'Reinstate approval',
    'Lift a suspension: the approval applies again (RSDO lead only, not the person who suspended it).',
    { reason: required('Reason', 'Why the approval can apply again, e.g. the licence was renewed.', LONG_TEXT) },
    ['reason'],
  ),
  revoke: body(
    'Revoke approval',
    'Revoke the approval for good: collaboration work must stop; a new case is needed to start again.',
    { reason: required('Reason', 'Why the approval is revoked, as the researcher will read it.', LONG_TEXT) },
    ['reason'],
  ),
} as const satisfies Record<ActionName, JsonSchema>;
