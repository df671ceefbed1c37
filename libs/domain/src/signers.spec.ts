import { actingSigners, type DepartmentSigning } from './signers';

const dept = (headUserId: string | null, ...delegates: [string, string, string][]): DepartmentSigning => ({
  headUserId,
  delegates: delegates.map(([userId, startsOn, endsOn]) => ({ userId, startsOn, endsOn })),
});

describe('actingSigners', () => {
  const covering = dept('head', ['deputy', '2026-03-02', '2026-03-06']);

  it.each([
    ['the day before the delegation', '2026-03-01', ['head']],
    ['the first day (inclusive)', '2026-03-02', ['head', 'deputy']],
    ['a middle day', '2026-03-04', ['head', 'deputy']],
    ['the last day (inclusive)', '2026-03-06', ['head', 'deputy']],
    ['the day after', '2026-03-07', ['head']],
  ])('on %s', (_label, today, userIds) => {
    expect(actingSigners(covering, 'researcher', today)).toEqual({ userIds, leadSigns: false });
  });

  it.each([
    ['the head is the owner', dept('head', ['deputy', '2026-01-01', '2026-12-31']), 'head', { userIds: [], leadSigns: true }],
    ['the department has no head', dept(null, ['deputy', '2026-01-01', '2026-12-31']), 'researcher', { userIds: [], leadSigns: true }],
    ['an active delegate is the owner', dept('head', ['deputy', '2026-01-01', '2026-12-31']), 'deputy', { userIds: ['head'], leadSigns: false }],
    [
      'two delegates, one active',
      dept('head', ['a', '2026-03-01', '2026-03-31'], ['b', '2026-04-01', '2026-04-30']),
      'researcher',
      { userIds: ['head', 'a'], leadSigns: false },
    ],
    [
      'a delegate listed twice',
      dept('head', ['a', '2026-03-01', '2026-03-10'], ['a', '2026-03-05', '2026-03-31']),
      'r',
      { userIds: ['head', 'a'], leadSigns: false },
    ],
    ['the head named as their own delegate', dept('head', ['head', '2026-03-01', '2026-03-31']), 'r', { userIds: ['head'], leadSigns: false }],
  ])('when %s', (_label, d, ownerId, expected) => {
    expect(actingSigners(d, ownerId, '2026-03-05')).toEqual(expected);
  });
});
