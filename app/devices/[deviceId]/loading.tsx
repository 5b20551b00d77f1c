export default function Loading() {
  return (
    <div role="status" className="flex flex-col gap-6">
      <span className="sr-only">Loading the device…</span>
      <div aria-hidden="true" className="h-4 w-24 animate-pulse rounded bg-slate-200" />
      <div aria-hidden="true" className="h-8 w-64 animate-pulse rounded bg-slate-200" />
      <div aria-hidden="true" className="h-20 animate-pulse rounded-xl border border-slate-200 bg-white" />
      <div aria-hidden="true" className="grid gap-4 lg:grid-cols-3">
        {[0, 1, 2].map((i) => (
          <div key={i} className="h-32 animate-pulse rounded-xl border border-slate-200 bg-white" />
        ))}
      </div>
    </div>
  );
}
