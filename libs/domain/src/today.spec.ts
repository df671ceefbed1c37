import { DateTime } from 'luxon';
import { todayIn } from './today';

const direct = (zone: string, ms: number) => DateTime.fromMillis(ms, { zone }).toISODate();

describe('todayIn', () => {
  it('gives the local date around midnight and across both clock changes, in calls that move forward and back', () => {
    const zones = ['Europe/London', 'America/New_York', 'Pacific/Chatham', 'UTC'];
    // Minutes either side of every local midnight from 20 March to 5 April and 20 October to 5 November 2026 (both clock changes).
    const instants: number[] = [];
    for (const zone of zones)
      for (const [from, to] of [
        ['2026-03-20', '2026-04-05'],
        ['2026-10-20', '2026-11-05'],
      ]) {
        for (let day = DateTime.fromISO(from, { zone }); day.toISODate()! <= to; day = day.plus({ days: 1 }))
          for (const m of [-61, -1, 0, 1, 59, 60, 61, 12 * 60])
            instants.push(day.startOf('day').plus({ minutes: m }).toMillis(), day.startOf('day').toMillis() - 1);
      }
    let checked = 0;
    for (const zone of zones)
      for (const ms of [...instants, ...[...instants].reverse()]) {
        expect(`${zone} ${ms} ${todayIn(zone, ms)}`).toBe(`${zone} ${ms} ${direct(zone, ms)}`);
        checked++;
      }
    expect(checked).toBeGreaterThan(4000);
  });

  it('reads the clock when no instant is given', () => {
    expect(todayIn('Europe/London')).toBe(DateTime.now().setZone('Europe/London').toISODate());
  });
});
