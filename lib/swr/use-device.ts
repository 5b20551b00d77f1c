'use client';

import useSWR from 'swr';
import type { DeviceDetailResponse } from '@/lib/dashboard/types';
import { fetcher, type FetchError } from './fetcher';
import { deviceKey, pollInterval } from './keys';
import { useIdlePollInterval } from './poll-settings';

/**
 * One device's summary and twin; polled fast while its reboot is in flight. Pass null to wait.
 * `fallbackData` is what the server already read for the first paint.
 */
export function useDevice(deviceId: string | null, fallbackData?: DeviceDetailResponse) {
  const idleMs = useIdlePollInterval();
  const { data, error, isLoading, isValidating, mutate } = useSWR<DeviceDetailResponse, FetchError>(
    deviceId === null ? null : deviceKey(deviceId),
    fetcher,
    { refreshInterval: (latest) => pollInterval([latest?.device.reboot], idleMs), fallbackData },
  );
  return { data, error, isLoading, isValidating, mutate };
}
