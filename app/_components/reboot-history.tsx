'use client';

import type { RebootEntry } from '@/lib/dashboard/types';
import { useRebootHistory } from '@/lib/swr/use-reboot-history';
import { describePhase, TONE_CLASSES } from './describe';
import { ErrorPanel } from './error-panel';
import { formatDuration, formatOffset, formatPayload, parseTime } from './format';
import { StepTime, Timestamp } from './timestamp';

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd className="mt-0.5 min-w-0 text-sm text-slate-800">{children}</dd>
    </div>
  );
}

function StepTimeOffset({ iso, since }: { iso: string; since: string | null }) {
  const offset = formatOffset(parseTime(since), parseTime(iso));
  if (!offset) return null;
  return (
    <span className="text-xs text-slate-500 tabular-nums">
      {offset}
      <span className="sr-only"> after the request</span>
    </span>
  );
}

function HistoryItem({ entry }: { entry: RebootEntry }) {
  const view = describePhase(entry);
  const external = entry.source === 'external';
  return (
    <li className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
      <header className="flex flex-wrap items-center justify-between gap-2">
        <div className="flex flex-wrap items-center gap-2">
          <span className={`inline-flex items-center rounded-md px-2 py-0.5 text-xs font-semibold ring-1 ring-inset ${TONE_CLASSES[view.tone]}`}>
            <span className="sr-only">Outcome: </span>
            {view.label}
          </span>
        </div>
        <p className="text-xs text-slate-500">{view.detail}</p>
      </header>
      <dl className="mt-3 grid grid-cols-2 gap-x-6 gap-y-3 sm:grid-cols-3 lg:grid-cols-[1.4fr_repeat(4,1fr)_0.7fr]">
        <Field label="Requested at">
          <Timestamp iso={entry.requestedAt} fallback={external ? 'Not requested' : '—'} />
        </Field>
        <Field label="Device answer">
          {entry.answer ? (
            <span className="flex flex-col leading-tight">
              <span className="font-medium">Status {entry.answer.status}</span>
              {entry.answeredAt && <StepTimeOffset iso={entry.answeredAt} since={entry.requestedAt} />}
            </span>
          ) : (
            <span className="text-slate-500">{entry.phase === 'requested' ? 'Waiting…' : 'No answer'}</span>
          )}
        </Field>
        <Field label="Went offline">
          <StepTime iso={entry.wentOfflineAt} since={entry.requestedAt} />
        </Field>
        <Field label="Came back">
          <StepTime iso={entry.cameBackAt} since={entry.requestedAt} />
        </Field>
        <Field label="Reported reboot time">
          <StepTime iso={entry.reportedRebootTime} since={entry.requestedAt} />
        </Field>
        <Field label="Took">
          <span className="tabular-nums">{formatDuration(entry.durationMs) ?? '—'}</span>
        </Field>
      </dl>
      {entry.answer && (
        <div className="mt-3 flex min-w-0 items-baseline gap-2 text-xs">
          <span className="shrink-0 text-slate-500">Answer payload</span>
          <code className="min-w-0 break-all rounded bg-slate-50 px-1.5 py-0.5 font-mono text-slate-700 ring-1 ring-slate-200 ring-inset">
            {formatPayload(entry.answer.payload)}
          </code>
        </div>
      )}
      {entry.error && (
        <div className="mt-3">
          <ErrorPanel error={entry.error} compact />
        </div>
      )}
    </li>
  );
}

/** A device's reboots, newest first, polled fast while the newest is in flight. */
export function RebootHistory({ deviceId }: { deviceId: string }) {
  const { data, error } = useRebootHistory(deviceId);
  return (
    <section aria-labelledby="history-heading" className="flex flex-col gap-3">
      <h2 id="history-heading" className="text-lg font-semibold text-slate-900">
        Reboot history
      </h2>
      {error && <ErrorPanel error={error.info} retrying />}
      {!data && !error && (
        <div role="status" className="flex flex-col gap-3">
          <span className="sr-only">Loading the reboot history…</span>
          {[0, 1].map((i) => (
            <div key={i} aria-hidden="true" className="h-28 animate-pulse rounded-xl border border-slate-200 bg-white" />
          ))}
        </div>
      )}
      {data && data.entries.length === 0 && (
        <p className="rounded-xl border border-dashed border-slate-300 bg-white px-4 py-8 text-center text-sm text-slate-600">
          No reboots recorded for this device yet.
        </p>
      )}
      {data && data.entries.length > 0 && (
        <ol aria-label="Reboots, newest first" className="flex flex-col gap-3">
          {data.entries.map((entry) => (
            <HistoryItem key={entry.id} entry={entry} />
          ))}
        </ol>
      )}
    </section>
  );
}
