import { DomainError, ErrorCode } from './errors';
import { CASE_STATES } from './states';
import { DEFAULT_STAGE_TIMER_POLICY, parseDuration, stageTimers } from './timers';

const HOUR = 3_600_000;

describe('parseDuration', () => {
  it.each([
    ['P2D', 48 * HOUR],
    ['PT4H', 4 * HOUR],
    ['PT30M', 30 * 60_000],
    ['P1DT12H', 36 * HOUR],
    ['P1W', 7 * 24 * HOUR],
    ['P0D', 0],
  ])('%s → %i ms', (iso, ms) => {
    expect(parseDuration(iso)).toBe(ms);
  });

  it.each(['', '2D', 'P', 'PT', 'PXD', 'five days', 'PT-1H', 'P-2D'])('refuses %j with VALIDATION_FAILED', (iso) => {
    expect(() => parseDuration(iso)).toThrow(DomainError);
    try {
      parseDuration(iso);
    } catch (e) {
      expect((e as DomainError).code).toBe(ErrorCode.VALIDATION_FAILED);
    }
  });
});

describe('stageTimers', () => {
  const entered = new Date('2026-02-02T10:15:00.000Z');
  it.each([
    ['submitted', 'triage_reminder', '2026-02-04T10:15:00.000Z'],
    ['triaged', 'stage_reminder', '2026-02-07T10:15:00.000Z'],
    ['export_control_review', 'stage_reminder', '2026-02-12T10:15:00.000Z'],
    ['head_sign_off', 'sign_off_reminder', '2026-02-07T10:15:00.000Z'],
    ['lead_review', 'lead_reminder', '2026-02-07T10:15:00.000Z'],
  ] as const)('%s opens %s due %s', (state, kind, due) => {
    expect(stageTimers(state, entered, DEFAULT_STAGE_TIMER_POLICY)).toEqual([{ kind, scope: 'stage', dueAt: new Date(due) }]);
  });

  it.each(CASE_STATES.filter((s) => !(s in DEFAULT_STAGE_TIMER_POLICY)))('%s opens no timers', (state) => {
    expect(stageTimers(state, entered, DEFAULT_STAGE_TIMER_POLICY)).toEqual([]);
  });

  it('counts days in London time across the spring clock change', () => {
    // 09:00 GMT on Friday 27 March 2026; clocks go forward on Sunday 29 March.
    const [timer] = stageTimers('submitted', new Date('2026-03-27T09:00:00.000Z'), DEFAULT_STAGE_TIMER_POLICY);
    expect(timer.dueAt.toISOString()).toBe('2026-03-29T08:00:00.000Z'); // 09:00 BST
  });

  it('opens several timers in policy order and rejects a bad duration', () => {
    const policy = {
      triaged: [
        { kind: 'reminder', after: 'PT1H' },
        { kind: 'escalation', after: 'P1D' },
      ],
    };
    expect(stageTimers('triaged', entered, policy).map((t) => [t.kind, t.dueAt.toISOString()])).toEqual([
      ['reminder', '2026-02-02T11:15:00.000Z'],
      ['escalation', '2026-02-03T10:15:00.000Z'],
    ]);
    expect(() => stageTimers('triaged', entered, { triaged: [{ kind: 'x', after: 'soon' }] })).toThrow(DomainError);
  });
});
