import { DateTime } from 'luxon';

/** Per zone: the local day the last call fell in, as [from, until) in epoch ms, and its date. */
const days = new Map<string, { from: number; until: number; iso: string }>();

/**
 * Today's date (YYYY-MM-DD) in `zone`: what `DateTime.now().setZone(zone).toISODate()`
 * gives, but the zone arithmetic (Intl, ~0.1 ms) runs once per local day, not per call;
 * every case request asks for today a few times (visibility, sign-off delegations).
 */
export function todayIn(zone: string, now: number = Date.now()): string {
  const d = days.get(zone);
  if (d && now >= d.from && now < d.until) return d.iso;
  const t = DateTime.fromMillis(now, { zone });
  const start = t.startOf('day');
  const day = { from: start.toMillis(), until: start.plus({ days: 1 }).toMillis(), iso: t.toISODate()! };
  days.set(zone, day);
  return day.iso;
}
