/** Placeholder rows in the list's own shape while the first poll is under way. */
export function DeviceListSkeleton({ rows = 3 }: { rows?: number }) {
  return (
    <div role="status" aria-live="polite" className="flex flex-col gap-4">
      <span className="sr-only">Loading devices…</span>
      <div aria-hidden="true" className="flex flex-col gap-2">
        <div className="h-6 w-28 animate-pulse rounded bg-slate-200" />
        <div className="h-4 w-48 animate-pulse rounded bg-slate-200" />
      </div>
      <div aria-hidden="true" className="hidden overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm lg:block">
        <div className="h-10 border-b border-slate-200 bg-slate-50" />
        {Array.from({ length: rows }, (_, i) => (
          <div key={i} className="flex items-center gap-6 border-b border-slate-100 px-4 py-4 last:border-0">
            <div className="h-4 w-[18%] animate-pulse rounded bg-slate-200" />
            <div className="h-5 w-20 animate-pulse rounded-full bg-slate-200" />
            <div className="h-4 w-[20%] animate-pulse rounded bg-slate-200" />
            <div className="h-4 flex-1 animate-pulse rounded bg-slate-100" />
            <div className="h-8 w-24 animate-pulse rounded-lg bg-slate-200" />
          </div>
        ))}
      </div>
      <div aria-hidden="true" className="grid gap-3 sm:grid-cols-2 lg:hidden">
        {Array.from({ length: rows }, (_, i) => (
          <div key={i} className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
            <div className="flex justify-between">
              <div className="h-5 w-32 animate-pulse rounded bg-slate-200" />
              <div className="h-8 w-20 animate-pulse rounded-lg bg-slate-200" />
            </div>
            <div className="mt-3 h-4 w-3/4 animate-pulse rounded bg-slate-100" />
          </div>
        ))}
      </div>
    </div>
  );
}
