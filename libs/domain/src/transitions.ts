import { ErrorCode } from './errors';
import type { Actor } from './roles';
import type { CaseState, RiskLevel } from './states';

export const ACTIONS = [
  'submit',
  'assign',
  'triage',
  'retriage',
  'start_export_review',
  'complete_export_review',
  'request_sign_off',
  'endorse',
  'decline',
  'approve',
  'reject',
  'request_information',
  'respond',
  'extend_deadline',
  'cancel_request',
  'withdraw',
  'record_condition_met',
  'request_amendment',
  'flag',
  'clear_flag',
  'close_not_in_scope',
  'suspend',
  'reinstate',
  'revoke',
] as const;
export type ActionName = (typeof ACTIONS)[number];

export function isActionName(value: unknown): value is ActionName {
  return typeof value === 'string' && (ACTIONS as readonly string[]).includes(value);
}

export const ACTION_LABELS: Record<ActionName, string> = {
  submit: 'Submit for review',
  assign: 'Assign officer',
  triage: 'Triage',
  retriage: 'Re-triage',
  start_export_review: 'Send to export control',
  complete_export_review: 'Complete export-control review',
  request_sign_off: 'Request head sign-off',
  endorse: 'Endorse',
  decline: 'Decline',
  approve: 'Approve',
  reject: 'Reject',
  request_information: 'Request information',
  respond: 'Respond to request',
  extend_deadline: 'Extend reply deadline',
  cancel_request: 'Cancel information request',
  withdraw: 'Withdraw',
  record_condition_met: 'Record condition met',
  request_amendment: 'Request amendment',
  flag: 'Raise flag',
  clear_flag: 'Clear flag',
  close_not_in_scope: 'Close: not in scope',
  suspend: 'Suspend approval',
  reinstate: 'Reinstate approval',
  revoke: 'Revoke approval',
};

/** An action's name as the person reads it here: withdrawing a draft is deleting it. */
export function actionLabel(name: ActionName, state: string): string {
  return name === 'withdraw' && state === 'draft' ? 'Delete draft' : ACTION_LABELS[name];
}

/** `leadSigns`: the head submitted the case, so any RSDO lead signs instead. */
export interface SignerSet {
  userIds: string[];
  leadSigns: boolean;
}

/** Everything `decide` needs to know about a case; the caller loads it under the row lock. */
export interface CaseFacts {
  state: CaseState;
  ownerId: string;
  assigneeId: string | null;
  triagedById: string | null;
  riskLevel: RiskLevel | null;
  triageStale: boolean;
  exportReviewRequired: boolean;
  exportReviewCompleted: boolean;
  openBlockingFlags: number;
  returnState: CaseState | null;
  /** [] means complete */
  questionnaireMissing: string[];
  /** acting signers right now (computed by the caller with actingSigners()) */
  signers: SignerSet;
  /**
   * The refusal sentence while the Foreign Influence Registration Scheme applies and
   * neither a registration reference nor an officer's "does not apply" is recorded
   * (firsOutstanding()); absent or null when nothing is outstanding.
   */
  firsOutstanding?: string | null;
  /** Codes of the hard risk flags of the latest assessment (risk.ts HardFlag); absent = none. */
  hardFlags?: readonly string[];
  /** The latest assessment says export control is relevant (its export indicator). */
  exportIndicated?: boolean;
  /** Who suspended the approval (null: the licence-expiry timer, or not suspended). */
  suspendedById?: string | null;
  /** The refusal sentence while a visiting researcher's ATAS certificate is outstanding (partners.ts atasOutstanding); absent or null when none. */
  atasOutstanding?: string | null;
  /** The refusal sentence while the PI a case was submitted on behalf of has not confirmed it (partners.ts); absent or null when none. */
  piConfirmationOutstanding?: string | null;
}

export type Decision = { allowed: true; to: CaseState } | { allowed: false; code: ErrorCode; message: string };

/**
 * 'owner': the researcher who owns the case; 'officer': holds rsdo_officer (a lead
 * does too); 'acting_signer': in SignerSet.userIds, or an rsdo_lead when leadSigns.
 */
export type Who = 'owner' | 'officer' | 'rsdo_lead' | 'export_control' | 'acting_signer';

