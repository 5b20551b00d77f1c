'use client';

import { formatAbsolute, formatRelative, parseTime } from './format';
import { useNow } from './use-now';

/** An ISO time shown absolute with the relative distance beside it; `fallback` when there is none. */
export function Timestamp({
  iso,
  fallback = '—',
  layout = 'stacked',
}: {
  iso: string | null | undefined;
  fallback?: string;
  layout?: 'stacked' | 'inline';
}) {
  // The tick keeps idle rows moving; a render caused by fresh data reads the clock itself, so a time that
  // just arrived is never shown as lying in the future.
  const tick = useNow();
  const date = parseTime(iso);
  if (!date) return <span className="text-slate-500">{fallback}</span>;
  const relative = formatRelative(date, Math.max(tick, Date.now()));
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
