import { DateTime, Duration } from 'luxon';
import { DomainError, ErrorCode } from './errors';
import type { CaseState } from './states';

/** 'stage' timers die when the case leaves the stage; 'case' timers live until done or the case closes. */
export type TimerScope = 'stage' | 'case';

export interface TimerSpec {
  kind: string;
  scope: TimerScope;
  dueAt: Date;
  /** Stored on the row: what the worker needs when it fires (mail routing, SLA step). */
  payload?: Record<string, unknown>;
}

/** Per state, the timers opened on entry, each `after` an ISO-8601 duration. */
export interface StageTimerPolicy {
  [state: string]: { kind: string; after: string }[];
}

export const DEFAULT_STAGE_TIMER_POLICY: StageTimerPolicy = {
  submitted: [{ kind: 'triage_reminder', after: 'P2D' }],
  triaged: [{ kind: 'stage_reminder', after: 'P5D' }],
  export_control_review: [{ kind: 'stage_reminder', after: 'P10D' }],
  head_sign_off: [{ kind: 'sign_off_reminder', after: 'P5D' }],
  lead_review: [{ kind: 'lead_reminder', after: 'P5D' }],
};

// Days are local days: "remind after 2 days" should fire at the same wall-clock time
// in London even across a clock change.
const ZONE = 'Europe/London';

function parse(iso: string): Duration {
  const d = Duration.fromISO(iso);
  // luxon accepts a bare "P" or "PT" as zero; a policy with no number in it is a typo
  if (!d.isValid || !/\d/.test(iso)) {
    throw new DomainError(ErrorCode.VALIDATION_FAILED, `"${iso}" is not an ISO-8601 duration such as P2D or PT4H.`);
  }
  if (d.toMillis() < 0 || Object.values(d.toObject()).some((v) => v !== undefined && v < 0)) {
    throw new DomainError(ErrorCode.VALIDATION_FAILED, `The duration "${iso}" is negative; timers only run forwards.`);
  }
  return d;
}

/** Milliseconds in an ISO-8601 duration, counting a day as 24 hours (luxon's casual conversion). */
export function parseDuration(iso: string): number {
  return parse(iso).toMillis();
}

/** The 'stage' timers to open when a case enters `state` at `enteredAt`. */
export function stageTimers(state: CaseState, enteredAt: Date, policy: StageTimerPolicy): TimerSpec[] {
  const entries = Object.prototype.hasOwnProperty.call(policy, state) ? policy[state] : [];
  const start = DateTime.fromJSDate(enteredAt, { zone: ZONE });
  return entries.map(({ kind, after }) => ({
    kind,
    scope: 'stage',
    dueAt: start.plus(parse(after)).toJSDate(),
  }));
}
