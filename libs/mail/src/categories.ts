import { OutboxTopic, PREFERENCE_CATEGORIES, PREFERENCE_MODES, type PreferenceCategory, type PreferenceMode } from '@app/domain';
import { TemplateName } from './recipients';

/**
 * Notification categories people can tune (GET/PUT /api/me/notification-preferences).
 * Decision emails and what a person must act on are `critical`: they ignore
 * preferences. Every template has its category: the table is typed by TemplateName, so
 * a new template without one does not compile.
 */
export type NotificationCategory = 'critical' | PreferenceCategory;
// The tunable categories and modes live in libs/domain (the web's preferences page and the CHECK lists use them too).
export { PREFERENCE_CATEGORIES, PREFERENCE_MODES };
export type { PreferenceCategory, PreferenceMode };

export const IN_DIGEST_REASON = 'in digest';
export const TURNED_OFF_REASON = 'turned off by the recipient';

const BY_TEMPLATE: Record<TemplateName, NotificationCategory> = {
  'information-requested': 'critical',
  'case-closed': 'critical',
  'case-not-in-scope': 'critical',
  'approval-suspended': 'critical',
  'approval-reinstated': 'critical',
  'approval-revoked': 'critical',
  'sign-off-requested': 'critical',
  'sign-off-endorsed': 'critical',
  'sign-off-declined': 'critical',
  'lead-review-requested': 'critical',
  'user-invited': 'critical',
  'password-reset': 'critical',
  'sla-escalation': 'critical',
  'information-lapsed': 'critical',
  'screening-hit': 'critical',
  'screening-blast-radius': 'critical',
  'case-received': 'case_updates',
  'case-to-triage': 'case_updates',
  'case-assigned': 'case_updates',
  'information-provided': 'case_updates',
  'case-message': 'case_updates',
  'export-review-requested': 'case_updates',
  'export-review-completed': 'case_updates',
  'timer-reminder': 'reminders',
  'information-reminder': 'reminders',
  're-review-due': 'reminders',
  'licence-expiring': 'reminders',
  'daily-digest': 'digest',
  'monthly-report': 'digest',
};

/**
 * A delivery's template name is stored text: one this version does not know (a row
 * written by an older or newer release) counts as a reminder if it came from a timer,
 * else a case update.
 */
export function categoryOf(template: TemplateName | (string & {}), topic?: OutboxTopic | (string & {})): NotificationCategory {
  return Object.hasOwn(BY_TEMPLATE, template) ? BY_TEMPLATE[template as TemplateName] : topic === 'timer-fired' ? 'reminders' : 'case_updates';
}

/** What a preference does to one delivery: null = send now; else the suppression reason. */
export function preferenceVerdict(category: NotificationCategory, mode: PreferenceMode | undefined): string | null {
  if (category === 'critical' || !mode || mode === 'immediate') return null;
  if (mode === 'off') return TURNED_OFF_REASON;
  return category === 'digest' ? null : IN_DIGEST_REASON;
}
