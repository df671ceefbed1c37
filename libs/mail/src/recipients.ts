import { CaseState, TERMINAL_STATES } from '@app/domain';

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
  | 'assignee-or-officers'; // reminders: the assignee, or all officers while unassigned

export type TemplateName =
  | 'case-received' | 'case-to-triage' | 'information-requested' | 'information-provided'
  | 'sign-off-requested' | 'sign-off-endorsed' | 'sign-off-declined' | 'case-closed'
  | 'case-assigned' | 'case-message' | 'user-invited' | 'timer-reminder';

export const TEMPLATE_NAMES: readonly TemplateName[] = [
  'case-received', 'case-to-triage', 'information-requested', 'information-provided',
  'sign-off-requested', 'sign-off-endorsed', 'sign-off-declined', 'case-closed',
  'case-assigned', 'case-message', 'user-invited', 'timer-reminder',
];

export interface MailRule {
  audience: Audience;
  template: TemplateName;
}

export interface OutboxMessageView {
  topic: string;
  payload: Record<string, unknown>;
}

const rule = (template: TemplateName, ...audiences: Audience[]): MailRule[] => audiences.map((audience) => ({ audience, template }));

const BY_ACTION: Record<string, MailRule[]> = {
  submit: [...rule('case-received', 'owner'), ...rule('case-to-triage', 'officers')],
  request_information: rule('information-requested', 'owner'),
  respond: rule('information-provided', 'asker'),
  request_sign_off: rule('sign-off-requested', 'signers'),
  endorse: rule('sign-off-endorsed', 'assignee', 'owner'),
  decline: rule('sign-off-declined', 'assignee', 'owner'),
  assign: rule('case-assigned', 'new-assignee'),
};

export function mailRulesFor(m: OutboxMessageView): MailRule[] {
  switch (m.topic) {
    case 'case-event': {
      const from = m.payload.fromState as CaseState | undefined;
      const to = m.payload.toState as CaseState | undefined;
      // Closing the case (approve, reject, withdraw, or an endorsement that approves) wins over the action's own rule.
      if (to && TERMINAL_STATES.includes(to) && !(from && TERMINAL_STATES.includes(from))) return rule('case-closed', 'owner', 'assignee');
      return BY_ACTION[String(m.payload.action)] ?? [];
    }
    case 'case-message':
      return rule('case-message', 'other-party');
    case 'user-invited':
      return rule('user-invited', 'invited-user');
    case 'timer-fired':
      return rule('timer-reminder', 'assignee-or-officers');
    default:
      return [];
  }
}
