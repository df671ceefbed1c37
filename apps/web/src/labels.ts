/**
 * Labels shared with the server: imported from libs/domain's pure modules (no
 * framework code), so a renamed state or area cannot drift between API and UI.
 */
import { OUTCOME_LABELS, REJECTION_CATEGORY_LABELS, RISK_LEVEL_LABELS, STATE_LABELS, SUSPENSION_REASON_LABELS } from '@app/domain/states';
import { ACTIVITY_TYPE_LABELS, NSI_AREA_LABELS, PARTNER_TYPE_LABELS } from '@app/domain/questionnaire';
import { ROLE_LABELS } from '@app/domain/roles';
import { RISK_FACTOR_LABELS } from '@app/domain/risk-config';
import { TRIAGE_ROUTE_LABELS } from '@app/domain/action-schemas';
import { EXPORT_REVIEW_OUTCOME_LABELS, EXEMPTION_LABELS, LICENCE_TYPE_LABELS } from '@app/domain/export-control';

export {
  ACTIVITY_TYPE_LABELS,
  EXEMPTION_LABELS,
  EXPORT_REVIEW_OUTCOME_LABELS,
  LICENCE_TYPE_LABELS,
  NSI_AREA_LABELS,
  OUTCOME_LABELS,
  PARTNER_TYPE_LABELS,
  REJECTION_CATEGORY_LABELS,
  RISK_FACTOR_LABELS,
  RISK_LEVEL_LABELS,
  ROLE_LABELS,
  STATE_LABELS,
  SUSPENSION_REASON_LABELS,
  TRIAGE_ROUTE_LABELS,
};

/** A label from one of the domain's tables, or the value itself for a value the table does not know (older data). */
export function labelOf<K extends string>(table: Record<K, string>, value: string | null | undefined): string {
  if (value == null) return '';
  return Object.hasOwn(table, value) ? table[value as K] : value;
}

export function stateLabel(state: string): string {
  return (STATE_LABELS as Record<string, string>)[state] ?? state;
}

/** GOV.UK tag colours by state. */
export function stateTagClass(state: string): string {
  const colour: Record<string, string> = {
    draft: 'grey',
    submitted: 'blue',
    triaged: 'light-blue',
    export_control_review: 'purple',
    head_sign_off: 'yellow',
    lead_review: 'orange',
    awaiting_information: 'pink',
    approved: 'green',
    rejected: 'red',
    withdrawn: 'grey',
    suspended: 'red',
    revoked: 'red',
    closed: 'grey',
  };
  return `govuk-tag govuk-tag--${colour[state] ?? 'grey'}`;
}

/** Who the case is waiting on, in the researcher's words. */
export function waitingOn(state: string, viewerIsOwner: boolean): string {
  switch (state) {
    case 'draft':
      return viewerIsOwner ? 'You: finish and submit the questionnaire' : 'The researcher';
    case 'submitted':
      return 'The research office: triage';
    case 'triaged':
      return 'The research office: decision or next step';
    case 'export_control_review':
      return 'Export control: assessment';
    case 'head_sign_off':
      return 'The head of department: sign-off';
    case 'lead_review':
      return 'The RSDO lead: final decision';
    case 'awaiting_information':
      return viewerIsOwner ? 'You: answer the request for information' : 'The researcher: information requested';
    case 'suspended':
      return viewerIsOwner ? 'Collaboration work must stop: the RSDO lead decides whether to reinstate' : 'The RSDO lead: reinstate or revoke';
    default:
      return 'Nobody: the case is closed';
  }
}

/** The one date format (libs/domain/src/dates.ts): "30 November 2026", London time. */
export { formatDate, formatDateTime } from '@app/domain/dates';

export function humanise(name: string): string {
  const s = name.replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}
