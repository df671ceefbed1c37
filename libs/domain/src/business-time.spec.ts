import { BusinessCalendar, bankHolidays, CalendarSettings, DEFAULT_WORKING_HOURS, HolidayDivision, parseSlaDuration } from './business-time';
import { DomainError } from './errors';

const H = 3_600_000;
const cal = (division: HolidayDivision = 'england-and-wales', closureDays: string[] = [], hours = DEFAULT_WORKING_HOURS) =>
  new BusinessCalendar({ zone: 'Europe/London', division, hours, closureDays } as CalendarSettings);
const iso = (d: Date) => d.toISOString();

describe('bank holidays by division (date-holidays)', () => {
  it.each([
    ['england-and-wales', '2026-08-31', true],
    ['scotland', '2026-08-31', false],
    ['scotland', '2026-08-03', true],
    ['scotland', '2026-01-02', true],
    ['england-and-wales', '2026-01-02', false],
    ['scotland', '2026-11-30', true],
    ['northern-ireland', '2026-03-17', true],
    ['england-and-wales', '2026-03-17', false],
    ['northern-ireland', '2026-07-13', true],
    ['england-and-wales', '2026-12-28', true],
    ['england-and-wales', '2027-12-27', true],
    ['england-and-wales', '2027-12-28', true],
    ['england-and-wales', '2026-04-06', true],
    ['scotland', '2026-04-06', false],
  ] as const)('%s %s → %s', (division, date, expected) => {
    expect(bankHolidays(division, Number(date.slice(0, 4))).has(date)).toBe(expected);
  });
});

describe('adding business time', () => {
  it.each([
    // [what, division, start, hours to add, expected]
    ['within a day', 'england-and-wales', '2026-02-02T10:00:00Z', 3, '2026-02-02T13:00:00Z'],
    ['lands exactly on a closing time: stays at 17:00', 'england-and-wales', '2026-02-02T10:00:00Z', 7, '2026-02-02T17:00:00Z'],
    ['one minute past closing rolls to the next opening', 'england-and-wales', '2026-02-02T10:00:00Z', 7 + 1 / 60, '2026-02-03T09:01:00Z'],
    ['starting before opening counts from 09:00', 'england-and-wales', '2026-02-02T06:30:00Z', 2, '2026-02-02T11:00:00Z'],
    ['starting after closing counts from the next opening', 'england-and-wales', '2026-02-02T18:00:00Z', 1, '2026-02-03T10:00:00Z'],
    ['over a weekend', 'england-and-wales', '2026-02-06T16:00:00Z', 2, '2026-02-09T10:00:00Z'],
    ['starting on a Saturday', 'england-and-wales', '2026-02-07T12:00:00Z', 8, '2026-02-09T17:00:00Z'],
    // Clocks go forward on Sunday 29 March 2026: Friday 16:00 GMT + 2h = Monday 10:00 BST = 09:00Z.
    ['across the spring clock change', 'england-and-wales', '2026-03-27T16:00:00Z', 2, '2026-03-30T09:00:00Z'],
    // Clocks go back on Sunday 25 October 2026: Friday 16:00 BST (15:00Z) + 2h = Monday 10:00 GMT.
    ['across the autumn clock change', 'england-and-wales', '2026-10-23T15:00:00Z', 2, '2026-10-26T10:00:00Z'],
    // Christmas 2026: Fri 25, Sat 26, Boxing Day substitute Mon 28; New Year Fri 1 Jan 2027.
    ['over Christmas with a substitute day', 'england-and-wales', '2026-12-24T16:00:00Z', 2, '2026-12-29T10:00:00Z'],
    ['over New Year', 'england-and-wales', '2026-12-31T16:00:00Z', 2, '2027-01-04T10:00:00Z'],
    // 2027: Christmas (Sat) and Boxing Day (Sun) are substituted on Mon 27 and Tue 28.
    ['over Christmas 2027 with two substitute days', 'england-and-wales', '2027-12-24T16:00:00Z', 2, '2027-12-29T10:00:00Z'],
    // 2 January is a bank holiday only in Scotland (2026: a Friday).
    ['Scotland: 2 January is a holiday', 'scotland', '2026-01-01T12:00:00Z', 1, '2026-01-05T10:00:00Z'],
    ['England: 2 January is a working day', 'england-and-wales', '2026-01-01T12:00:00Z', 1, '2026-01-02T10:00:00Z'],
    ['Scotland: St Andrew’s Day (Mon 30 Nov 2026)', 'scotland', '2026-11-27T16:00:00Z', 2, '2026-12-01T10:00:00Z'],
    ['Northern Ireland: St Patrick’s Day', 'northern-ireland', '2026-03-16T16:00:00Z', 2, '2026-03-18T10:00:00Z'],
  ] as const)('%s', (_what, division, start, hours, expected) => {
    expect(iso(cal(division).add(new Date(start), hours * H))).toBe(new Date(expected).toISOString());
  });

  it('subtracts business time (for "2 working days before the reply is due")', () => {
    const c = cal();
    expect(iso(c.add(new Date('2026-02-06T17:00:00Z'), -2 * c.dayMs))).toBe('2026-02-04T17:00:00.000Z');
    expect(iso(c.add(new Date('2026-02-09T10:00:00Z'), -2 * H))).toBe('2026-02-06T16:00:00.000Z');
  });

  it('counts working days as whole working days', () => {
    const c = cal();
    expect(iso(c.addDays(new Date('2026-02-02T10:00:00Z'), 3))).toBe('2026-02-05T10:00:00.000Z');
    // Friday 17:00 + 1 working day = Monday 17:00 (the deadline lands on the closing time).
    expect(iso(c.addDays(new Date('2026-02-06T17:00:00Z'), 1))).toBe('2026-02-09T17:00:00.000Z');
  });

  it('skips the university’s own closure days', () => {
    const shut = cal('england-and-wales', ['2026-12-29', '2026-12-30', '2026-12-31']);
    expect(iso(shut.add(new Date('2026-12-24T16:00:00Z'), 2 * H))).toBe('2027-01-04T10:00:00.000Z');
  });

  it('honours configured working hours', () => {
    const c = cal('england-and-wales', [], { days: [1, 2, 3, 4], opens: '08:30', closes: '12:30' });
    expect(iso(c.add(new Date('2026-02-05T12:00:00Z'), 1 * H))).toBe('2026-02-09T09:00:00.000Z'); // Thu 12:00 + 1h: 30 min Thu, 30 min Mon
    expect(c.dayMs).toBe(4 * H);
  });
});