export const WHO_LABELS: Record<Who, string> = {
  owner: 'the case owner',
  officer: 'an RSDO officer',
  rsdo_lead: 'the RSDO lead',
  export_control: 'an export-control officer',
  acting_signer: 'the acting signer',
};

export type Guard =
  | 'questionnaire_complete'
  | 'risk_low'
  | 'triage_not_stale'
  | 'no_blocking_flag'
  | 'no_blocking_flag_if_approving'
  | 'export_review_done_if_required'
  | 'firs_settled'
  | 'atas_settled'
  | 'pi_confirmed'
  | 'has_return_state';

export interface GuardCheck {
  code: ErrorCode;
  description: string;
  /** returns the refusal message, or null when the guard holds */
  check(facts: CaseFacts): string | null;
}

export const GUARD_CHECKS: Record<Guard, GuardCheck> = {
  questionnaire_complete: {
    code: ErrorCode.QUESTIONNAIRE_INCOMPLETE,
    description: 'every required question is answered',
    check: (f) => (f.questionnaireMissing.length === 0 ? null : `The questionnaire is incomplete; still missing: ${f.questionnaireMissing.join(', ')}.`),
  },
  risk_low: {
    code: ErrorCode.RISK_LEVEL_TOO_HIGH,
    description: 'the triaged risk level is low',
    check: (f) => (f.riskLevel === 'low' ? null : `An officer may approve only low-risk cases; this case is ${f.riskLevel ?? 'not yet risk-rated'}.`),
  },
  triage_not_stale: {
    code: ErrorCode.TRIAGE_STALE,
    description: 'the triage is current',
    check: (f) => (f.triageStale ? 'The triage is stale (declined or answers changed); re-triage the case first.' : null),
  },
  no_blocking_flag: {
    code: ErrorCode.BLOCKING_FLAG_OPEN,
    description: 'no blocking flag is open',
    check: (f) => (f.openBlockingFlags > 0 ? `The case has ${f.openBlockingFlags} open blocking flag(s); clear them first.` : null),
  },
  no_blocking_flag_if_approving: {
    code: ErrorCode.BLOCKING_FLAG_OPEN,
    description: 'no blocking flag is open when endorsement would approve the case',
    check: (f) =>
      f.riskLevel !== 'high' && f.openBlockingFlags > 0 ? `Endorsing would approve the case, but it has ${f.openBlockingFlags} open blocking flag(s).` : null,
  },
  export_review_done_if_required: {
    code: ErrorCode.EXPORT_REVIEW_REQUIRED,
    description: 'the export-control review is complete where one is required',
    check: (f) => (f.exportReviewRequired && !f.exportReviewCompleted ? 'An export-control review is required and has not been completed.' : null),
  },
  firs_settled: {
    code: ErrorCode.FIRS_REGISTRATION_REQUIRED,
    description: 'FIRS registration is recorded, or an officer recorded why it does not apply, where a party is connected to a specified power',
    check: (f) => f.firsOutstanding ?? null,
  },
  atas_settled: {
    code: ErrorCode.ATAS_CERTIFICATE_REQUIRED,
    description: 'every visiting researcher who needs ATAS has a current certificate recorded',
    check: (f) => f.atasOutstanding ?? null,
  },
  pi_confirmed: {
    code: ErrorCode.PI_CONFIRMATION_REQUIRED,
    description: 'the principal investigator confirmed a case submitted on their behalf',
    check: (f) => f.piConfirmationOutstanding ?? null,
  },
  has_return_state: {
    code: ErrorCode.INVALID_TRANSITION,
    description: 'the state the information request came from is known',
    check: (f) => (f.returnState === null ? 'The case does not record the state the information request came from.' : null),
  },
};

export interface TransitionRow {
  from: readonly CaseState[];
  action: ActionName;
  to: CaseState | 'same' | 'remembered' | 'approved_or_lead_review';
  who: readonly Who[];
  guards: readonly Guard[];
  label: string;
  notes?: string;
}

const IN_PROGRESS: readonly CaseState[] = ['submitted', 'triaged', 'export_control_review', 'head_sign_off', 'lead_review', 'awaiting_information'];
const FLAGGABLE: readonly CaseState[] = [...IN_PROGRESS, 'approved', 'suspended'];

