'use client';

import useSWR from 'swr';
import type { DeviceListResponse } from '@/lib/dashboard/types';
import { fetcher, type FetchError } from './fetcher';
import { DEVICES_KEY, pollInterval } from './keys';
import { useIdlePollInterval } from './poll-settings';

/** Every device with its connection state, last reboot time and in-flight reboot; polled. */
export function useDevices() {
  const idleMs = useIdlePollInterval();
  const { data, error, isLoading, isValidating, mutate } = useSWR<DeviceListResponse, FetchError>(DEVICES_KEY, fetcher, {
    refreshInterval: (latest) => pollInterval(latest?.devices.map((d) => d.reboot) ?? [], idleMs),
  });
  return { data, error, isLoading, isValidating, mutate };
}
