/** Clock arithmetic for alerts: daily digest times in a channel's time zone, UTC days for sources. */

/** True for an IANA zone name Node knows (`Europe/Berlin`, `UTC`). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** `9:05`, `09:05` → `09:05`; undefined when it is not a time of day. */
export function parseTimeOfDay(text: string): string | undefined {
  const match = /^([01]?\d|2[0-3])[:.h]([0-5]\d)$/.exec(text.trim());
  return match ? `${match[1]!.padStart(2, '0')}:${match[2]}` : undefined;
}

function zonedParts(ms: number, zone: string): { y: number; m: number; d: number; h: number; mi: number; s: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(ms));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { y: get('year'), m: get('month'), d: get('day'), h: get('hour') % 24, mi: get('minute'), s: get('second') };
}

/** Milliseconds the zone is ahead of UTC at `ms`. */
function offsetAt(ms: number, zone: string): number {
  const p = zonedParts(ms, zone);
  return Date.UTC(p.y, p.m - 1, p.d, p.h, p.mi, p.s) - Math.floor(ms / 1000) * 1000;
}

/** The UTC instant of a local wall-clock time in a zone. */
function zonedToUtc(y: number, m: number, d: number, h: number, mi: number, zone: string): number {
  const guess = Date.UTC(y, m - 1, d, h, mi);
  const first = guess - offsetAt(guess, zone);
  return guess - offsetAt(first, zone);
}

/** The next instant (at or after `now`) when the clock in `zone` shows `time` (`HH:MM`), as an ISO string. */
export function nextDigestAt(time: string, zone: string, now: Date): string {
  const [h, mi] = time.split(':').map(Number) as [number, number];
  const local = zonedParts(now.getTime(), zone);
  for (let add = 0; add < 3; add++) {
    const day = new Date(Date.UTC(local.y, local.m - 1, local.d + add));
    const at = zonedToUtc(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), h, mi, zone);
    if (at >= now.getTime()) return new Date(at).toISOString();
  }
  return new Date(now.getTime() + 86_400_000).toISOString();
}

/** `YYYY-MM-DD` of an instant in UTC. */
export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The days strictly between two `YYYY-MM-DD` days, oldest first, at most `max` (the most recent ones). */
export function daysBetween(after: string, before: string, max: number): string[] {
  const days: string[] = [];
  const end = Date.parse(`${before}T00:00:00Z`);
  for (let t = Date.parse(`${after}T00:00:00Z`) + 86_400_000; t < end; t += 86_400_000)
    days.push(new Date(t).toISOString().slice(0, 10));
  return days.slice(-max);
}
