import Holidays from 'date-holidays';
import { DateTime, Duration } from 'luxon';
import { DomainError, ErrorCode } from './errors';

/**
 * Business time: working hours in the institution's zone, minus the GOV.UK bank holidays
 * of its division and the university's own closure days. Pure: a calendar is built from
 * plain settings; nothing here reads the clock.
 */
export type HolidayDivision = 'england-and-wales' | 'scotland' | 'northern-ireland';

export interface WorkingHours {
  /** ISO weekdays that are working days: 1 = Monday … 7 = Sunday. */
  days: number[];
  /** Local wall-clock times, "HH:mm"; `closes` may be "24:00". */
  opens: string;
  closes: string;
}

export interface CalendarSettings {
  zone: string;
  division: HolidayDivision;
  hours: WorkingHours;
  /** Extra non-working dates (YYYY-MM-DD), e.g. the Christmas shutdown. */
  closureDays: string[];
}

export const DEFAULT_WORKING_HOURS: WorkingHours = { days: [1, 2, 3, 4, 5], opens: '09:00', closes: '17:00' };

// date-holidays names the GB subdivisions; Wales shares England's list.
const SUBDIVISION: Record<HolidayDivision, string> = { 'england-and-wales': 'ENG', scotland: 'SCT', 'northern-ireland': 'NIR' };
const holidayCache = new Map<string, Set<string>>();

/** The bank holidays (substitute days included) of one division in one year, as YYYY-MM-DD. */
export function bankHolidays(division: HolidayDivision, year: number): Set<string> {
  const key = `${division}:${year}`;
  let set = holidayCache.get(key);
  if (!set) {
    const hd = new Holidays('GB', SUBDIVISION[division]);
    set = new Set(
      hd
        .getHolidays(year)
        .filter((h) => h.type === 'public')
        .map((h) => h.date.slice(0, 10)),
    );
    holidayCache.set(key, set);
  }
  return set;
}

function minutesOf(hhmm: string, field: string): number {
  const m = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(hhmm);
  const v = m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
  if (!m || v > 24 * 60) throw new DomainError(ErrorCode.VALIDATION_FAILED, `${field}: "${hhmm}" is not a time such as 09:00.`);
  return v;
}

export function validateWorkingHours(h: WorkingHours): void {
  if (!Array.isArray(h.days) || !h.days.length || h.days.some((d) => !Number.isInteger(d) || d < 1 || d > 7)) {
    throw new DomainError(ErrorCode.VALIDATION_FAILED, 'days: list the working weekdays as numbers 1 (Monday) to 7 (Sunday).');
  }
  if (minutesOf(h.opens, 'opens') >= minutesOf(h.closes, 'closes')) {
    throw new DomainError(ErrorCode.VALIDATION_FAILED, `closes (${h.closes}) must be later than opens (${h.opens}).`);
  }
}

const MAX_DAYS = 366 * 30;
const DAY_MS = 86_400_000;
/** Days a calendar remembers (about 110 years); past that the table starts afresh. */
const MAX_REMEMBERED_DAYS = 40_000;

/** One local date of the calendar: its midnight, its ISO date, and its open window (null: not a working day). */
interface DayInfo {
  start: number;
  iso: string;
  window: [number, number] | null;
}

/**
 * A local date as a whole number: days since 1970-01-01 on the civil calendar (the same
 * date everywhere; the zone decides only where it starts and ends).
 */
const civilDay = (year: number, month: number, day: number): number => Date.UTC(year, month - 1, day) / DAY_MS;

export class BusinessCalendar {
  private readonly opensMin: number;
  private readonly closesMin: number;
  private readonly closures: Set<string>;
  /**
   * Each local date's midnight and open window, worked out once (issue 17): the zone
   * arithmetic of luxon (Intl offsets) was most of a command's CPU when every SLA date
   * walked the days afresh. A calendar is immutable, so the table never goes stale.
   */
  private readonly days = new Map<number, DayInfo>();

  /** Calendars by their settings, so that the days one worked out serve the next request with the same settings. */
  private static readonly shared = new Map<string, BusinessCalendar>();

  /**
   * The calendar of these settings, shared: a new one works out each day of a range afresh
   * (luxon's zone arithmetic, ~0.3 ms a day: most of a year's report before it was shared).
   * The few most recently used settings are kept.
   */
  static of(settings: CalendarSettings): BusinessCalendar {
    const key = JSON.stringify([settings.zone, settings.division, settings.hours, [...settings.closureDays].sort()]);
    let cal = BusinessCalendar.shared.get(key);
    if (cal) BusinessCalendar.shared.delete(key);
    else cal = new BusinessCalendar(settings);
    BusinessCalendar.shared.set(key, cal);
    if (BusinessCalendar.shared.size > 8) BusinessCalendar.shared.delete(BusinessCalendar.shared.keys().next().value!);
    return cal;
  }

