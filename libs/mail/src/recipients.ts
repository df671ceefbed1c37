import { CaseEventAction, OutboxMessage, OutboxMessages, TERMINAL_STATES } from '@app/domain';

/**
 * Who gets which email, in one table. A first cut: the full notification matrix is a
 * later issue. Audiences are symbolic here (pure, testable); the worker resolves them
 * to users with the database.
 */
export type Audience =
  | 'owner' // the researcher who owns the case
  | 'assignee' // the case's accountable officer
  | 'officers' // every active rsdo_officer
  | 'signers' // acting signer(s): department head and active delegates, or the RSDO leads
  | 'asker' // the officer who asked for information (the assignee, else whoever asked)
  | 'new-assignee' // the officer just assigned (excluding self-assignment)
  | 'other-party' // for a case message: the researcher, or the officer if the researcher wrote
  | 'invited-user'
  | 'assignee-or-officers' // reminders: the assignee, or all officers while unassigned
  | 'payload-users' // the user ids the producer resolved into the payload (SLA escalations up the ladder)
  | 'actors' // everyone who acted on the case (distinct case_event actors), for the closing email
  | 'export-officers' // the export-control reviewer named by the event, else every active export_control officer
  | 'rsdo-leads'; // every active rsdo_lead

/** Every email template (a file `templates/<name>.hbs`; the renderer refuses to start without each). */
export const TEMPLATE_NAMES = [
  'case-received',
  'case-to-triage',
  'information-requested',
  'information-provided',
  'sign-off-requested',
  'sign-off-endorsed',
  'sign-off-declined',
  'case-closed',
  'case-assigned',
  'case-message',
  'user-invited',
  'timer-reminder',
  'sla-escalation',
  'information-reminder',
  'information-lapsed',
  're-review-due',
  'licence-expiring',
  'export-review-requested',
  'export-review-completed',
  'lead-review-requested',
  'screening-hit',
  'daily-digest',
  'monthly-report',
  'password-reset',
  'approval-suspended',
  'approval-reinstated',
  'approval-revoked',
  'case-not-in-scope',
  'screening-blast-radius',
] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

export interface MailRule {
  audience: Audience;
  template: TemplateName;
}

const rule = (template: TemplateName, ...audiences: Audience[]): MailRule[] => audiences.map((audience) => ({ audience, template }));

const BY_ACTION: Partial<Record<CaseEventAction, MailRule[]>> = {
  submit: [...rule('case-received', 'owner'), ...rule('case-to-triage', 'officers')],
  request_information: rule('information-requested', 'owner'),
  respond: rule('information-provided', 'asker'),
  request_sign_off: rule('sign-off-requested', 'signers'),
  endorse: rule('sign-off-endorsed', 'assignee', 'owner'),
  decline: rule('sign-off-declined', 'assignee', 'owner'),
  assign: rule('case-assigned', 'new-assignee'),
  start_export_review: rule('export-review-requested', 'export-officers'),
  complete_export_review: rule('export-review-completed', 'assignee'),
  // After approval: the researcher and the case's officer (every officer while unassigned) are told work must stop / may resume.
  suspend: rule('approval-suspended', 'owner', 'assignee-or-officers'),
  reinstate: rule('approval-reinstated', 'owner', 'assignee-or-officers'),
  revoke: rule('approval-revoked', 'owner', 'assignee-or-officers'),
  // Not a transition: a screening re-import found new hits on an open case.
  screening_hit: rule('screening-hit', 'assignee-or-officers'),
};

export function mailRulesFor(m: OutboxMessage): MailRule[] {
  switch (m.topic) {
    case 'case-event': {
      const { fromState: from, toState: to } = m.payload;
      // "Not in scope" is a closure, not a decision: the researcher is told no review is needed.
      if (to === 'closed' && from !== 'closed') return rule('case-not-in-scope', 'owner', 'actors');
      // Closing the case (approve, reject, withdraw, or an endorsement that approves) wins over the action's own rule.
      if (TERMINAL_STATES.includes(to) && !TERMINAL_STATES.includes(from)) return rule('case-closed', 'owner', 'actors');
      const own = BY_ACTION[m.payload.action] ?? [];
      // Entering lead review (a high-risk endorsement) also asks the RSDO lead to decide.
      return to === 'lead_review' && from !== 'lead_review' ? [...own, ...rule('lead-review-requested', 'rsdo-leads')] : own;
    }
    case 'case-message':
      return rule('case-message', 'other-party');
    case 'user-invited':
      return rule('user-invited', 'invited-user');
    // The account named by payload.userId, like an invitation.
    case 'password-reset':
      return rule('password-reset', 'invited-user');
    case 'daily-digest':
      return rule('daily-digest', 'payload-users');
    case 'monthly-report':
      return rule('monthly-report', 'rsdo-leads');
    case 'timer-fired':
      return timerRules(m.payload);
    // A list import's added or changed entries touch this officer's cases (the producer resolved who).
    case 'screening-blast-radius':
      return rule('screening-blast-radius', 'payload-users');
  }
}

/** Timer kinds with an email of their own; every other kind is a reminder to the case's officer. */
const BY_TIMER_KIND: Partial<Record<string, MailRule[]>> = {
  information_reminder: rule('information-reminder', 'owner'),
  information_due: rule('information-lapsed', 'asker'),
  // The researcher is asked to confirm nothing changed or open a follow-up; the officer is told too.
  re_review: rule('re-review-due', 'owner', 'assignee-or-officers'),
  licence_expiry: rule('licence-expiring', 'assignee-or-officers', 'owner'),
};

function timerRules(p: OutboxMessages['timer-fired']): MailRule[] {
  // An SLA escalation names its recipients (the ladder's level, resolved when it fired).
  if (p.step === 'escalation') return rule('sla-escalation', 'payload-users');
  return BY_TIMER_KIND[p.kind] ?? rule('timer-reminder', 'assignee-or-officers');
}
