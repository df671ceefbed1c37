import type { SlaState } from './sla';
import type { ActionName } from './transitions';

/**
 * Sentence-case words for what the timeline shows (events) and the deadlines a case
 * carries (timer kinds), so no raw key reaches a person. A pure module, imported by the
 * web as `@app/domain/case-event-labels`.
 */
export type CaseEventName =
  | ActionName
  | 'create'
  | 'edit_draft'
  | 'add_note'
  | 'attach_document'
  | 'confirm_flag'
  | 'rescreen'
  | 're_review'
  | 'quarantine_document'
  | 'screening_hit'
  | 'handover';

/** What happened, in the past tense. */
export const CASE_EVENT_LABELS: Record<CaseEventName, string> = {
  create: 'Draft started',
  edit_draft: 'Draft edited',
  submit: 'Submitted for review',
  assign: 'Officer assigned',
  triage: 'Triaged',
  retriage: 'Re-triaged',
  start_export_review: 'Sent to export control',
  complete_export_review: 'Export-control review completed',
  request_sign_off: 'Head sign-off requested',
  endorse: 'Endorsed',
  decline: 'Declined',
  approve: 'Approved',
  reject: 'Rejected',
  request_information: 'Information requested',
  respond: 'Researcher responded',
  extend_deadline: 'Reply deadline extended',
  cancel_request: 'Information request cancelled',
  withdraw: 'Withdrawn',
  record_condition_met: 'Condition recorded as met',
  request_amendment: 'Amendment requested',
  flag: 'Flag raised',
  clear_flag: 'Flag cleared',
  close_not_in_scope: 'Closed: not in scope',
  suspend: 'Approval suspended',
  reinstate: 'Approval reinstated',
  revoke: 'Approval revoked',
  add_note: 'Note added',
  attach_document: 'Document attached',
  confirm_flag: 'Screening hit confirmed',
  rescreen: 'Partners re-screened',
  re_review: 'Re-review',
  quarantine_document: 'Document quarantined',
  screening_hit: 'Screening hit',
  handover: 'Handed over',
};

/** The timer kinds the product opens (libs/domain sla.ts and timers.ts, the API's effects, re-review). */
export type TimerKindName =
  | 'triage_reminder'
  | 'stage_reminder'
  | 'sign_off_reminder'
  | 'lead_reminder'
  | 'sla_escalation'
  | 'information_reminder'
  | 'condition_due'
  | 're_review'
  | 'licence_expiry'
  | 'licence_lapsed';

export const TIMER_KIND_LABELS: Record<TimerKindName, string> = {
  triage_reminder: 'Triage reminder',
  stage_reminder: 'Stage reminder',
  sign_off_reminder: 'Sign-off reminder',
  lead_reminder: 'RSDO lead reminder',
  sla_escalation: 'SLA escalation',
  information_reminder: 'Reply reminder',
  condition_due: 'Condition due',
  re_review: 'Re-review',
  licence_expiry: 'Licence expiry reminder',
  licence_lapsed: 'Licence lapses',
};

/** As the queue and the case page say it (kept here, not in sla.ts, so the web need not bundle the holiday calendar): "at risk" is the "breaching soon" view. */
export const SLA_STATE_LABELS: Record<SlaState, string> = { on_track: 'On track', at_risk: 'Breaching soon', breached: 'Breached' };

/** A screening flag's status (case_flag.status). */
export const FLAG_STATUS_LABELS: Record<'open' | 'cleared' | 'confirmed', string> = {
  open: 'Open',
  cleared: 'Cleared as a false positive',
  confirmed: 'Confirmed as a true match',
};

/** Words for a key no table knows (a kind an SLA policy named itself): underscores to spaces, first letter up. */
export function sentenceOf(key: string): string {
  const s = key.replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** A label from a table, or the key in sentence case for one it does not know (older data, a policy's own kind). */
export function wordsFor<K extends string>(table: Record<K, string>, key: string | null | undefined): string {
  if (key == null) return '';
  return Object.hasOwn(table, key) ? table[key as K] : sentenceOf(key);
}

/** What made the risk assessment run (case_risk_assessment.trigger): "submit", "respond", "list_import:<kind>". */
export function assessmentTriggerWords(trigger: string): string {
  if (trigger === 'submit') return 'on submission';
  if (trigger === 'respond') return "on the researcher's changed answers";
  if (trigger.startsWith('list_import:')) return 'when a screening list was re-imported';
  return sentenceOf(trigger).toLowerCase();
}