  constructor(readonly settings: CalendarSettings) {
    validateWorkingHours(settings.hours);
    this.opensMin = minutesOf(settings.hours.opens, 'opens');
    this.closesMin = minutesOf(settings.hours.closes, 'closes');
    this.closures = new Set(settings.closureDays);
  }

  /** A nominal working day ("3 working days" = 3 × this), in milliseconds. */
  get dayMs(): number {
    return (this.closesMin - this.opensMin) * 60_000;
  }

  isWorkingDay(date: DateTime): boolean {
    return this.isWorking(date.toISODate()!, date.weekday, date.year);
  }

  private isWorking(iso: string, weekday: number, year: number): boolean {
    return this.settings.hours.days.includes(weekday) && !bankHolidays(this.settings.division, year).has(iso) && !this.closures.has(iso);
  }

  /** The local date `dn` (civilDay): midnight, ISO date and open window, from the table or worked out once. */
  private day(dn: number): DayInfo {
    let info = this.days.get(dn);
    if (info) return info;
    const civil = new Date(dn * DAY_MS);
    const year = civil.getUTCFullYear();
    const month = civil.getUTCMonth() + 1;
    const day = civil.getUTCDate();
    const weekday = ((civil.getUTCDay() + 6) % 7) + 1;
    const iso = civil.toISOString().slice(0, 10);
    const zone = { zone: this.settings.zone };
    const midnight = DateTime.fromObject({ year, month, day }, zone).startOf('day');
    let window: [number, number] | null = null;
    // DST-correct: the window is built from wall-clock times of that date.
    if (this.isWorking(iso, weekday, year)) {
      const open = DateTime.fromObject({ year, month, day, hour: Math.floor(this.opensMin / 60), minute: this.opensMin % 60 }, zone);
      const close =
        this.closesMin === 24 * 60
          ? midnight.plus({ days: 1 })
          : DateTime.fromObject({ year, month, day, hour: Math.floor(this.closesMin / 60), minute: this.closesMin % 60 }, zone);
      window = [open.toMillis(), close.toMillis()];
    }
    info = { start: midnight.toMillis(), iso, window };
    if (this.days.size >= MAX_REMEMBERED_DAYS) this.days.clear();
    this.days.set(dn, info);
    return info;
  }

  /** The local date the instant `t` falls on (civilDay), from the table's midnights. */
  private dayOf(t: number): number {
    // The zone's offset is under a day, so the local date is the UTC date or one either side.
    let dn = Math.floor(t / DAY_MS);
    while (this.day(dn).start > t) dn--;
    while (this.day(dn + 1).start <= t) dn++;
    return dn;
  }

  /**
   * Each local date from `fromDay` to `toDay` (ISO dates, inclusive) with its open window, or
   * nulls on a non-working day: what a report needs to measure business time in SQL.
   */
  dayWindows(fromDay: string, toDay: string): { day: string; opens: Date | null; closes: Date | null }[] {
    const out: { day: string; opens: Date | null; closes: Date | null }[] = [];
    const from = DateTime.fromISO(fromDay, { zone: this.settings.zone });
    const to = DateTime.fromISO(toDay, { zone: this.settings.zone });
    if (!from.isValid || !to.isValid) return out;
    const last = civilDay(to.year, to.month, to.day);
    for (let dn = civilDay(from.year, from.month, from.day), i = 0; dn <= last && i < MAX_DAYS; dn++, i++) {
      const d = this.day(dn);
      out.push({ day: d.iso, opens: d.window ? new Date(d.window[0]) : null, closes: d.window ? new Date(d.window[1]) : null });
    }
    return out;
  }

  isOpen(t: Date): boolean {
    const w = this.day(this.dayOf(t.getTime())).window;
    return !!w && t.getTime() >= w[0] && t.getTime() < w[1];
  }

  /** `t` itself when open, else the next opening. */
  nextOpening(t: Date): Date {
    let dn = this.dayOf(t.getTime());
    for (let i = 0; i < MAX_DAYS; i++, dn++) {
      const w = this.day(dn).window;
      if (w && t.getTime() < w[1]) return new Date(Math.max(w[0], t.getTime()));
    }
    throw new DomainError(ErrorCode.VALIDATION_FAILED, 'The business calendar has no working time in the next thirty years.');
  }

