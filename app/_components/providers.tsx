'use client';

import { useMemo, type ReactNode } from 'react';
import { SWRConfig, type SWRConfiguration } from 'swr';
import { fetcher } from '@/lib/swr/fetcher';
import { PollIntervalProvider } from '@/lib/swr/poll-settings';

/** Longest pause between retries after a failed read, so an error state recovers soon after its cause. */
const MAX_ERROR_RETRY_MS = 15_000;

/**
 * SWR defaults for the whole dashboard. After an error SWR stops interval polling and relies on its retry,
 * whose default backoff grows to minutes; this retry keeps a steady pace and never gives up, so a hub that
 * comes back is noticed within seconds.
 */
export function Providers({ pollIntervalMs, children }: { pollIntervalMs: number; children: ReactNode }) {
  const config = useMemo<SWRConfiguration>(
    () => ({
      fetcher,
      refreshWhenHidden: false,
      revalidateOnFocus: true,
      onErrorRetry: (_error, _key, _config, revalidate, { retryCount }) => {
        const delay = Math.min(pollIntervalMs * 2 ** Math.min(retryCount, 3), MAX_ERROR_RETRY_MS);
        setTimeout(() => void revalidate({ retryCount }), delay);
      },
    }),
    [pollIntervalMs],
  );
  return (
    <PollIntervalProvider value={pollIntervalMs}>
      <SWRConfig value={config}>{children}</SWRConfig>
    </PollIntervalProvider>
  );
}
