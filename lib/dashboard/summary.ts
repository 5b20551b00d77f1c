/** Builds the browser's DeviceSummary from a twin and the device's newest history entry. Pure. */
import type { HubTwin } from '../hub/types';
import { IN_FLIGHT_PHASES, toEntry, type StoredReboot } from '../history/store';
import { readRebootTime } from './reboot-time';
import type { DeviceSummary } from './types';

/** How long a finished reboot stays on the device's row before the row shows only the device again. */
export const RECENT_REBOOT_MS = 10 * 60 * 1000;

export function isShownOnRow(entry: StoredReboot, now: Date): boolean {
  if (IN_FLIGHT_PHASES.includes(entry.phase)) return true;
  const updated = Date.parse(entry.updatedAt);
  return Number.isFinite(updated) && now.getTime() - updated <= RECENT_REBOOT_MS;
}

export function toDeviceSummary(twin: HubTwin, latest: StoredReboot | null | undefined, rebootProperty: string, now: Date): DeviceSummary {
  return {
    deviceId: twin.deviceId,
    status: twin.status,
    connectionState: twin.connectionState,
    lastActivityTime: twin.lastActivityTime,
    lastRebootTime: readRebootTime(twin.reported, rebootProperty),
    reboot: latest && isShownOnRow(latest, now) ? toEntry(latest) : null,
  };
}
