'use client';

import { mutate } from 'swr';
import { DEVICES_KEY } from './keys';

/** Revalidates the device list and every device and history key at once (they share the prefix). */
export function refreshDevices(): Promise<unknown> {
  return mutate((key) => typeof key === 'string' && (key === DEVICES_KEY || key.startsWith(`${DEVICES_KEY}/`)));
}
