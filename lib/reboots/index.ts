/** The process-wide reboot tracker, wired to the configured hub and that hub's history store. */
import { getSettings } from '../config';
import { getHistoryStore, type HistoryStore } from '../history';
import { getHubClients, type HubClients } from '../hub/clients';
import { invokeMethod } from '../hub/methods';
import { readTwin } from '../hub/twins';
import { parseDeviceId } from '../dashboard/device-id';
import { asDashboardError } from '../dashboard/errors';
import { RebootTracker, type RebootRequestResult } from './tracker';

export { RebootTracker } from './tracker';
export type { RebootRequestResult, TrackerDeps, TrackerSettings } from './tracker';

interface TrackerCache {
  tracker?: RebootTracker;
  clients?: HubClients;
  store?: HistoryStore;
}

const cache: TrackerCache = ((globalThis as { __twinboardTracker?: TrackerCache }).__twinboardTracker ??= {});

/**
 * The tracker of one hub (default: the configured one): its calls go to that hub's clients and its history to
 * that hub's store, so a reboot that starts on one hub never lands in another hub's history when the hub file
 * changes mid-call. Throws CONFIG_INVALID when the settings, the hub or the history store are unusable.
 */
export function getRebootTracker(clients: HubClients = getHubClients()): RebootTracker {
  const store = getHistoryStore(clients.target);
  if (!cache.tracker || cache.clients !== clients || cache.store !== store) {
    cache.tracker = new RebootTracker({
      store,
      settings: getSettings(),
      invokeMethod: (deviceId, call) => invokeMethod(deviceId, call, clients),
      readTwin: (deviceId) => readTwin(deviceId, clients),
    });
    cache.clients = clients;
    cache.store = store;
  }
  return cache.tracker;
}

export function forgetRebootTracker(): void {
  delete cache.tracker;
  delete cache.clients;
  delete cache.store;
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
