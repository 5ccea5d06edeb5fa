import type { ForecastDay, Helpdesk } from './campaign-types.ts';
import { localClock, staffedDays } from './staffed-hours.ts';

/**
 * Day by day in the help desk's time zone: how many invitations go out at `ratePerHour` in staffed hours, the
 * tickets they should cause at `contactRate`, and what the desk can take. Stops when `remaining` is sent.
 */
export function forecastSending(helpdesk: Helpdesk, from: Date, remaining: number, ratePerHour: number, contactRate: number): { days: ForecastDay[]; endDate: string | null } {
  const days: ForecastDay[] = [];
  let left = remaining;
  if (left <= 0) return { days, endDate: null };
  for (const day of staffedDays(helpdesk, from, 366)) {
    const invitations = Math.min(left, Math.floor((ratePerHour * day.staffedMinutes) / 60));
    const capacity = Math.round((helpdesk.capacity_per_hour * day.staffedMinutes) / 60);
    days.push({ date: day.date, invitations, expected_tickets: Math.round(invitations * contactRate * 10) / 10, capacity });
    left -= invitations;
    if (left <= 0) return { days, endDate: day.date };
    if (ratePerHour <= 0) break;
  }
  return { days, endDate: null };
}

/** When the last of `remaining` invitations should go out: staffed time needed, laid over the days ahead. */
export function estimateFinish(helpdesk: Helpdesk, from: Date, remaining: number, ratePerHour: number): Date | null {
  if (remaining <= 0 || ratePerHour <= 0) return null;
  let minutesNeeded = (remaining * 60) / ratePerHour;
  const now = localClock(helpdesk.timezone, from);
  const localMidnight = from.getTime() - (Number(now.time.slice(0, 2)) * 60 + Number(now.time.slice(3))) * 60_000;
  let dayIndex = 0;
  for (const day of staffedDays(helpdesk, from)) {
    if (day.staffedMinutes >= minutesNeeded) {
      // Treats the day's staffed periods as one stretch from its first start: close enough for an ETA.
      const weekday = ((now.day - 1 + dayIndex) % 7) + 1;
      const firstStart = Math.min(...helpdesk.hours.filter((h) => h.days.includes(weekday)).map((h) => Number(h.start.slice(0, 2)) * 60 + Number(h.start.slice(3))));
      const startOfWork = dayIndex === 0 ? Math.max(firstStart, Number(now.time.slice(0, 2)) * 60 + Number(now.time.slice(3))) : firstStart;
      return new Date(localMidnight + (dayIndex * 24 * 60 + startOfWork + minutesNeeded) * 60_000);
    }
    minutesNeeded -= day.staffedMinutes;
    dayIndex += 1;
  }
  return null;
}
