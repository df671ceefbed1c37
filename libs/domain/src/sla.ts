import { BusinessCalendar, clockAdd, clockBetween, ClockMode, durationMs, parseSlaDuration } from './business-time';
import { DomainError, ErrorCode } from './errors';
import type { TimerSpec } from './timers';

/**
 * Service levels per stage: a target and a ladder of reminders and escalations, each at
 * a share of the target (plus an optional extra length). A case carries one clock, for
 * the stage it is in; awaiting information pauses it, and returning resumes it.
 */
export const SLA_STAGES = ['submitted', 'triaged', 'export_control_review', 'head_sign_off', 'lead_review'] as const;
export type SlaStage = (typeof SLA_STAGES)[number];
export const isSlaStage = (s: string): s is SlaStage => (SLA_STAGES as readonly string[]).includes(s);

/** Who a ladder step writes to. */
export const LADDER_AUDIENCES = ['assignee', 'rsdo_lead', 'head_of_office', 'owner'] as const;
export type LadderAudience = (typeof LADDER_AUDIENCES)[number];

export interface LadderStep {
  type: 'reminder' | 'escalation';
  /** Percent of the target (0–1000). */
  at: number;
  /** Added after `at`, in the target's mode (e.g. "3wd" after the breach). */
  plus?: string | null;
  to: LadderAudience;
  /** The timer kind; defaults to `<stage reminder name>` or `sla_escalation`. */
  kind?: string | null;
}

export interface StageSlaPolicy {
  stage: SlaStage;
  target: string;
  /** Percent of the target from which the case is "at risk". */
  atRiskAt: number;
  ladder: LadderStep[];
}

export type SlaState = 'on_track' | 'at_risk' | 'breached';
export const SLA_STATES: readonly SlaState[] = ['on_track', 'at_risk', 'breached'];

const REMINDER_KIND: Record<SlaStage, string> = {
  submitted: 'triage_reminder',
  triaged: 'stage_reminder',
  export_control_review: 'stage_reminder',
  head_sign_off: 'sign_off_reminder',
  lead_review: 'lead_reminder',
};

const standardLadder = (): LadderStep[] => [
  { type: 'reminder', at: 50, to: 'assignee' },
  { type: 'reminder', at: 80, to: 'assignee' },
  { type: 'escalation', at: 100, to: 'rsdo_lead' },
  { type: 'escalation', at: 100, plus: '3wd', to: 'head_of_office' },
];

export const DEFAULT_SLA_POLICIES: StageSlaPolicy[] = [
  { stage: 'submitted', target: '3wd', atRiskAt: 80, ladder: standardLadder() },
  { stage: 'triaged', target: '10wd', atRiskAt: 80, ladder: standardLadder() },
  { stage: 'export_control_review', target: '15wd', atRiskAt: 80, ladder: standardLadder() },
  { stage: 'head_sign_off', target: '5wd', atRiskAt: 80, ladder: standardLadder() },
  { stage: 'lead_review', target: '5wd', atRiskAt: 80, ladder: standardLadder() },
];

function fail(message: string): never {
  throw new DomainError(ErrorCode.VALIDATION_FAILED, message);
}

/** Checks a policy an administrator sends; the mode of every `plus` must match the target's. */
export function validateSlaPolicy(p: StageSlaPolicy): void {
  if (!isSlaStage(p.stage)) fail(`stage: "${p.stage}" has no service level; use ${SLA_STAGES.join(', ')}.`);
  const target = parseSlaDuration(p.target, 'target');
  if (!Number.isFinite(p.atRiskAt) || p.atRiskAt <= 0 || p.atRiskAt > 100) fail('atRiskAt: a percentage above 0 and at most 100.');
  if (!Array.isArray(p.ladder) || p.ladder.length > 20) fail('ladder: a list of at most 20 steps.');
  p.ladder.forEach((s, i) => {
    if (s.type !== 'reminder' && s.type !== 'escalation') fail(`ladder[${i}].type: reminder or escalation.`);
    if (!Number.isFinite(s.at) || s.at < 0 || s.at > 1000) fail(`ladder[${i}].at: a percentage of the target, 0 to 1000.`);
    if (!(LADDER_AUDIENCES as readonly string[]).includes(s.to)) fail(`ladder[${i}].to: one of ${LADDER_AUDIENCES.join(', ')}.`);
    if (s.plus) {
      if (parseSlaDuration(s.plus, `ladder[${i}].plus`).mode !== target.mode) {
        fail(
          `ladder[${i}].plus: "${s.plus}" counts ${target.mode === 'business' ? 'elapsed' : 'working'} time but the target counts ${target.mode === 'business' ? 'working' : 'elapsed'} time; use one kind.`,
        );
      }
    }
    if (s.kind != null && !/^[a-z][a-z0-9_]{0,40}$/.test(s.kind)) fail(`ladder[${i}].kind: lower-case letters, digits and underscores.`);
  });
}

