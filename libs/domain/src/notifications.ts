/**
 * Notification preferences and the mail path's words, shared by the API (libs/mail
 * re-exports the lists), the database's CHECK constraints (test/e2e/schema-enums) and
 * the web's preferences and mail-status pages. Labels are typed by their enum, so a
 * new category, mode or status without a label does not compile.
 */

/** Categories people can tune; decision emails and what a person must act on are critical and always sent. */
export type PreferenceCategory = 'case_updates' | 'reminders' | 'digest';
export const PREFERENCE_CATEGORIES: readonly PreferenceCategory[] = ['case_updates', 'reminders', 'digest'];

/**
 * immediate: sent as it happens; digest: recorded as `suppressed` with reason
 * 'in digest' and listed in the next daily digest; off: `suppressed`, reason
 * 'turned off by the recipient'. The digest category itself takes immediate or off.
 */
export type PreferenceMode = 'immediate' | 'digest' | 'off';
export const PREFERENCE_MODES: readonly PreferenceMode[] = ['immediate', 'digest', 'off'];

/** The modes each category takes (the digest is sent or not: it cannot go into itself). */
export const PREFERENCE_CATEGORY_MODES: Record<PreferenceCategory, readonly PreferenceMode[]> = {
  case_updates: PREFERENCE_MODES,
  reminders: PREFERENCE_MODES,
  digest: ['immediate', 'off'],
};

export const PREFERENCE_CATEGORY_LABELS: Record<PreferenceCategory, string> = {
  case_updates: 'Case updates',
  reminders: 'Reminders',
  digest: 'Daily digest',
};

export const PREFERENCE_CATEGORY_HINTS: Record<PreferenceCategory, string> = {
  case_updates: 'Progress that needs no decision from you: a case received, assigned or answered, and new messages.',
  reminders: 'Timer reminders: triage, information replies, re-reviews and licence expiry.',
  digest: 'One email at 08:30 listing what was held back for the digest.',
};

export const PREFERENCE_MODE_LABELS: Record<PreferenceMode, string> = {
  immediate: 'Email me straight away',
  digest: 'Put them in my daily digest',
  off: 'Do not email me',
};

/** A delivery's status (the delivery table's CHECK list). */
export type DeliveryStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'suppressed';
export const DELIVERY_STATUSES: readonly DeliveryStatus[] = ['pending', 'sending', 'sent', 'failed', 'suppressed'];

export const DELIVERY_STATUS_LABELS: Record<DeliveryStatus, string> = {
  pending: 'Waiting to send',
  sending: 'Sending',
  sent: 'Sent',
  failed: 'Failed',
  suppressed: 'Not sent (preference or digest)',
};

/** Operator alarms of the mail path (mail_alarm.kind); the worker raises them, the mail status page names them. */
export type MailAlarmKind = 'smtp-auth';
/** SMTP authentication or configuration failures: no email can go until someone fixes the settings. */
export const SMTP_AUTH_ALARM: MailAlarmKind = 'smtp-auth';

export const MAIL_ALARM_LABELS: Record<MailAlarmKind, string> = {
  'smtp-auth': 'The mail server refused our login or settings',
};

/** The digest is sent or not: its own two options. */
export const DIGEST_MODE_LABELS: Record<'immediate' | 'off', string> = {
  immediate: 'Send me the daily digest',
  off: 'Do not email me',
};
