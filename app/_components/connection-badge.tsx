import type { ConnectionState } from '@/lib/dashboard/types';

/** Connected / Disconnected as a coloured pill with a dot; the words carry the meaning, not the colour. */
export function ConnectionBadge({ state }: { state: ConnectionState }) {
  const connected = state === 'Connected';
  return (
    <span
      className={`inline-flex items-center gap-1.5 rounded-full px-2.5 py-0.5 text-xs font-medium ring-1 ring-inset ${
        connected ? 'bg-emerald-50 text-emerald-800 ring-emerald-300' : 'bg-slate-100 text-slate-600 ring-slate-300'
      }`}
    >
      <span aria-hidden="true" className={`size-1.5 rounded-full ${connected ? 'bg-emerald-500' : 'bg-slate-400'}`} />
      {state}
    </span>
  );
}