/** The case lifecycle, one row per (from states, action); see docs/architecture.md ("The path of a command"). */
export const TRANSITIONS: readonly TransitionRow[] = [
  {
    from: ['draft'],
    action: 'submit',
    to: 'submitted',
    who: ['owner'],
    guards: ['questionnaire_complete'],
    label: 'Submit for review',
    notes: 'department snapshotted',
  },
  {
    from: IN_PROGRESS,
    action: 'assign',
    to: 'same',
    who: ['officer'],
    guards: [],
    label: 'Assign officer',
    notes: 'sets the accountable officer',
  },
  {
    from: ['submitted'],
    action: 'triage',
    to: 'triaged',
    who: ['officer'],
    guards: ['pi_confirmed'],
    label: 'Triage',
    notes: 'risk level, route, export relevance; comment if it overrides the proposal',
  },
  {
    from: ['triaged'],
    action: 'retriage',
    to: 'triaged',
    who: ['officer'],
    guards: [],
    label: 'Re-triage',
    notes: 'comment required; needed after a decline or a stale triage',
  },
  {
    from: ['triaged'],
    action: 'start_export_review',
    to: 'export_control_review',
    who: ['officer'],
    guards: [],
    label: 'Send to export control',
    notes: 'names the reviewer',
  },
  {
    from: ['export_control_review'],
    action: 'complete_export_review',
    to: 'triaged',
    who: ['export_control'],
    guards: [],
    label: 'Complete export-control review',
    notes: "assessment recorded; back to the case's officer",
  },
  {
    from: ['triaged'],
    action: 'request_sign_off',
    to: 'head_sign_off',
    who: ['officer'],
    guards: ['export_review_done_if_required', 'no_blocking_flag', 'triage_not_stale', 'firs_settled', 'atas_settled'],
    label: 'Request head sign-off',
    notes: 'carries the proposed decision (text, conditions, review date)',
  },
  {
    from: ['head_sign_off'],
    action: 'endorse',
    to: 'approved_or_lead_review',
    who: ['acting_signer'],
    guards: ['no_blocking_flag_if_approving'],
    label: 'Endorse',
    notes: 'the proposed decision becomes the decision; high risk goes on to the RSDO lead',
  },
  {
    from: ['head_sign_off'],
    action: 'decline',
    to: 'triaged',
    who: ['acting_signer'],
    guards: [],
    label: 'Decline',
    notes: 'comment required; triage becomes stale; researcher told',
  },
  {
    from: ['lead_review'],
    action: 'approve',
    to: 'approved',
    who: ['rsdo_lead'],
    guards: ['no_blocking_flag', 'firs_settled', 'atas_settled'],
    label: 'Approve (RSDO lead)',
  },
  {
    from: ['triaged'],
    action: 'approve',
    to: 'approved',
    who: ['officer'],
    guards: ['risk_low', 'triage_not_stale', 'no_blocking_flag', 'export_review_done_if_required', 'firs_settled', 'atas_settled'],
    label: 'Approve (low risk)',
    notes: 'decision given here',
  },
  {
    from: IN_PROGRESS,
    action: 'reject',
    to: 'rejected',
    who: ['officer', 'rsdo_lead'],
    guards: [],
    label: 'Reject',
    notes: 'reason category + text',
  },
  {
    from: ['submitted', 'triaged', 'export_control_review'],
    action: 'request_information',
    to: 'awaiting_information',
    who: ['officer', 'export_control'],
    guards: [],
    label: 'Request information',
    notes: 'question + reply-by date; remembers the state it came from',
  },
  {
    from: ['awaiting_information'],
    action: 'respond',
    to: 'remembered',
    who: ['owner'],
    guards: ['has_return_state'],
    label: 'Respond to request',
    notes: 'changed answers stored as a diff; rescored; triage stale if the level changed',
  },
  {
    from: ['awaiting_information'],
    action: 'extend_deadline',
    to: 'same',
    who: ['officer'],
    guards: [],
    label: 'Extend reply deadline',
  },
  {
    from: ['awaiting_information'],
    action: 'cancel_request',
    to: 'remembered',
    who: ['officer'],
    guards: ['has_return_state'],
    label: 'Cancel information request',
  },
  {
    from: ['draft', ...IN_PROGRESS],
    action: 'withdraw',
    to: 'withdrawn',
    who: ['owner'],
    guards: [],
    label: 'Withdraw',
  },
  {
    from: ['approved', 'suspended'],
    action: 'record_condition_met',
    to: 'same',
    who: ['officer'],
    guards: [],
    label: 'Record condition met',
  },
  {
    from: ['approved'],
    action: 'request_amendment',
    to: 'same',
    who: ['owner'],
    guards: [],
    label: 'Request amendment',
    notes: 'opens a linked case',
  },
  {
    from: ['submitted', 'triaged'],
    action: 'close_not_in_scope',
    to: 'closed',
    who: ['officer'],
    guards: [],
    label: 'Close: not in scope',
    notes: 'no review needed (not a rejection); reason the researcher reads',
  },
  {
    from: ['approved'],
    action: 'suspend',
    to: 'suspended',
    who: ['officer'],
    guards: [],
    label: 'Suspend approval',
    notes: 'reason category + text; researcher and officer told that collaboration work must stop; also by the licence-expiry timer',
  },
  {
    // The RSDO lead only: restarting work an officer stopped over a legal concern takes a second, senior person.
    from: ['suspended'],
    action: 'reinstate',
    to: 'approved',
    who: ['rsdo_lead'],
    guards: ['no_blocking_flag'],
    label: 'Reinstate approval',
    notes: 'RSDO lead only, reason required; not the person who suspended it',
  },
  {
    from: ['approved', 'suspended'],
    action: 'revoke',
    to: 'revoked',
    who: ['officer'],
    guards: [],
    label: 'Revoke approval',
    notes: 'terminal; reason required; collaboration work must stop for good',
  },
  {
    from: FLAGGABLE,
    action: 'flag',
    to: 'same',
    who: ['officer'],
    guards: [],
    label: 'Raise flag',
    notes: 'a blocking flag stops approval until cleared',
  },
  {
    from: FLAGGABLE,
    action: 'clear_flag',
    to: 'same',
    who: ['officer'],
    guards: [],
    label: 'Clear flag',
  },
];

