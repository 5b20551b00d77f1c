'use client';

import './globals.css';

/** Shown when the root layout itself fails; it replaces the whole document, so it brings its own shell. */
export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body className="min-h-dvh bg-slate-50 text-slate-900 antialiased">
        <main className="mx-auto max-w-xl px-4 py-16">
          <div role="alert" className="rounded-xl border border-rose-200 bg-white p-6 shadow-sm">
            <h1 className="text-lg font-semibold text-rose-800">twinboard could not start this page</h1>
            <p className="mt-2 text-sm text-slate-600">
              The dashboard server failed while preparing the page. Nothing was sent to any device. Try again; the
              server&apos;s log says more{error.digest ? ` (reference ${error.digest})` : ''}.
            </p>
            <button
              type="button"
              onClick={reset}
              className="mt-4 rounded-lg bg-slate-900 px-4 py-2 text-sm font-semibold text-white hover:bg-slate-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600"
            >
              Try again
            </button>
          </div>
        </main>
      </body>
    </html>
  );
}