  /**
   * `t` plus `ms` of business time (minus, when negative). A deadline that uses up a
   * day exactly lands on that day's closing time, not on the next opening.
   */
  add(t: Date, ms: number): Date {
    if (ms === 0) return t;
    const cursor = t.getTime();
    let remaining = Math.abs(ms);
    const forward = ms > 0;
    let dn = this.dayOf(cursor);
    for (let i = 0; i < MAX_DAYS; i++, dn += forward ? 1 : -1) {
      const w = this.day(dn).window;
      if (!w) continue;
      if (forward) {
        const start = Math.max(cursor, w[0]);
        if (start >= w[1]) continue;
        if (remaining <= w[1] - start) return new Date(start + remaining);
        remaining -= w[1] - start;
      } else {
        const end = Math.min(cursor, w[1]);
        if (end <= w[0]) continue;
        if (remaining < end - w[0]) return new Date(end - remaining);
        remaining -= end - w[0];
      }
    }
    throw new DomainError(ErrorCode.VALIDATION_FAILED, 'The business calendar has no working time in the next thirty years.');
  }

  addDays(t: Date, days: number): Date {
    return this.add(t, days * this.dayMs);
  }

  /** Business time between two instants (0 when `b` is not after `a`), less any paused intervals. */
  between(a: Date, b: Date, pauses: { from: Date; to: Date }[] = []): number {
    const total = this.rawBetween(a.getTime(), b.getTime());
    const paused = pauses.reduce((sum, p) => {
      const from = Math.max(p.from.getTime(), a.getTime());
      const to = Math.min(p.to.getTime(), b.getTime());
      return sum + this.rawBetween(from, to);
    }, 0);
    return Math.max(0, total - paused);
  }

  private rawBetween(a: number, b: number): number {
    if (b <= a) return 0;
    let sum = 0;
    for (let dn = this.dayOf(a), i = 0; this.day(dn).start < b && i < MAX_DAYS; dn++, i++) {
      const w = this.day(dn).window;
      if (w) sum += Math.max(0, Math.min(b, w[1]) - Math.max(a, w[0]));
    }
    return sum;
  }
}

/**
 * A policy duration: an ISO-8601 duration ("PT30S", "P2D") counts elapsed time; "3wd",
 * "4wh", "30wm" count working days, hours and minutes.
 */
export type SlaDuration = { mode: 'elapsed'; ms: number; text: string } | { mode: 'business'; unit: 'wd' | 'wh' | 'wm'; amount: number; text: string };

export function parseSlaDuration(text: string, field = 'duration'): SlaDuration {
  const t = String(text ?? '').trim();
  const b = /^(\d+(?:\.\d+)?)\s*(wd|wh|wm)$/i.exec(t);
  if (b) return { mode: 'business', unit: b[2].toLowerCase() as 'wd' | 'wh' | 'wm', amount: Number(b[1]), text: t };
  const d = Duration.fromISO(t);
  if (!d.isValid || !/\d/.test(t) || !t.startsWith('P') || d.toMillis() < 0 || /-/.test(t)) {
    throw new DomainError(
      ErrorCode.VALIDATION_FAILED,
      `${field}: "${t}" is neither an ISO-8601 duration (PT30S, P2D) nor a working-time length (3wd, 4wh, 30wm).`,
    );
  }
  return { mode: 'elapsed', ms: d.toMillis(), text: t };
}

/** A policy duration as a person reads it: "3wd" -> "3 working days", "PT4H" -> "4 hours". */
export function describeSlaDuration(text: string): string {
  const d = parseSlaDuration(text);
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (d.mode === 'business') return plural(d.amount, d.unit === 'wd' ? 'working day' : d.unit === 'wh' ? 'working hour' : 'working minute');
  const units: [number, string][] = [
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
    [1000, 'second'],
  ];
  const [per, unit] = units.find(([ms]) => d.ms >= ms && d.ms % ms === 0) ?? units.find(([ms]) => d.ms >= ms) ?? [1000, 'second'];
  return plural(Math.round((d.ms / per) * 10) / 10, unit);
}

/** Length of a duration in its own mode's milliseconds (business ms count only open time). */
export function durationMs(d: SlaDuration, cal: BusinessCalendar): number {
  if (d.mode === 'elapsed') return d.ms;
  const per = d.unit === 'wd' ? cal.dayMs : d.unit === 'wh' ? 3_600_000 : 60_000;
  return Math.round(d.amount * per);
}

/** A clock counts either elapsed or business milliseconds. */
export type ClockMode = 'elapsed' | 'business';

export function clockAdd(mode: ClockMode, cal: BusinessCalendar, t: Date, ms: number): Date {
  return mode === 'elapsed' ? new Date(t.getTime() + ms) : cal.add(t, ms);
}

export function clockBetween(mode: ClockMode, cal: BusinessCalendar, a: Date, b: Date): number {
  return mode === 'elapsed' ? Math.max(0, b.getTime() - a.getTime()) : cal.between(a, b);
}