/** The clock of the stage a case is in, as stored on the case row. */
export interface SlaClock {
  stage: SlaStage;
  mode: ClockMode;
  budgetMs: number;
  atRiskAt: number;
  /** Clock time used before the current running segment. */
  usedMs: number;
  /** Start of the running segment; null while paused. */
  anchorAt: Date | null;
  pausedAt: Date | null;
  /** Clock time spent paused, for display. */
  pausedMs: number;
}

interface PlannedStep {
  index: number;
  step: LadderStep;
  position: number;
}

function plan(policy: StageSlaPolicy, cal: BusinessCalendar): { mode: ClockMode; budgetMs: number; steps: PlannedStep[] } {
  const target = parseSlaDuration(policy.target, 'target');
  const budgetMs = durationMs(target, cal);
  const steps = policy.ladder.map((step, index) => ({
    index,
    step,
    position: Math.round((budgetMs * step.at) / 100) + (step.plus ? durationMs(parseSlaDuration(step.plus), cal) : 0),
  }));
  return { mode: target.mode, budgetMs, steps };
}

function ladderTimers(clock: SlaClock, policy: StageSlaPolicy, cal: BusinessCalendar, from: Date, afterUsed: number): TimerSpec[] {
  const { steps } = plan(policy, cal);
  return steps
    .filter((s) => s.position > afterUsed || (afterUsed === 0 && s.position === 0))
    .map(({ index, step, position }) => ({
      kind: step.kind ?? (step.type === 'reminder' ? REMINDER_KIND[policy.stage] : 'sla_escalation'),
      scope: 'stage' as const,
      dueAt: clockAdd(clock.mode, cal, from, position - afterUsed),
      payload: {
        sla: { step: index, type: step.type, to: step.to, at: step.at, plus: step.plus ?? null },
        // Escalations wait for business hours; the worker defers them to the next opening.
        ...(step.type === 'escalation' ? { gate: 'business_hours' } : {}),
        marks: position >= clock.budgetMs ? 'breached' : position >= (clock.budgetMs * clock.atRiskAt) / 100 ? 'at_risk' : null,
      },
    }));
}

/** A fresh clock on entering a stage, and the ladder's timers. */
export function startClock(policy: StageSlaPolicy, cal: BusinessCalendar, now: Date): { clock: SlaClock; timers: TimerSpec[] } {
  const { mode, budgetMs } = plan(policy, cal);
  const clock: SlaClock = { stage: policy.stage, mode, budgetMs, atRiskAt: policy.atRiskAt, usedMs: 0, anchorAt: now, pausedAt: null, pausedMs: 0 };
  return { clock, timers: ladderTimers(clock, policy, cal, now, 0) };
}

export function usedAt(clock: SlaClock, cal: BusinessCalendar, now: Date): number {
  return clock.usedMs + (clock.anchorAt ? clockBetween(clock.mode, cal, clock.anchorAt, now) : 0);
}

/** Pausing stores the time used; the caller cancels the stage's timers. */
export function pauseClock(clock: SlaClock, cal: BusinessCalendar, now: Date): SlaClock {
  if (!clock.anchorAt) return clock;
  return { ...clock, usedMs: usedAt(clock, cal, now), anchorAt: null, pausedAt: now };
}