describe('business time between two instants', () => {
  it.each([
    ['same day', '2026-02-02T10:00:00Z', '2026-02-02T12:30:00Z', 2.5],
    ['overnight', '2026-02-02T16:00:00Z', '2026-02-03T10:00:00Z', 2],
    ['a whole week', '2026-02-02T00:00:00Z', '2026-02-09T00:00:00Z', 40],
    ['a weekend only', '2026-02-07T00:00:00Z', '2026-02-09T00:00:00Z', 0],
    ['backwards is zero', '2026-02-03T10:00:00Z', '2026-02-02T10:00:00Z', 0],
    ['across the spring clock change', '2026-03-27T16:00:00Z', '2026-03-30T09:00:00Z', 2],
    ['across the autumn clock change', '2026-10-23T15:00:00Z', '2026-10-26T10:00:00Z', 2],
    ['Christmas fortnight 2026 (25th, 28th and 1st off)', '2026-12-21T00:00:00Z', '2027-01-04T00:00:00Z', 8 * 7],
  ] as const)('%s', (_what, a, b, hours) => {
    expect(cal().between(new Date(a), new Date(b))).toBe(hours * H);
  });

  it('leaves out paused intervals', () => {
    const c = cal();
    const pauses = [{ from: new Date('2026-02-02T12:00:00Z'), to: new Date('2026-02-03T12:00:00Z') }];
    expect(c.between(new Date('2026-02-02T09:00:00Z'), new Date('2026-02-04T09:00:00Z'), pauses)).toBe(8 * H);
  });

  it('is the inverse of add', () => {
    const c = cal('scotland');
    const start = new Date('2026-12-23T11:17:00Z');
    for (const h of [1, 7, 13, 40, 77]) expect(c.between(start, c.add(start, h * H))).toBe(h * H);
  });
});

describe('opening hours', () => {
  it.each([
    ['2026-02-02T08:59:00Z', false, '2026-02-02T09:00:00.000Z'],
    ['2026-02-02T09:00:00Z', true, '2026-02-02T09:00:00.000Z'],
    ['2026-02-02T17:00:00Z', false, '2026-02-03T09:00:00.000Z'],
    ['2026-02-07T10:00:00Z', false, '2026-02-09T09:00:00.000Z'],
    ['2026-07-01T08:30:00Z', true, '2026-07-01T08:30:00.000Z'], // 09:30 BST
    ['2026-12-24T17:30:00Z', false, '2026-12-29T09:00:00.000Z'],
  ] as const)('%s open=%s next=%s', (t, open, next) => {
    expect(cal().isOpen(new Date(t))).toBe(open);
    expect(iso(cal().nextOpening(new Date(t)))).toBe(next);
  });
});

describe('policy durations', () => {
  it.each([
    ['PT30S', { mode: 'elapsed', ms: 30_000 }],
    ['P2D', { mode: 'elapsed', ms: 48 * H }],
    ['3wd', { mode: 'business', unit: 'wd', amount: 3 }],
    ['4wh', { mode: 'business', unit: 'wh', amount: 4 }],
    ['0.5wd', { mode: 'business', unit: 'wd', amount: 0.5 }],
  ])('%s', (text, expected) => expect(parseSlaDuration(text)).toMatchObject(expected));

  it.each(['', '3', 'three days', 'PT', '3dw', '-1wd', 'PT-1S'])('refuses %j', (text) => {
    expect(() => parseSlaDuration(text)).toThrow(DomainError);
  });

  it('refuses working hours that close before they open', () => {
    expect(() => cal('england-and-wales', [], { days: [1], opens: '17:00', closes: '09:00' })).toThrow(DomainError);
    expect(() => cal('england-and-wales', [], { days: [8], opens: '09:00', closes: '17:00' })).toThrow(DomainError);
  });
});

