import { formatDate, formatDateTime } from './dates';

describe('formatDate / formatDateTime', () => {
  it('shows a calendar date as "30 November 2026", whatever the zone', () => {
    expect(formatDate('2026-11-30')).toBe('30 November 2026');
    expect(formatDate('2027-01-01', { zone: 'Pacific/Kiritimati' })).toBe('1 January 2027');
    expect(formatDate('2026-12-07', { weekday: true })).toBe('Monday 7 December 2026');
  });

  it('reads an instant in London time (BST and GMT)', () => {
    expect(formatDate('2026-06-30T23:30:00Z')).toBe('1 July 2026');
    expect(formatDateTime('2026-06-30T23:30:00Z')).toBe('1 July 2026, 00:30');
    expect(formatDateTime(new Date('2026-11-30T14:05:00Z'))).toBe('30 November 2026, 14:05');
  });

  it('gives "" for nothing and leaves text that is not a date alone', () => {
    expect(formatDate(null)).toBe('');
    expect(formatDate(undefined)).toBe('');
    expect(formatDate('2026-02-30')).toBe('2026-02-30');
    expect(formatDate('soon')).toBe('soon');
  });
});
