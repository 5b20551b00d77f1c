/**
 * The process-wide history stores in TWINBOARD_DATA_DIR, one per hub (lib/history/file-name.ts), each opened on
 * first use and kept across dev reloads. A store stays open after the dashboard switches hubs, so a reboot still
 * under way on the previous hub finishes in that hub's history.
 */
import { join } from 'node:path';
import { getHubTarget, getSettings } from '../config';
import { DashboardError } from '../dashboard/errors';
import { historyFileName, type HistoryHub } from './file-name';
import { HistoryStore } from './store';

export { HistoryStore, IN_FLIGHT_PHASES, HISTORY_FILE, toEntry } from './store';
export { historyFileName } from './file-name';
export type { HistoryHub } from './file-name';
export type { StoredReboot, RebootPatch, DeviceState, BeginResult } from './store';

interface StoreCache {
  /** Open stores by absolute file path. */
  stores: Map<string, HistoryStore>;
}

const cache: StoreCache = ((globalThis as { __twinboardHistories?: StoreCache }).__twinboardHistories ??= { stores: new Map() });

/**
 * The history of `hub` (default: the configured hub). Throws CONFIG_INVALID when the settings are invalid, no hub
 * is configured, or the data directory cannot hold the history.
 */
export function getHistoryStore(hub: HistoryHub = getHubTarget()): HistoryStore {
  const { dataDir } = getSettings();
  const fileName = historyFileName(hub);
  const path = join(dataDir, fileName);
  const open = cache.stores.get(path);
  if (open) return open;
  let store: HistoryStore;
  try {
    store = HistoryStore.open(dataDir, new Date(), fileName);
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new DashboardError(
      'CONFIG_INVALID',
      `The reboot history in ${path} cannot be opened (${reason}).`,
      'Point TWINBOARD_DATA_DIR at a directory the dashboard can write to.',
      { cause: err },
    );
  }
  if (store.setAside) {
    console.warn(`[twinboard] the reboot history ${path} was unreadable; it was moved to ${store.setAside} and a new one started`);
  }
  cache.stores.set(path, store);
  return store;
}

/** Closes and forgets every store (tests reopen them to check persistence). */
export function closeHistoryStore(): void {
  for (const store of cache.stores.values()) store.close();
  cache.stores.clear();
}
