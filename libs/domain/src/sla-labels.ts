import type { LadderAudience, LadderStep } from './sla';

/** Who a ladder step writes to, in the admin's words (typed by LadderAudience: a new audience fails to compile without one). */
export const LADDER_AUDIENCE_LABELS: Record<LadderAudience, string> = {
  assignee: 'The assigned officer',
  rsdo_lead: 'The RSDO lead',
  head_of_office: 'The head of the research office',
  owner: 'The researcher',
};

export const LADDER_STEP_TYPE_LABELS: Record<LadderStep['type'], string> = {
  reminder: 'Reminder',
  escalation: 'Escalation',
};

/** ISO weekdays (1 Monday … 7 Sunday), as working-hours settings store them. */
export const ISO_WEEKDAY_LABELS: Record<1 | 2 | 3 | 4 | 5 | 6 | 7, string> = {
  1: 'Monday',
  2: 'Tuesday',
  3: 'Wednesday',
  4: 'Thursday',
  5: 'Friday',
  6: 'Saturday',
  7: 'Sunday',
};
