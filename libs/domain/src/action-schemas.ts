import { REJECTION_CATEGORIES, RISK_LEVELS } from './states';
import type { ActionName } from './transitions';

/**
 * A plain JSON Schema (draft-07 subset) object. A type alias rather than an interface
 * so it stays assignable to ajv's index-signature SchemaObject.
 */
export type JsonSchema = {
  title?: string;
  description?: string;
  type?: 'object' | 'string' | 'integer' | 'number' | 'boolean' | 'array';
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean;
  enum?: string[];
  format?: 'uuid' | 'date' | 'date-time' | 'email';
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  items?: JsonSchema;
  maxItems?: number;
};

export const TRIAGE_ROUTES = ['officer_approval', 'head_sign_off', 'export_review_then_sign_off'] as const;
export type TriageRoute = (typeof TRIAGE_ROUTES)[number];

export const EXPORT_REVIEW_OUTCOMES = [
  'no_licence_required',
  'ogel',
  'licence_required',
  'licence_granted',
  'not_listed',
] as const;
export type ExportReviewOutcome = (typeof EXPORT_REVIEW_OUTCOMES)[number];

export const FLAG_RESOLUTIONS = ['false_positive', 'resolved'] as const;
export type FlagResolution = (typeof FLAG_RESOLUTIONS)[number];

// Generous but bounded: unbounded text lets one request bloat the audit chain.
const SHORT_TEXT = 4000;
const LONG_TEXT = 20000;

const text = (title: string, description: string, maxLength = SHORT_TEXT, minLength?: number): JsonSchema => ({
  type: 'string',
  title,
  description,
  ...(minLength === undefined ? {} : { minLength }),
  maxLength,
});
const required = (title: string, description: string, maxLength = SHORT_TEXT): JsonSchema =>
  text(title, description, maxLength, 1);
const uuid = (title: string, description: string): JsonSchema => ({ type: 'string', format: 'uuid', title, description });
const date = (title: string, description: string): JsonSchema => ({ type: 'string', format: 'date', title, description });
const choice = (title: string, description: string, values: readonly string[]): JsonSchema => ({
  type: 'string',
  enum: [...values],
  title,
  description,
});

function body(title: string, description: string, properties: Record<string, JsonSchema>, req: string[] = []): JsonSchema {
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
    required: req,
    additionalProperties: false,
  };
}

const triageProperties = (commentRequired: boolean): Record<string, JsonSchema> => ({
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
});

const conditions: JsonSchema = {
  type: 'array',
  title: 'Conditions',
  description: 'Conditions the researcher must meet, such as a technology control plan or training.',
  maxItems: 20,
  items: {
    type: 'object',
    title: 'Condition',
    description: 'One condition of the approval.',
    properties: {
      text: required('Condition', 'What the researcher must do.', 2000),
      dueDate: date('Due date', 'When the condition must be met, if it has a deadline.'),
    },
    required: ['text'],
    additionalProperties: false,
  },
};
const decisionText = required('Decision', 'The decision and its rationale, as it will be recorded on the case.', LONG_TEXT);
const reviewDate = date('Review date', 'When the collaboration should be screened again.');

/** The body each action accepts; the API validates with ajv and serves these to the UI for its forms. */
export const ACTION_BODY_SCHEMAS: Record<ActionName, JsonSchema> = {
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
      assessment: required('Assessment', 'The classification against the control lists and the reasoning.', LONG_TEXT),
      outcome: choice('Outcome', 'The licensing conclusion.', EXPORT_REVIEW_OUTCOMES),
    },
    ['assessment', 'outcome'],
  ),
  request_sign_off: body(
    'Request head sign-off',
    'Send the proposed decision to the acting signer.',
    { decisionText, conditions, reviewDate },
    ['decisionText'],
  ),
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
      reasonCategory: choice('Reason category', 'The kind of reason for the rejection.', REJECTION_CATEGORIES),
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
    { description: required('Description', 'What changes in the collaboration.', LONG_TEXT) },
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
};