/** Resuming opens fresh timers for the ladder steps not yet reached; the due date moves by the pause. */
export function resumeClock(clock: SlaClock, policy: StageSlaPolicy, cal: BusinessCalendar, now: Date): { clock: SlaClock; timers: TimerSpec[] } {
  const pausedMs = clock.pausedMs + (clock.pausedAt ? clockBetween(clock.mode, cal, clock.pausedAt, now) : 0);
  const { mode, budgetMs } = plan(policy, cal);
  const used = usedAt(clock, cal, now);
  const next: SlaClock = { ...clock, mode, budgetMs, atRiskAt: policy.atRiskAt, usedMs: used, anchorAt: now, pausedAt: null, pausedMs };
  if (mode !== clock.mode) {
    // The policy switched between working and elapsed time: start the stage's budget afresh.
    const restarted = { ...next, usedMs: 0 };
    return { clock: restarted, timers: ladderTimers(restarted, policy, cal, now, 0) };
  }
  return { clock: next, timers: ladderTimers(next, policy, cal, now, used) };
}

/** A new policy for a running clock: same time used, new budget and ladder from now. */
export function reanchorClock(clock: SlaClock, policy: StageSlaPolicy, cal: BusinessCalendar, now: Date): { clock: SlaClock; timers: TimerSpec[] } {
  if (!clock.anchorAt) {
    const { mode, budgetMs } = plan(policy, cal);
    return { clock: { ...clock, mode, budgetMs, atRiskAt: policy.atRiskAt, usedMs: mode === clock.mode ? clock.usedMs : 0 }, timers: [] };
  }
  return resumeClock({ ...clock, pausedAt: null }, policy, cal, now);
}

export function dueAt(clock: SlaClock, cal: BusinessCalendar): Date | null {
  return clock.anchorAt ? clockAdd(clock.mode, cal, clock.anchorAt, clock.budgetMs - clock.usedMs) : null;
}

export function atRiskFrom(clock: SlaClock, cal: BusinessCalendar): Date | null {
  return clock.anchorAt ? clockAdd(clock.mode, cal, clock.anchorAt, Math.round((clock.budgetMs * clock.atRiskAt) / 100) - clock.usedMs) : null;
}

export function slaStateOf(clock: SlaClock, usedMs: number): SlaState {
  if (usedMs >= clock.budgetMs) return 'breached';
  if (usedMs >= (clock.budgetMs * clock.atRiskAt) / 100) return 'at_risk';
  return 'on_track';
}

export interface SlaView {
  stage: SlaStage;
  mode: ClockMode;
  targetMs: number;
  usedMs: number;
  pausedMs: number;
  paused: boolean;
  dueAt: Date | null;
  state: SlaState;
}

/** What a case shows: target, time used, time paused, due date and state, at `now`. */
export function slaView(clock: SlaClock, cal: BusinessCalendar, now: Date): SlaView {
  const used = usedAt(clock, cal, now);
  const pausedMs = clock.pausedMs + (clock.pausedAt ? clockBetween(clock.mode, cal, clock.pausedAt, now) : 0);
  return {
    stage: clock.stage,
    mode: clock.mode,
    targetMs: clock.budgetMs,
    usedMs: used,
    pausedMs,
    paused: !clock.anchorAt,
    dueAt: dueAt(clock, cal),
    state: slaStateOf(clock, used),
  };
}

/**
 * Reminders to the researcher before the reply is due: `before` each length, skipping
 * any already past. The lapse timer itself is `information_due`, at the due time.
 */
export function informationTimers(dueAtInstant: Date, before: string[], cal: BusinessCalendar, now: Date): TimerSpec[] {
  const specs: TimerSpec[] = before
    .map((b) => {
      const d = parseSlaDuration(b, 'informationReminders');
      const at = d.mode === 'elapsed' ? new Date(dueAtInstant.getTime() - d.ms) : cal.add(dueAtInstant, -durationMs(d, cal));
      return { kind: 'information_reminder', scope: 'stage' as const, dueAt: at, payload: { before: b } };
    })
    .filter((s) => s.dueAt.getTime() > now.getTime());
  specs.push({ kind: 'information_due', scope: 'stage', dueAt: dueAtInstant, payload: {} });
  return specs;
}
