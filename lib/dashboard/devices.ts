/**
 * The server functions behind GET /api/devices, /api/devices/{id} and /api/devices/{id}/history.
 * The hub is read through coalescers: concurrent callers share one in-flight request, and a result younger than
 * half the poll interval is served from memory. The device list is one paged twin query per refresh (never one
 * read per device), and each refresh's twins drive the reboot tracker once.
 */
import { getSettings } from '../config';
import { getHistoryStore, toEntry, type HistoryStore, type StoredReboot } from '../history';
import { getHubClients, type HubClients } from '../hub/clients';
import { queryTwins, readTwin } from '../hub/twins';
import type { HubTwin } from '../hub/types';
import { getRebootTracker } from '../reboots';
import { coalesce, type Coalescer } from './coalesce';
import { parseDeviceId } from './device-id';
import { DashboardError, asDashboardError } from './errors';
import { toDeviceSummary } from './summary';
import type { DeviceDetailResponse, DeviceListResponse, RebootHistoryResponse } from './types';

/** How many per-device twin coalescers are kept before the oldest are dropped. */
const MAX_DEVICE_CACHES = 500;

interface ReadCache {
  /** The hub the cached reads came from; another hub starts with empty caches. */
  hubKey?: string;
  list?: Coalescer<HubTwin[]>;
  devices: Map<string, Coalescer<HubTwin>>;
}

const cache: ReadCache = ((globalThis as { __twinboardReads?: ReadCache }).__twinboardReads ??= { devices: new Map() });

function maxAgeMs(): number {
  return Math.max(100, Math.floor(getSettings().pollIntervalMs / 2));
}

/** The configured hub's clients; cached reads of another hub are dropped, so no hub's twins show for another. */
function currentHub(): HubClients {
  const clients = getHubClients();
  if (cache.hubKey !== clients.target.key) {
    cache.list = undefined;
    cache.devices.clear();
    cache.hubKey = clients.target.key;
  }
  return clients;
}

/** History problems must not take the device list down: they are logged and the rows show no reboot. */
function withHistory<T>(what: string, clients: HubClients, fallback: T, use: (store: HistoryStore) => T): T {
  try {
    return use(getHistoryStore(clients.target));
  } catch (err) {
    console.error(`[twinboard] reboot history unavailable while ${what}:`, asDashboardError(err).message, err);
    return fallback;
  }
}

/** Applies twins read from `clients`' hub to that hub's tracker (and history), whatever hub is configured now. */
function observe(clients: HubClients, twins: HubTwin[]): void {
  try {
    getRebootTracker(clients).observe(twins);
  } catch (err) {
    console.error('[twinboard] could not apply the poll to the reboot tracker:', err);
  }
}

function listCoalescer(clients: HubClients): Coalescer<HubTwin[]> {
  cache.list ??= coalesce(async () => {
    const twins = await queryTwins(clients);
    observe(clients, twins);
    return twins;
  }, maxAgeMs);
  return cache.list;
}

function deviceCoalescer(clients: HubClients, deviceId: string): Coalescer<HubTwin> {
  let loader = cache.devices.get(deviceId);
  if (!loader) {
    if (cache.devices.size >= MAX_DEVICE_CACHES) {
      const oldest = cache.devices.keys().next().value;
      if (oldest !== undefined) cache.devices.delete(oldest);
    }
    loader = coalesce(async () => {
      const twin = await readTwin(deviceId, clients);
      observe(clients, [twin]);
      return twin;
    }, maxAgeMs);
    cache.devices.set(deviceId, loader);
  }
  return loader;
}

export async function listDevices(): Promise<DeviceListResponse> {
  const settings = getSettings();
  const clients = currentHub();
  const { value: twins, loadedAt } = await listCoalescer(clients).get();
  const now = new Date();
  const latest = withHistory('listing devices', clients, new Map<string, StoredReboot>(), (store) => store.latestByDevice());
  return {
    devices: twins.map((twin) => toDeviceSummary(twin, latest.get(twin.deviceId), settings.rebootProperty, now)),
    fetchedAt: loadedAt.toISOString(),
  };
}

export async function getDeviceDetail(deviceIdInput: unknown): Promise<DeviceDetailResponse> {
  const deviceId = parseDeviceId(deviceIdInput);
  const settings = getSettings();
  const clients = currentHub();
  const { value: twin } = await deviceCoalescer(clients, deviceId).get();
  const latest = withHistory('reading a device', clients, null, (store) => store.list(deviceId, 1)[0] ?? null);
  return { device: toDeviceSummary(twin, latest, settings.rebootProperty, new Date()), twin: twin.raw };
}

/** The device's reboots on the configured hub, newest first; reads only the history (no hub request). */
export async function getRebootHistory(deviceIdInput: unknown): Promise<RebootHistoryResponse> {
  const deviceId = parseDeviceId(deviceIdInput);
  getSettings();
  const clients = getHubClients();
  const store = getHistoryStore(clients.target);
  try {
    getRebootTracker(clients).expireOverdue();
  } catch (err) {
    console.error('[twinboard] could not expire overdue reboots:', err);
  }
  try {
    return { deviceId, entries: store.list(deviceId).map(toEntry) };
  } catch (err) {
    throw new DashboardError(
      'INTERNAL',
      'The reboot history could not be read.',
      `The history file ${store.file} may be damaged: stop the dashboard, move the file aside and start it again (a new history begins).`,
      { cause: err },
    );
  }
}

/** Forgets cached hub reads (after a reboot, so the next poll shows the answer at once; and in tests). */
export function forgetHubReads(deviceId?: string): void {
  cache.list?.clear();
  if (deviceId === undefined) cache.devices.clear();
  else cache.devices.get(deviceId)?.clear();
}
