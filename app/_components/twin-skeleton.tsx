/** Placeholder for a device's twin summary while it loads; shared by the route's loading state and the client view. */
export function TwinSkeleton() {
  return (
    <>
      <div aria-hidden="true" className="h-20 animate-pulse rounded-xl border border-slate-200 bg-white" />
      <div aria-hidden="true" className="grid gap-4 lg:grid-cols-3">
        {[0, 1, 2].map((i) => (
          <div key={i} className="h-32 animate-pulse rounded-xl border border-slate-200 bg-white" />
        ))}
      </div>
    </>
  );
}
