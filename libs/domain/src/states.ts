export const CASE_STATES = [
  'draft',
  'submitted',
  'triaged',
  'export_control_review',
  'head_sign_off',
  'lead_review',
  'awaiting_information',
  'approved',
  'rejected',
  'withdrawn',
] as const;
export type CaseState = (typeof CASE_STATES)[number];

// `approved` is terminal even though it still takes same-state actions (conditions,
// flags, amendments): its decision never changes; a change of scope opens a new case.
export const TERMINAL_STATES: readonly CaseState[] = ['approved', 'rejected', 'withdrawn'];
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
  rejected: 'Rejected',
  withdrawn: 'Withdrawn',
};

export const RISK_LEVELS = ['low', 'medium', 'high'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

export const REJECTION_CATEGORIES = [
  'sanctions',
  'unacceptable_security_risk',
  'export_licence_refused',
  'insufficient_information',
  'not_in_scope',
  'other',
] as const;
export type RejectionCategory = (typeof REJECTION_CATEGORIES)[number];

export const REJECTION_CATEGORY_LABELS: Record<RejectionCategory, string> = {
  sanctions: 'Sanctions',
  unacceptable_security_risk: 'Unacceptable security risk',
  export_licence_refused: 'Export licence refused',
  insufficient_information: 'Insufficient information',
  not_in_scope: 'Not in scope',
  other: 'Other',
};

export const OUTCOMES = ['approved', 'approved_with_conditions', 'not_in_scope', 'rejected', 'withdrawn'] as const;
export type Outcome = (typeof OUTCOMES)[number];
