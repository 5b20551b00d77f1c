/** What an empty hub looks like, with the one command that fills it. */
export function EmptyState() {
  return (
    <div className="rounded-xl border border-dashed border-slate-300 bg-white px-6 py-12 text-center">
      <svg aria-hidden="true" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.5" className="mx-auto size-10 text-slate-400">
        <rect x="4" y="4" width="16" height="16" rx="2" />
        <rect x="9" y="9" width="6" height="6" />
        <path d="M9 1v3M15 1v3M9 20v3M15 20v3M20 9h3M20 14h3M1 9h3M1 14h3" />
      </svg>
      <h2 className="mt-3 text-base font-semibold text-slate-900">No devices yet</h2>
      <p className="mt-1 text-sm text-slate-600">
        No devices yet — start the simulator with{' '}
        <code className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-[0.8125rem] text-slate-800">npm run simulate -- --count 3</code>
      </p>
      <p className="mt-1 text-xs text-slate-500">They appear here on their own within a few seconds.</p>
    </div>
  );
}
