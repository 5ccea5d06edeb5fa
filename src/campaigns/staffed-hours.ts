import type { Helpdesk } from './campaign-types.ts';

const WEEKDAY: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timezone: string): Intl.DateTimeFormat {
  let format = formatters.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', { timeZone: timezone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timezone, format);
  }
  return format;
}

/** The ISO weekday and "HH:MM" at `at` in the help desk's time zone. */
export function localClock(timezone: string, at: Date): { day: number; time: string } {
  const parts = Object.fromEntries(formatter(timezone).formatToParts(at).map((p) => [p.type, p.value]));
  return { day: WEEKDAY[parts.weekday!]!, time: `${parts.hour}:${parts.minute}` };
}

/** True when `at` falls in one of the staffed periods; `end` is exclusive and "24:00" means the end of the day. */
export function isStaffed(helpdesk: Pick<Helpdesk, 'timezone' | 'hours'>, at: Date): boolean {
  const { day, time } = localClock(helpdesk.timezone, at);
  return helpdesk.hours.some((h) => h.days.includes(day) && time >= h.start && time < h.end);
}

function minutesOf(time: string): number {
  const [hours, minutes] = time.split(':').map(Number);
  return hours! * 60 + minutes!;
}

/** Staffed minutes of a local weekday after local minute `fromMinute`: the union of the periods that cover that day. */
export function staffedMinutesOfDay(helpdesk: Pick<Helpdesk, 'hours'>, day: number, fromMinute = 0): number {
  const covered = new Uint8Array(24 * 60);
  for (const period of helpdesk.hours) {
    if (!period.days.includes(day)) continue;
    covered.fill(1, Math.max(minutesOf(period.start), fromMinute), Math.max(minutesOf(period.end), fromMinute));
  }
  return covered.reduce((sum, minute) => sum + minute, 0);
}

export interface StaffedDay {
  /** Local date, YYYY-MM-DD. */
  date: string;
  staffedMinutes: number;
}

/**
 * The days ahead in the help desk's time zone with their staffed minutes, today counting only what is left of it.
 * Day-level steps keep a two-year horizon to ~730 iterations; a DST change shifts a day's boundary by an hour at most.
 */
export function* staffedDays(helpdesk: Pick<Helpdesk, 'timezone' | 'hours'>, from: Date, maxDays = 730): Generator<StaffedDay> {
  const dateFormat = new Intl.DateTimeFormat('en-CA', { timeZone: helpdesk.timezone, year: 'numeric', month: '2-digit', day: '2-digit' });
  const now = localClock(helpdesk.timezone, from);
  for (let i = 0; i < maxDays; i++) {
    const at = new Date(from.getTime() + i * 86_400_000);
    const day = ((now.day - 1 + i) % 7) + 1;
    yield { date: dateFormat.format(at), staffedMinutes: staffedMinutesOfDay(helpdesk, day, i === 0 ? minutesOf(now.time) : 0) };
  }
}
