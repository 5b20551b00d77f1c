import { TwinSkeleton } from '@/app/_components/twin-skeleton';

export default function Loading() {
  return (
    <div role="status" className="flex flex-col gap-6">
      <span className="sr-only">Loading the device…</span>
      <div aria-hidden="true" className="h-4 w-24 animate-pulse rounded bg-slate-200" />
      <div aria-hidden="true" className="h-8 w-64 animate-pulse rounded bg-slate-200" />
      <TwinSkeleton />
    </div>
  );
}