describe('day windows (what the reports measure business time against in SQL)', () => {
  it('lists each local day with its open window, nulls on weekends, bank holidays and closure days, across a clock change', () => {
    const days = cal('england-and-wales', ['2026-12-29']).dayWindows('2026-12-24', '2026-12-30');
    expect(days.map((d) => [d.day, d.opens && iso(d.opens), d.closes && iso(d.closes)])).toEqual([
      ['2026-12-24', '2026-12-24T09:00:00.000Z', '2026-12-24T17:00:00.000Z'],
      ['2026-12-25', null, null],
      ['2026-12-26', null, null],
      ['2026-12-27', null, null],
      ['2026-12-28', null, null],
      ['2026-12-29', null, null],
      ['2026-12-30', '2026-12-30T09:00:00.000Z', '2026-12-30T17:00:00.000Z'],
    ]);
    const summer = cal().dayWindows('2026-03-27', '2026-03-30'); // BST from 29 March
    expect(summer.map((d) => d.opens && iso(d.opens))).toEqual(['2026-03-27T09:00:00.000Z', null, null, '2026-03-30T08:00:00.000Z']);
    // Summed, the windows are what between() counts.
    const c = cal();
    const w = c.dayWindows('2026-03-23', '2026-04-03');
    const total = w.reduce((s, d) => s + (d.opens && d.closes ? d.closes.getTime() - d.opens.getTime() : 0), 0);
    expect(total).toBe(c.between(new Date('2026-03-23T00:00:00Z'), new Date('2026-04-03T23:00:00Z')));
  });
});

describe('the calendar’s table of days (worked out once per date, issue 17)', () => {
  it('finds the local date of an instant in zones far from UTC, at midnight and across clock changes', () => {
    // Auckland is UTC+13 in January: 10:30Z on Sunday 4 Jan is 23:30 Sunday local; 11:00Z is Monday 00:00.
    const nz = new BusinessCalendar({ zone: 'Pacific/Auckland', division: 'england-and-wales', hours: DEFAULT_WORKING_HOURS, closureDays: [] });
    expect(iso(nz.nextOpening(new Date('2026-01-04T10:30:00Z')))).toBe('2026-01-04T20:00:00.000Z'); // Monday 09:00 NZDT
    expect(iso(nz.nextOpening(new Date('2026-01-04T11:00:00Z')))).toBe('2026-01-04T20:00:00.000Z');
    // New York, open round the clock every day: closing at 24:00 is the next local midnight.
    const ny = new BusinessCalendar({
      zone: 'America/New_York',
      division: 'england-and-wales',
      hours: { days: [1, 2, 3, 4, 5, 6, 7], opens: '00:00', closes: '24:00' },
      closureDays: [],
    });
    // Sunday 8 March 2026 has 23 hours (clocks go forward at 02:00): a whole day of business time is 23 h long.
    expect(ny.between(new Date('2026-03-08T05:00:00Z'), new Date('2026-03-09T04:00:00Z'))).toBe(23 * H);
    expect(iso(ny.add(new Date('2026-03-08T05:00:00Z'), 23 * H))).toBe('2026-03-09T04:00:00.000Z');
    // Asking the same dates again answers the same (the table is read, not rebuilt).
    expect(iso(ny.add(new Date('2026-03-08T05:00:00Z'), 23 * H))).toBe('2026-03-09T04:00:00.000Z');
    expect(ny.isOpen(new Date('2026-03-09T03:59:59Z'))).toBe(true);
  });
});

describe('shared calendars (BusinessCalendar.of)', () => {
  const settings = (closureDays: string[] = []): CalendarSettings => ({
    zone: 'Europe/London',
    division: 'england-and-wales',
    hours: DEFAULT_WORKING_HOURS,
    closureDays,
  });

  it('gives the same calendar, with the days it has worked out, for the same settings', () => {
    const a = BusinessCalendar.of(settings(['2026-12-24']));
    expect(BusinessCalendar.of(settings(['2026-12-24']))).toBe(a);
    expect(BusinessCalendar.of(settings(['2026-12-24'])).dayWindows('2026-12-23', '2026-12-24')).toEqual(
      cal('england-and-wales', ['2026-12-24']).dayWindows('2026-12-23', '2026-12-24'),
    );
  });

  it('gives another calendar when a setting differs', () => {
    expect(BusinessCalendar.of(settings(['2026-12-24']))).not.toBe(BusinessCalendar.of(settings([])));
    expect(BusinessCalendar.of(settings([])).dayWindows('2026-12-24', '2026-12-24')[0].opens).not.toBeNull();
    expect(BusinessCalendar.of(settings(['2026-12-24'])).dayWindows('2026-12-24', '2026-12-24')[0].opens).toBeNull();
  });
});
