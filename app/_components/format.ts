/** Time and duration wording shared by the list, the device page and the history. */

const absoluteFormat = new Intl.DateTimeFormat('en-GB', {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

const relativeFormat = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

export function parseTime(iso: string | null | undefined): Date | null {
  if (!iso) return null;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** "26 Nov 2026, 14:03:07" in the browser's time zone. */
export function formatAbsolute(date: Date): string {
  return absoluteFormat.format(date);
}

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

/** "12 seconds ago", "3 minutes ago", "just now". */
export function formatRelative(date: Date, now: number): string {
  const seconds = Math.round((date.getTime() - now) / 1000);
  // Device and browser clocks differ by a little; a time slightly ahead still means "now".
  if (seconds > -5 && seconds < 60) return 'just now';
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size || unit === 'second') {
      return relativeFormat.format(Math.trunc(seconds / size), unit);
    }
  }
  return relativeFormat.format(seconds, 'second');
}

/** "850 ms", "4.2 s", "2 min 5 s". */
export function formatDuration(ms: number | null | undefined): string | null {
  if (ms == null || !Number.isFinite(ms) || ms < 0) return null;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return seconds === 0 ? `${minutes} min` : `${minutes} min ${seconds} s`;
}

/** Compact JSON for one-line display of a method payload. */
export function formatPayload(payload: unknown): string {
  if (payload === undefined || payload === null) return 'no payload';
  if (typeof payload === 'string') return JSON.stringify(payload);
  try {
    return JSON.stringify(payload);
  } catch {
    return String(payload);
  }
}

const timeOfDayFormat = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** "14:03:07" in the browser's time zone. */
export function formatTimeOfDay(date: Date): string {
  return timeOfDayFormat.format(date);
}

/** "+1.9 s" from `from` to `to`, or null when either is missing or the order is reversed. */
export function formatOffset(from: Date | null, to: Date | null): string | null {
  if (!from || !to) return null;
  const text = formatDuration(to.getTime() - from.getTime());
  return text === null ? null : `+${text}`;
}
