'use client';

import { useEffect } from 'react';
import { CrashNotice } from './_components/crash-notice';

/** The last line of defence: a render error in a page shows this instead of a blank screen. */
export default function PageError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <div className="mx-auto max-w-xl">
      <CrashNotice title="This page hit a problem" text="Something failed while showing it." digest={error.digest} onRetry={reset} />
    </div>
  );
}
