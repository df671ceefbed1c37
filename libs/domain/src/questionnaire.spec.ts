import {
  ACTIVITY_TYPES,
  ACTIVITY_TYPE_LABELS,
  NSI_AREAS,
  NSI_AREA_LABELS,
  PARTNER_TYPES,
  PARTNER_TYPE_LABELS,
  answerProblems,
  missingFields,
  type CaseAnswers,
} from './questionnaire';

const complete: CaseAnswers = {
  summary: 'Joint work on battery cathodes.',
  partners: [{ name: 'Uni of Example', country: 'DE', type: 'university' }],
  activityTypes: ['international_collaboration'],
  sensitiveAreas: [],
  fundingSource: 'UKRI',
  startDate: '2026-09-01',
  endDate: '2027-08-31',
};

describe('reference lists', () => {
  it('has the 17 NSI areas and a label for each list entry', () => {
    expect(NSI_AREAS).toHaveLength(17);
    expect(Object.keys(NSI_AREA_LABELS).sort()).toEqual([...NSI_AREAS].sort());
    expect(Object.keys(ACTIVITY_TYPE_LABELS).sort()).toEqual([...ACTIVITY_TYPES].sort());
    expect(Object.keys(PARTNER_TYPE_LABELS).sort()).toEqual([...PARTNER_TYPES].sort());
    for (const id of [...NSI_AREAS, ...ACTIVITY_TYPES, ...PARTNER_TYPES]) expect(id).toMatch(/^[a-z]+(_[a-z]+)*$/);
  });
});

describe('missingFields', () => {
  it('finds nothing missing in a complete intake', () => {
    expect(missingFields('Cathodes', complete)).toEqual([]);
  });

  it.each([
    ['no title', null, complete, ['title']],
    ['a blank title', '   ', complete, ['title']],
    ['no summary', 'T', { ...complete, summary: undefined }, ['summary']],
    ['no partners', 'T', { ...complete, partners: [] }, ['partners']],
    ['a partner without country', 'T', { ...complete, partners: [{ name: 'X', country: '', type: 'company' }] }, ['partners[0].country']],
    [
      'a second partner half filled',
      'T',
      { ...complete, partners: [complete.partners![0], { name: '', country: 'FR', type: '' }] },
      ['partners[1].name', 'partners[1].type'],
    ],
    ['no activity type', 'T', { ...complete, activityTypes: [] }, ['activityTypes']],
    ['sensitive areas unanswered', 'T', { ...complete, sensitiveAreas: undefined }, ['sensitiveAreas']],
    ['no funding source', 'T', { ...complete, fundingSource: '' }, ['fundingSource']],
    ['no start date', 'T', { ...complete, startDate: undefined }, ['startDate']],
    ['an empty draft', undefined, {}, ['title', 'summary', 'partners', 'activityTypes', 'sensitiveAreas', 'fundingSource', 'startDate']],
  ] as const)('reports %s', (_label, title, answers, fields) => {
    const problems = missingFields(title, answers as CaseAnswers);
    expect(problems.map((p) => p.field)).toEqual(fields);
    for (const p of problems) expect(p.message).toMatch(/^[A-Z].*\.$/);
  });

  it('treats "none apply" as an answer', () => {
    expect(missingFields('T', { ...complete, sensitiveAreas: [] })).toEqual([]);
  });
});

describe('answerProblems', () => {
  it.each([
    ['a complete intake', complete],
    ['an empty draft', {}],
    ['a half-typed partner row', { partners: [{ name: 'X', country: '', type: '' }] }],
    ['known areas', { sensitiveAreas: ['quantum_technologies', 'energy'] }],
    ['same start and end', { startDate: '2026-01-01', endDate: '2026-01-01' }],
    ['an end date alone', { endDate: '2026-01-01' }],
  ])('accepts %s', (_label, answers) => {
    expect(answerProblems(answers)).toEqual([]);
  });

  it.each([
    ['not an object', 'hello', ['answers']],
    ['an array', [], ['answers']],
    ['an unknown NSI area', { sensitiveAreas: ['quantum_technologies', 'time_travel'] }, ['sensitiveAreas[1]']],
    ['an area listed twice', { sensitiveAreas: ['energy', 'energy'] }, ['sensitiveAreas']],
    ['sensitiveAreas not a list', { sensitiveAreas: 'energy' }, ['sensitiveAreas']],
    ['an unknown activity type', { activityTypes: ['juggling'] }, ['activityTypes[0]']],
    ['a lower-case country', { partners: [{ name: 'X', country: 'de', type: 'company' }] }, ['partners[0].country']],
    ['a three-letter country', { partners: [{ name: 'X', country: 'DEU', type: 'company' }] }, ['partners[0].country']],
    ['an unknown partner type', { partners: [{ name: 'X', country: 'DE', type: 'club' }] }, ['partners[0].type']],
    ['a partner that is not an object', { partners: ['X'] }, ['partners[0]']],
    ['an unknown partner field', { partners: [{ name: 'X', country: 'DE', type: 'company', vat: 1 }] }, ['partners[0].vat']],
    ['a date in the wrong format', { startDate: '01/09/2026' }, ['startDate']],
    ['an impossible date', { startDate: '2026-02-30' }, ['startDate']],
    ['a date with a time', { endDate: '2026-02-01T00:00:00Z' }, ['endDate']],
    ['an end before the start', { startDate: '2026-09-01', endDate: '2026-08-31' }, ['endDate']],
    ['a number for text', { summary: 42 }, ['summary']],
    ['an over-long summary', { summary: 'x'.repeat(10001) }, ['summary']],
    ['an unknown question', { favouriteColour: 'blue' }, ['favouriteColour']],
  ])('reports %s', (_label, answers, fields) => {
    const problems = answerProblems(answers);
    expect(problems.map((p) => p.field)).toEqual(fields);
    for (const p of problems) expect(p.message).toMatch(/^\S.*\.$/);
  });
});
