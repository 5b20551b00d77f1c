'use client';

import './globals.css';
import { CrashNotice } from './_components/crash-notice';

/** Shown when the root layout itself fails; it replaces the whole document, so it brings its own shell. */
export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body className="min-h-dvh bg-slate-50 text-slate-900 antialiased">
        <main className="mx-auto max-w-xl px-4 py-16">
          <CrashNotice
            title="twinboard could not start this page"
            text="The dashboard server failed while preparing the page."
            digest={error.digest}
            onRetry={reset}
          />
        </main>
      </body>
    </html>
  );
}
