'use client';

/** What a render failure shows: what happened, that no device was touched, and a way to try again. */
export function CrashNotice({ title, text, digest, onRetry }: { title: string; text: string; digest?: string; onRetry: () => void }) {
  return (
    <div role="alert" className="rounded-xl border border-rose-200 bg-white p-6 shadow-sm">
      <h1 className="text-lg font-semibold text-rose-800">{title}</h1>
      <p className="mt-2 text-sm text-slate-600">
        {text} Nothing was sent to any device. Try again; if it keeps happening, the dashboard server&apos;s log says
        more{digest ? ` (reference ${digest})` : ''}.
      </p>
      <button
        type="button"
        onClick={onRetry}
        className="mt-4 rounded-lg bg-slate-900 px-4 py-2 text-sm font-semibold text-white hover:bg-slate-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600"
      >
        Try again
      </button>
    </div>
  );
}
