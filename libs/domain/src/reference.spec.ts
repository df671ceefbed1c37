import { DomainError } from './errors';
import { formatReference, parseReference } from './reference';

describe('formatReference', () => {
  it.each([
    [2026, 1, 'TR-2026-00001'],
    [2026, 42, 'TR-2026-00042'],
    [2026, 99999, 'TR-2026-99999'],
    [2026, 100000, 'TR-2026-100000'],
    [2031, 1234567, 'TR-2031-1234567'],
  ])('(%i, %i) → %s', (year, n, expected) => {
    expect(formatReference(year, n)).toBe(expected);
    expect(parseReference(expected)).toEqual({ year, n });
  });

  it.each([
    [2026, 0],
    [2026, -1],
    [2026, 1.5],
    [26, 1],
    [20260, 1],
  ])('refuses (%d, %d)', (year, n) => {
    expect(() => formatReference(year, n)).toThrow(DomainError);
  });
});

describe('parseReference', () => {
  it.each(['TR-2026-0042', 'TR-2026-000042', 'TR-2026-00000', 'tr-2026-00042', 'TR-26-00042', 'TR-2026-00042 ', 'XX-2026-00042', 'TR-2026-', ''])(
    'rejects %j',
    (s) => {
      expect(parseReference(s)).toBeNull();
    },
  );
});
