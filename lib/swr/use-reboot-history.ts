'use client';

import useSWR from 'swr';
import type { RebootHistoryResponse } from '@/lib/dashboard/types';
import { fetcher, type FetchError } from './fetcher';
import { historyKey, pollInterval } from './keys';
import { useIdlePollInterval } from './poll-settings';

/** A device's reboots, newest first; polled fast while the newest is in flight. Pass null to wait. */
export function useRebootHistory(deviceId: string | null) {
  const idleMs = useIdlePollInterval();
  const { data, error, isLoading, isValidating, mutate } = useSWR<RebootHistoryResponse, FetchError>(
    deviceId === null ? null : historyKey(deviceId),
    fetcher,
    { refreshInterval: (latest) => pollInterval(latest?.entries.slice(0, 1) ?? [], idleMs) },
  );
  return { data, error, isLoading, isValidating, mutate };
}
