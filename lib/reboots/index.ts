/** The process-wide reboot tracker, wired to the configured hub and the history store. */
import { getSettings } from '../config';
import { getHistoryStore } from '../history';
import { invokeMethod } from '../hub/methods';
import { readTwin } from '../hub/twins';
import { parseDeviceId } from '../dashboard/device-id';
import { asDashboardError } from '../dashboard/errors';
import { RebootTracker, type RebootRequestResult } from './tracker';

export { RebootTracker } from './tracker';
export type { RebootRequestResult, TrackerDeps, TrackerSettings } from './tracker';

interface TrackerCache {
  tracker?: RebootTracker;
}

const cache: TrackerCache = ((globalThis as { __twinboardTracker?: TrackerCache }).__twinboardTracker ??= {});

/** Throws CONFIG_INVALID when the settings or the history store are unusable. */
export function getRebootTracker(): RebootTracker {
  if (!cache.tracker) {
    cache.tracker = new RebootTracker({
      store: getHistoryStore(),
      settings: getSettings(),
      invokeMethod: (deviceId, call) => invokeMethod(deviceId, call),
      readTwin: (deviceId) => readTwin(deviceId),
    });
  }
  return cache.tracker;
}

export function forgetRebootTracker(): void {
  delete cache.tracker;
}

/** Validates the id and reboots the device; never throws (what the server action and tests call). */
export async function requestReboot(deviceId: unknown): Promise<RebootRequestResult> {
  try {
    const id = parseDeviceId(deviceId);
    return await getRebootTracker().requestReboot(id);
  } catch (err) {
    return { ok: false, error: asDashboardError(err).toInfo(), entry: null };
  }
}
