/**
 * The dashboard's configuration, validated once per process. The hub target is re-read when the local hub's
 * hub.json changes (or appears), so a dashboard started before `npm run hub` recovers without a restart.
 */
import { parseSettings, type DashboardSettingsConfig } from './settings';
import { hubFileStamp, resolveHubTarget, type HubTarget } from './hub-target';

export type { DashboardSettingsConfig } from './settings';
export type { HubTarget } from './hub-target';
export { DEFAULTS, parseSettings } from './settings';
export { parseServiceConnectionString } from './connection-string';

interface ConfigCache {
  settings?: { value: DashboardSettingsConfig } | { error: unknown };
  target?: { stamp: string | null; value: HubTarget } | { stamp: string | null; error: unknown };
}

// globalThis survives Next's dev reloads, so the environment is validated once per process.
const cache: ConfigCache = ((globalThis as { __twinboardConfig?: ConfigCache }).__twinboardConfig ??= {});

/** The validated settings; throws the same CONFIG_INVALID DashboardError on every call when invalid. */
export function getSettings(): DashboardSettingsConfig {
  if (!cache.settings) {
    try {
      cache.settings = { value: parseSettings(process.env) };
    } catch (error) {
      cache.settings = { error };
    }
  }
  if ('error' in cache.settings) throw cache.settings.error;
  return cache.settings.value;
}

/** The hub to talk to; throws CONFIG_INVALID with what to fix when there is none. */
export function getHubTarget(): HubTarget {
  const settings = getSettings();
  const stamp = settings.connectionString !== null ? 'env' : hubFileStamp(settings.localHubFile);
  if (!cache.target || cache.target.stamp !== stamp) {
    try {
      cache.target = { stamp, value: resolveHubTarget(settings) };
    } catch (error) {
      cache.target = { stamp, error };
    }
  }
  if ('error' in cache.target) throw cache.target.error;
  return cache.target.value;
}

/** Forgets everything read so far (tests change the environment between cases). */
export function resetConfig(): void {
  delete cache.settings;
  delete cache.target;
}
