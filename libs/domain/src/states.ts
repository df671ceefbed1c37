export const CASE_STATES = [
  'draft',
  'submitted',
  'triaged',
  'export_control_review',
  'head_sign_off',
  'lead_review',
  'awaiting_information',
  'approved',
  'suspended',
  'rejected',
  'withdrawn',
  'revoked',
  'closed',
] as const;
export type CaseState = (typeof CASE_STATES)[number];

// Terminal = decided: the review is over and the case left the work queues (closed_at set).
// `approved` still takes same-state actions (conditions, flags, amendments) and can be
// suspended; `suspended` goes back to approved (reinstate) or on to revoked. Neither
// runs an SLA clock; the collaboration's own timers (conditions, re-review, licence) go on.
export const TERMINAL_STATES: readonly CaseState[] = ['approved', 'suspended', 'rejected', 'withdrawn', 'revoked', 'closed'];
/** Nothing follows these: every timer of the case ends when it enters one. */
export const FINAL_STATES: readonly CaseState[] = ['rejected', 'withdrawn', 'revoked', 'closed'];
export const OPEN_STATES: readonly CaseState[] = CASE_STATES.filter((s) => !TERMINAL_STATES.includes(s));

export const STATE_LABELS: Record<CaseState, string> = {
  draft: 'Draft',
  submitted: 'Submitted',
  triaged: 'Triaged',
  export_control_review: 'Export-control review',
  head_sign_off: 'Head of department sign-off',
  lead_review: 'RSDO lead review',
  awaiting_information: 'Awaiting information',
  approved: 'Approved',
  suspended: 'Suspended',
  rejected: 'Rejected',
  withdrawn: 'Withdrawn',
  revoked: 'Revoked',
  closed: 'Closed (no review needed)',
};

export const RISK_LEVELS = ['low', 'medium', 'high'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

/** What `reject` takes today. "Not in scope" is a closure (close_not_in_scope), not a rejection. */
export const REJECT_REASON_CATEGORIES = ['sanctions', 'unacceptable_security_risk', 'export_licence_refused', 'insufficient_information', 'other'] as const;
/** Every category a rejection has carried; not_in_scope only on rejections before close_not_in_scope (migrated to `closed`). */
export const REJECTION_CATEGORIES = [...REJECT_REASON_CATEGORIES, 'not_in_scope'] as const;
export type RejectionCategory = (typeof REJECTION_CATEGORIES)[number];

export const REJECTION_CATEGORY_LABELS: Record<RejectionCategory, string> = {
  sanctions: 'Sanctions',
  unacceptable_security_risk: 'Unacceptable security risk',
  export_licence_refused: 'Export licence refused',
  insufficient_information: 'Insufficient information',
  not_in_scope: 'Not in scope',
  other: 'Other',
};

/**
 * The re-review period: an approval is re-reviewed this many months after its decision
 * unless the decision names a date, and an approved (or suspended) collaboration is
 * re-screened until this long after its end date (issue 13: "for the life of every
 * approved collaboration, until its end date plus the re-review period").
 */
export const RE_REVIEW_PERIOD_MONTHS = 12;

/** States whose collaboration is still alive after the decision: re-screened, timers running. */
export const LIVE_APPROVAL_STATES: readonly CaseState[] = ['approved', 'suspended'];

/** Why an approved collaboration is suspended (issue 13, "Approved is not forever"). */
export const SUSPENSION_REASONS = ['partner_designated', 'licence_expired_or_refused', 'condition_breached', 'other'] as const;
export type SuspensionReason = (typeof SUSPENSION_REASONS)[number];

export const SUSPENSION_REASON_LABELS: Record<SuspensionReason, string> = {
  partner_designated: 'New designation of a partner',
  licence_expired_or_refused: 'Export licence expired or refused',
  condition_breached: 'Condition of the approval breached',
  other: 'Other',
};

export const OUTCOMES = ['approved', 'approved_with_conditions', 'not_in_scope', 'rejected', 'withdrawn', 'revoked'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const OUTCOME_LABELS: Record<Outcome, string> = {
  approved: 'Approved',
  approved_with_conditions: 'Approved with conditions',
  not_in_scope: 'Not in scope',
  rejected: 'Rejected',
  withdrawn: 'Withdrawn',
  revoked: 'Approval revoked',
};

export const RISK_LEVEL_LABELS: Record<RiskLevel, string> = { low: 'Low', medium: 'Medium', high: 'High' };
