/**
 * The one way dates are shown to people, in the web and in emails: "30 November 2026"
 * (GOV.UK style), times "30 November 2026, 14:05", in the UK's time zone. Built on Intl
 * (no dependency), so the browser bundle and Node format alike.
 */
export const DISPLAY_ZONE = 'Europe/London';

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const cache = new Map<string, Intl.DateTimeFormat>();
function fmt(zone: string, withTime: boolean, weekday: boolean): Intl.DateTimeFormat {
  const key = `${zone}|${withTime}|${weekday}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      ...(weekday ? { weekday: 'long' as const } : {}),
      ...(withTime ? { hour: '2-digit' as const, minute: '2-digit' as const, hourCycle: 'h23' as const } : {}),
    });
    cache.set(key, f);
  }
  return f;
}

function parts(f: Intl.DateTimeFormat, d: Date): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const p of f.formatToParts(d)) out[p.type] = p.value;
  return out;
}

/** A calendar date ("2026-11-30") stays that date; an instant is read in `zone`. Null for nothing or nonsense. */
function toInstant(value: string | Date | null | undefined): { d: Date; zone?: string } | null {
  if (value === null || value === undefined || value === '') return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : { d: value };
  const m = DATE_ONLY.exec(value);
  if (m) {
    const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 12));
    return d.getUTCDate() === Number(m[3]) && d.getUTCMonth() === Number(m[2]) - 1 ? { d, zone: 'UTC' } : null;
  }
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : { d };
}

/** "30 November 2026"; "" for nothing; text that is not a date comes back unchanged. */
export function formatDate(value: string | Date | null | undefined, opts: { zone?: string; weekday?: boolean } = {}): string {
  const t = toInstant(value);
  if (!t) return typeof value === 'string' ? value : '';
  const p = parts(fmt(t.zone ?? opts.zone ?? DISPLAY_ZONE, false, !!opts.weekday), t.d);
  return `${opts.weekday ? `${p.weekday} ` : ''}${p.day} ${p.month} ${p.year}`;
}

/** "30 November 2026, 14:05" in the UK's time zone (or `zone`). */
export function formatDateTime(value: string | Date | null | undefined, zone: string = DISPLAY_ZONE): string {
  const t = toInstant(value);
  if (!t) return typeof value === 'string' ? value : '';
  if (t.zone) return formatDate(value, { zone });
  const p = parts(fmt(zone, true, false), t.d);
  return `${p.day} ${p.month} ${p.year}, ${p.hour}:${p.minute}`;
}
