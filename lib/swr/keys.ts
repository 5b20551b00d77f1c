/**
 * SWR keys (the API paths the hooks read) and how often they are polled. Every key starts with
 * DEVICES_KEY so one prefix mutate refreshes the list, a device and its history together.
 */
import type { RebootEntry, RebootPhase } from '@/lib/dashboard/types';

export const DEVICES_KEY = '/api/devices';

export function deviceKey(deviceId: string): string {
  return `${DEVICES_KEY}/${encodeURIComponent(deviceId)}`;
}

export function historyKey(deviceId: string): string {
  return `${deviceKey(deviceId)}/history`;
}

/** Polling while a reboot is under way, so each step shows up within a second or so. */
export const FAST_POLL_MS = 1000;
/** Polling when nothing is in flight, unless the server's settings say otherwise. */
export const DEFAULT_POLL_MS = 5000;

const IN_FLIGHT: ReadonlySet<RebootPhase> = new Set(['requested', 'answered', 'offline', 'back']);

export function isInFlight(entry: RebootEntry | null | undefined): boolean {
  return entry != null && IN_FLIGHT.has(entry.phase);
}

/** The interval for data that may hold in-flight reboots: fast while any is in flight. */
export function pollInterval(entries: ReadonlyArray<RebootEntry | null | undefined>, idleMs: number): number {
  return entries.some(isInFlight) ? Math.min(FAST_POLL_MS, idleMs) : idleMs;
}