/**
 * Actions that review, sign or decide: every action no row lets the owner take. The
 * case owner may take none of them, even when they hold a staff role (heads and
 * officers are often PIs themselves). Derived from the table so the two cannot drift.
 */
export const STAFF_ACTIONS: ReadonlySet<ActionName> = new Set<ActionName>(
  ACTIONS.filter((a) => TRANSITIONS.filter((r) => r.action === a).every((r) => !r.who.includes('owner'))),
);

/**
 * Four eyes: whoever triaged the case may not also sign it off or give its final
 * decision (issue 12 defect 6: the RSDO lead who triaged it may not lead-approve it).
 * An officer approving the low-risk case they triaged (triaged -> approved) is the
 * single-officer route by design; the hard-flag rule (risk.ts) keeps it away from hard flags.
 */
const SIGN_OFF_ACTIONS: ReadonlySet<ActionName> = new Set<ActionName>(['endorse', 'decline']);
const FINAL_DECISION_STATES: ReadonlySet<CaseState> = new Set<CaseState>(['lead_review']);

export function findRow(state: CaseState, action: ActionName, rows: readonly TransitionRow[] = TRANSITIONS): TransitionRow | undefined {
  return rows.find((r) => r.action === action && r.from.includes(state));
}

function actorIs(who: Who, facts: CaseFacts, actor: Actor): boolean {
  switch (who) {
    case 'owner':
      return actor.id === facts.ownerId;
    case 'officer':
      return actor.roles.has('rsdo_officer');
    case 'rsdo_lead':
      return actor.roles.has('rsdo_lead');
    case 'export_control':
      return actor.roles.has('export_control');
    case 'acting_signer':
      return facts.signers.userIds.includes(actor.id) || (facts.signers.leadSigns && actor.roles.has('rsdo_lead'));
  }
}

function resolveTo(row: TransitionRow, facts: CaseFacts): CaseState {
  switch (row.to) {
    case 'same':
      return facts.state;
    case 'remembered':
      // has_return_state has already refused a missing value
      return facts.returnState as CaseState;
    case 'approved_or_lead_review':
      return facts.riskLevel === 'high' ? 'lead_review' : 'approved';
    default:
      return row.to;
  }
}

