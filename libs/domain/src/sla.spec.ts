import { BusinessCalendar, DEFAULT_WORKING_HOURS, describeSlaDuration } from './business-time';
import { DomainError } from './errors';
import { DEFAULT_SLA_POLICIES, informationTimers, pauseClock, reanchorClock, resumeClock, slaView, StageSlaPolicy, startClock, validateSlaPolicy } from './sla';

const H = 3_600_000;
const cal = new BusinessCalendar({ zone: 'Europe/London', division: 'england-and-wales', hours: DEFAULT_WORKING_HOURS, closureDays: [] });
const at = (s: string) => new Date(s);
const triage = DEFAULT_SLA_POLICIES.find((p) => p.stage === 'submitted')!;
const elapsed: StageSlaPolicy = {
  stage: 'triaged',
  target: 'PT10S',
  atRiskAt: 80,
  ladder: [
    { type: 'reminder', at: 50, to: 'assignee' },
    { type: 'escalation', at: 100, to: 'rsdo_lead' },
    { type: 'escalation', at: 100, plus: 'PT5S', to: 'head_of_office' },
  ],
};

describe('stage clocks', () => {
  it('opens the default triage ladder in working time: 50 %, 80 %, 100 %, and 3 working days after', () => {
    // Monday 2 February 2026, 10:00; target 3 working days = 24 working hours.
    const { clock, timers } = startClock(triage, cal, at('2026-02-02T10:00:00Z'));
    expect(clock).toMatchObject({ mode: 'business', budgetMs: 24 * H, usedMs: 0 });
    expect(timers.map((t) => [t.kind, t.dueAt.toISOString(), (t.payload as { marks: string | null }).marks])).toEqual([
      ['triage_reminder', '2026-02-03T14:00:00.000Z', null],
      ['triage_reminder', '2026-02-04T13:12:00.000Z', 'at_risk'],
      ['sla_escalation', '2026-02-05T10:00:00.000Z', 'breached'],
      ['sla_escalation', '2026-02-10T10:00:00.000Z', 'breached'],
    ]);
    expect(timers[2].payload).toMatchObject({ gate: 'business_hours', sla: { to: 'rsdo_lead' } });
    expect(timers[0].payload).not.toHaveProperty('gate');
  });

  it('pauses and resumes: the due date moves by the paused time and only the steps not reached come back', () => {
    const t0 = at('2026-02-02T10:00:00Z');
    const { clock } = startClock(elapsed, cal, t0);
    const paused = pauseClock(clock, cal, new Date(t0.getTime() + 6000)); // after the 50 % reminder
    expect(paused.usedMs).toBe(6000);
    expect(slaView(paused, cal, new Date(t0.getTime() + 9000))).toMatchObject({ paused: true, pausedMs: 3000, dueAt: null, usedMs: 6000 });
    const resumedAt = new Date(t0.getTime() + 60_000);
    const { clock: resumed, timers } = resumeClock(paused, elapsed, cal, resumedAt);
    expect(timers.map((t) => [t.kind, t.dueAt.getTime() - resumedAt.getTime()])).toEqual([
      ['sla_escalation', 4000],
      ['sla_escalation', 9000],
    ]);
    const view = slaView(resumed, cal, resumedAt);
    expect(view).toMatchObject({ paused: false, pausedMs: 54_000, usedMs: 6000, state: 'on_track' });
    expect(view.dueAt!.getTime()).toBe(t0.getTime() + 10_000 + 54_000);
  });

  it('re-anchors on a policy change: same time used, new target from now', () => {
    const t0 = at('2026-02-02T10:00:00Z');
    const { clock } = startClock(elapsed, cal, t0);
    const now = new Date(t0.getTime() + 2000);
    const { clock: next, timers } = reanchorClock(clock, { ...elapsed, target: 'PT20S' }, cal, now);
    expect(next).toMatchObject({ budgetMs: 20_000, usedMs: 2000 });
    expect(timers.map((t) => t.dueAt.getTime() - now.getTime())).toEqual([8000, 18_000, 23_000]);
  });

  it.each([
    [1000, 'on_track'],
    [8000, 'at_risk'],
    [10_000, 'breached'],
  ] as const)('after %i ms the state is %s', (ms, state) => {
    const t0 = at('2026-02-02T10:00:00Z');
    expect(slaView(startClock(elapsed, cal, t0).clock, cal, new Date(t0.getTime() + ms)).state).toBe(state);
  });
});

describe('information requests', () => {
  it('reminds 5 and 2 working days before the reply is due, skipping reminders already past, then lapses', () => {
    const due = at('2026-02-13T17:00:00Z'); // Friday
    expect(informationTimers(due, ['5wd', '2wd'], cal, at('2026-02-02T10:00:00Z')).map((t) => [t.kind, t.dueAt.toISOString()])).toEqual([
      ['information_reminder', '2026-02-06T17:00:00.000Z'],
      ['information_reminder', '2026-02-11T17:00:00.000Z'],
      ['information_due', '2026-02-13T17:00:00.000Z'],
    ]);
    expect(informationTimers(due, ['5wd', '2wd'], cal, at('2026-02-10T10:00:00Z')).map((t) => t.kind)).toEqual(['information_reminder', 'information_due']);
  });
});

describe('validating a policy', () => {
  it.each([
    [{ ...elapsed, stage: 'draft' }],
    [{ ...elapsed, target: 'soon' }],
    [{ ...elapsed, atRiskAt: 0 }],
    [{ ...elapsed, ladder: [{ type: 'nudge', at: 50, to: 'assignee' }] }],
    [{ ...elapsed, ladder: [{ type: 'reminder', at: 50, to: 'everyone' }] }],
    [{ ...elapsed, ladder: [{ type: 'escalation', at: 100, plus: '3wd', to: 'rsdo_lead' }] }],
  ])('refuses %j', (p) => {
    expect(() => validateSlaPolicy(p as StageSlaPolicy)).toThrow(DomainError);
  });

  it('accepts every default policy', () => {
    for (const p of DEFAULT_SLA_POLICIES) expect(() => validateSlaPolicy(p)).not.toThrow();
  });
});

describe('describeSlaDuration: a policy target in words (the receipt email)', () => {
  it.each([
    ['3wd', '3 working days'],
    ['1wd', '1 working day'],
    ['4wh', '4 working hours'],
    ['30wm', '30 working minutes'],
    ['P2D', '2 days'],
    ['PT4H', '4 hours'],
    ['PT4S', '4 seconds'],
    ['PT90M', '90 minutes'],
  ])('%s -> %s', (text, words) => {
    expect(describeSlaDuration(text)).toBe(words);
  });
});
