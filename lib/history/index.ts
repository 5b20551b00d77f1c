/** The process-wide history store in TWINBOARD_DATA_DIR, opened on first use and kept across dev reloads. */
import { getSettings } from '../config';
import { DashboardError } from '../dashboard/errors';
import { HistoryStore } from './store';

export { HistoryStore, IN_FLIGHT_PHASES, HISTORY_FILE, toEntry } from './store';
export type { StoredReboot, RebootPatch, DeviceState, BeginResult } from './store';

interface StoreCache {
  store?: HistoryStore;
}

const cache: StoreCache = ((globalThis as { __twinboardHistory?: StoreCache }).__twinboardHistory ??= {});

export function getHistoryStore(): HistoryStore {
  if (cache.store) return cache.store;
  const { dataDir } = getSettings();
  try {
    cache.store = HistoryStore.open(dataDir);
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new DashboardError(
      'CONFIG_INVALID',
      `The reboot history in ${dataDir} cannot be opened (${reason}).`,
      'Point TWINBOARD_DATA_DIR at a directory the dashboard can write to.',
      { cause: err },
    );
  }
  if (cache.store.setAside) {
    console.warn(`[twinboard] the reboot history was unreadable; it was moved to ${cache.store.setAside} and a new one started`);
  }
  return cache.store;
}

/** Closes and forgets the store (tests reopen it to check persistence). */
export function closeHistoryStore(): void {
  cache.store?.close();
  delete cache.store;
}