function refuse(code: ErrorCode, message: string): Decision {
  return { allowed: false, code, message };
}

/**
 * The one place the server decides whether an action may happen. The order of the
 * checks is part of the contract: clients and tests rely on the first failing check
 * giving the code.
 */
export function decide(action: string, facts: CaseFacts, actor: Actor): Decision {
  if (!isActionName(action)) return refuse(ErrorCode.UNKNOWN_ACTION, `There is no action called '${action}'.`);

  const row = findRow(facts.state, action);
  if (!row) {
    return refuse(ErrorCode.INVALID_TRANSITION, `The action '${action}' is not possible while the case is ${facts.state}.`);
  }

  if (!row.who.some((w) => actorIs(w, facts, actor))) {
    return refuse(
      ErrorCode.NOT_ALLOWED_FOR_ROLE,
      `${ACTION_LABELS[action]}: only ${row.who.map((w) => WHO_LABELS[w]).join(' or ')} may take this action here.`,
    );
  }

  if (STAFF_ACTIONS.has(action) && actor.id === facts.ownerId) {
    return refuse(ErrorCode.SEGREGATION_OF_DUTIES, `${ACTION_LABELS[action]}: you own this case, so you may not take this action on it.`);
  }
  if (SIGN_OFF_ACTIONS.has(action) && facts.triagedById !== null && actor.id === facts.triagedById) {
    return refuse(ErrorCode.SEGREGATION_OF_DUTIES, 'You triaged this case, so you may not sign it off.');
  }
  if (action === 'approve' && FINAL_DECISION_STATES.has(facts.state) && facts.triagedById !== null && actor.id === facts.triagedById) {
    return refuse(ErrorCode.SEGREGATION_OF_DUTIES, 'You triaged this case, so another RSDO lead must give its final approval.');
  }
  if (action === 'reinstate' && facts.suspendedById && actor.id === facts.suspendedById) {
    return refuse(ErrorCode.SEGREGATION_OF_DUTIES, 'You suspended this approval, so another RSDO lead must reinstate it.');
  }

  for (const guard of row.guards) {
    const { code, check } = GUARD_CHECKS[guard];
    const message = check(facts);
    if (message !== null) return refuse(code, message);
  }
  // Four eyes on hard flags (issue 13): approving a hard-flagged case is the RSDO lead's
  // alone, and never the lead's who triaged it (the downgrade and the approval are two people).
  if (action === 'approve' && facts.hardFlags?.length) {
    if (!actor.roles.has('rsdo_lead')) {
      return refuse(
        ErrorCode.HARD_FLAG_LEAD_ONLY,
        `Approve: this case has a hard risk flag (${facts.hardFlags.join(', ')}), so only an RSDO lead may approve it.`,
      );
    }
    if (facts.triagedById !== null && actor.id === facts.triagedById) {
      return refuse(ErrorCode.SEGREGATION_OF_DUTIES, 'You triaged this hard-flagged case, so another RSDO lead must approve it.');
    }
  }

  return { allowed: true, to: resolveTo(row, facts) };
}

/** What the UI draws buttons for: allowed right now, in ACTIONS order. */
export function availableActions(facts: CaseFacts, actor: Actor): ActionName[] {
  return ACTIONS.filter((a) => decide(a, facts, actor).allowed);
}

/** Refusals that mean the action is not this person's here at all (so it is not listed), rather than blocked for now. */
const NOT_YOURS: ReadonlySet<ErrorCode> = new Set([ErrorCode.UNKNOWN_ACTION, ErrorCode.INVALID_TRANSITION, ErrorCode.NOT_ALLOWED_FOR_ROLE]);

/**
 * Actions this person could take in this state but that are blocked now (an open
 * blocking flag, an incomplete questionnaire, segregation of duties...), each with the
 * refusal's code and sentence: the case page lists them so an action never just vanishes.
 */
export function blockedActions(facts: CaseFacts, actor: Actor): { name: ActionName; code: ErrorCode; message: string }[] {
  const out: { name: ActionName; code: ErrorCode; message: string }[] = [];
  for (const name of ACTIONS) {
    const d = decide(name, facts, actor);
    if (!d.allowed && !NOT_YOURS.has(d.code)) out.push({ name, code: d.code, message: d.message });
  }
  return out;
}
