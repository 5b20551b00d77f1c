'use client';

import { formatAbsolute, formatOffset, formatRelative, formatTimeOfDay, parseTime } from './format';
import { useHydrated } from './use-hydrated';
import { useNow } from './use-now';

/** An ISO time shown absolute with the relative distance beside it; `fallback` when there is none. */
export function Timestamp({
  iso,
  fallback = '—',
  layout = 'stacked',
}: {
  iso: string | null | undefined;
  fallback?: string;
  layout?: 'stacked' | 'inline' | 'relative';
}) {
  // The tick keeps idle rows moving; a render caused by fresh data reads the clock itself, so a time that
  // just arrived is never shown as lying in the future.
  const tick = useNow();
  const hydrated = useHydrated();
  const date = parseTime(iso);
  if (!date) return <span className="text-slate-500">{fallback}</span>;
  if (!hydrated) return <time dateTime={date.toISOString()} className="inline-block h-4 w-24 animate-pulse rounded bg-slate-100" />;
  const relative = formatRelative(date, Math.max(tick, Date.now()));
  if (layout === 'relative') {
    return (
      <time dateTime={date.toISOString()} title={formatAbsolute(date)}>
        {relative}
      </time>
    );
  }
  return (
    <time
      dateTime={date.toISOString()}
      title={date.toISOString()}
      className={layout === 'stacked' ? 'flex flex-col leading-tight' : 'inline'}
    >
      <span className="tabular-nums">{formatAbsolute(date)}</span>
      <span className={layout === 'stacked' ? 'text-xs text-slate-500' : 'text-slate-500'}>
        {layout === 'inline' ? ` (${relative})` : relative}
      </span>
    </time>
  );
}

/**
 * A step of a reboot as time of day plus how long after the request it happened ("14:03:09 · +1.9 s");
 * the full date is in the tooltip and the datetime attribute.
 */
export function StepTime({ iso, since, fallback = '—' }: { iso: string | null | undefined; since: string | null | undefined; fallback?: string }) {
  const hydrated = useHydrated();
  const date = parseTime(iso);
  if (!date) return <span className="text-slate-500">{fallback}</span>;
  if (!hydrated) return <time dateTime={date.toISOString()} className="inline-block h-4 w-16 animate-pulse rounded bg-slate-100" />;
  const offset = formatOffset(parseTime(since), date);
  return (
    <time dateTime={date.toISOString()} title={formatAbsolute(date)} className="flex flex-col leading-tight">
      <span className="tabular-nums">{formatTimeOfDay(date)}</span>
      {offset && (
        <span className="text-xs text-slate-500 tabular-nums">
          {offset}
          <span className="sr-only"> after the request</span>
        </span>
      )}
    </time>
  );
}
