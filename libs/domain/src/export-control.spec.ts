import {
  assessmentProblems,
  CONTROL_LIST_REFERENCE,
  DUAL_USE_CATEGORIES,
  DUAL_USE_GROUPS,
  ExportAssessmentInput,
  licenceGate,
  licenceReminderDate,
  MILITARY_LIST,
  parseControlEntry,
  searchControlListReference,
} from './export-control';

describe('control-list reference table', () => {
  it('holds ML1-ML22, categories 0-9 and groups A-E', () => {
    expect(MILITARY_LIST.map((e) => e.code)).toEqual(Array.from({ length: 22 }, (_, i) => `ML${i + 1}`));
    expect(DUAL_USE_CATEGORIES.map((e) => e.code)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(DUAL_USE_GROUPS.map((e) => e.code)).toEqual(['A', 'B', 'C', 'D', 'E']);
  });

  it.each([
    ['telecommunications', ['5']],
    ['ML22', ['ML22']],
    ['software', ['ML21', 'PL9013', 'PL9014', 'PL9015', 'D']],
  ])('search %s', (q, codes) => {
    expect(searchControlListReference(q).map((e) => e.code)).toEqual(codes);
  });

  it('an empty search lists everything', () => {
    expect(searchControlListReference('  ')).toHaveLength(CONTROL_LIST_REFERENCE.length);
  });
});

describe('parseControlEntry', () => {
  it.each([
    ['5A002', 'dual_use', '5A002', 'A'],
    ['3e001', 'dual_use', '3E001', 'E'],
    ['5A002.a.1', 'dual_use', '5A002.a.1', 'A'],
    ['ML22', 'military', 'ML22', undefined],
    ['ml10.A', 'military', 'ML10.a', undefined],
    [' PL5001 ', 'uk_national', 'PL5001', undefined],
  ])('%s is a %s entry', (raw, list, code, group) => {
    const r = parseControlEntry(raw);
    expect(r.ok).toBe(true);
    if (r.ok) expect([r.entry.list, r.entry.code, r.entry.group]).toEqual([list, code, group]);
  });

  it.each([
    ['ML23', /ML1 to ML22/],
    ['ML0', /ML1 to ML22/],
    ['ML01', /ML1 to ML22/],
    ['5F002', /product group is A-E/],
    ['5A02', /shape/],
    ['PL501', /four digits/],
    ['EAR99', /shape/],
    ['', /shape/],
  ])('%s is refused', (raw, why) => {
    const r = parseControlEntry(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(why);
  });
});

const base = (over: Partial<ExportAssessmentInput> = {}): ExportAssessmentInput => ({
  assessment: 'Summary.',
  outcome: 'no_licence_required',
  items: [{ description: 'Thin-film deposition know-how', destinationCountry: 'CA', controlEntry: '3E001' }],
  exemptions: [{ exemption: 'basic_scientific_research', applies: true, reasoning: 'Fundamental, no practical aim.' }],
  ...over,
});

describe('assessmentProblems', () => {
  it('a covered dual-use technology item with basic-research exemption needs no licence', () => {
    expect(assessmentProblems(base())).toEqual([]);
  });

  it.each<[string, Partial<ExportAssessmentInput>, string]>([
    ['exemption falls away with an end-use concern', { endUseConcern: { concern: true, kind: 'wmd' } }, 'exemptions[0]'],
    [
      'exemptions do not cover the Military List',
      { items: [{ description: 'Drone autopilot', destinationCountry: 'CN', controlEntry: 'ML10' }] },
      'exemptions',
    ],
    ['a controlled item without exemption needs a licence', { exemptions: [] }, 'outcome'],
    ['bad control entry', { items: [{ description: 'x', destinationCountry: 'CA', controlEntry: '5Z001' }] }, 'items[0].controlEntry'],
    ['entry or not listed', { items: [{ description: 'x', destinationCountry: 'CA' }] }, 'items[0].controlEntry'],
    ['country code', { items: [{ description: 'x', destinationCountry: 'Canada', notListed: true }] }, 'items[0].destinationCountry'],
    [
      'expiry after grant',
      { outcome: 'licence_granted', licence: { type: 'siel', reference: 'R', grantedOn: '2026-05-01', expiresOn: '2026-04-01' } },
      'licence.expiresOn',
    ],
  ])('%s', (_name, over, field) => {
    expect(assessmentProblems(base(over)).map((p) => p.field)).toContain(field);
  });

  it('a WMD concern rules out "no licence required" even for unlisted items', () => {
    const problems = assessmentProblems(
      base({
        outcome: 'not_listed',
        exemptions: [],
        items: [{ description: 'x', destinationCountry: 'IR', notListed: true }],
        endUseConcern: { concern: true, kind: 'wmd' },
      }),
    );
    expect(problems.map((p) => p.field)).toEqual(['outcome']);
  });
});

describe('licence gate', () => {
  it.each([
    ['licence_required', true],
    ['licence_applied', true],
    ['licence_refused', true],
    ['licence_granted', false],
    ['ogel', false],
    ['no_licence_required', false],
    ['not_listed', false],
  ] as const)('%s holds the stage: %s', (outcome, held) => {
    expect(licenceGate(outcome) !== null).toBe(held);
  });

  it.each([
    ['2028-06-30', '2026-01-01', '2028-05-31'],
    ['2026-01-10', '2026-01-01', '2026-01-01'],
  ])('reminder for expiry %s seen on %s is %s', (expires, today, remind) => {
    expect(licenceReminderDate(expires, today)).toBe(remind);
  });
});
