import type { ErrorInfo } from '@/lib/dashboard/types';
import { errorHint, errorTitle } from './describe';

/**
 * A failed read or action as a person would explain it: what happened (the server's message) and what to
 * do (its hint). `retrying` tells the reader the page keeps trying on its own.
 */
export function ErrorPanel({
  error,
  retrying = false,
  compact = false,
  subject,
}: {
  error: ErrorInfo;
  retrying?: boolean;
  compact?: boolean;
  /** What the error is about (a device id), for readers who meet the panel away from its row. */
  subject?: string;
}) {
  const hint = errorHint(error);
  return (
    <div
      role="alert"
      className={`rounded-lg bg-rose-50 text-rose-900 ring-1 ring-rose-200 ring-inset ${compact ? 'px-3 py-2 text-sm' : 'px-4 py-3'}`}
    >
      <p className="font-semibold">
        {subject && <span className="sr-only">{subject}: </span>}
        {errorTitle(error)}
      </p>
      <p className={compact ? 'mt-0.5' : 'mt-1 text-sm'}>{error.message}</p>
      {hint && <p className={`mt-1 text-rose-800/90 ${compact ? 'text-xs' : 'text-sm'}`}>{hint}</p>}
      {retrying && (
        <p className="mt-2 flex items-center gap-2 text-xs text-rose-700">
          <span aria-hidden="true" className="size-2 animate-pulse rounded-full bg-rose-400" />
          Still trying; this clears by itself once the problem is fixed.
        </p>
      )}
    </div>
  );
}
