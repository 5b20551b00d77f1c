/** The dashboard settings the pages may see: poll interval, method, property path and the hub's host name. */
import { DEFAULTS, getHubTarget, getSettings } from '../config';
import { asDashboardError } from './errors';
import type { DashboardSettings } from './types';

/** Never throws: with an invalid configuration it returns the defaults and the error for the page to show. */
export function readDashboardSettings(): DashboardSettings {
  let base: Pick<DashboardSettings, 'pollIntervalMs' | 'methodName' | 'rebootProperty'>;
  try {
    const settings = getSettings();
    base = { pollIntervalMs: settings.pollIntervalMs, methodName: settings.methodName, rebootProperty: settings.rebootProperty };
  } catch (err) {
    return {
      pollIntervalMs: DEFAULTS.pollIntervalMs,
      methodName: DEFAULTS.methodName,
      rebootProperty: DEFAULTS.rebootProperty,
      hubHostName: null,
      hubKind: null,
      configError: asDashboardError(err).toInfo(),
    };
  }
  try {
    const target = getHubTarget();
    return { ...base, hubHostName: target.hostName, hubKind: target.kind, configError: null };
  } catch (err) {
    return { ...base, hubHostName: null, hubKind: null, configError: asDashboardError(err).toInfo() };
  }
}
