/**
 * Reads a device's last reboot time from its reported properties: the configured dotted path (default
 * `rebootTime`, the Python tutorial), else the Node tutorial's `iothubDM.reboot.lastReboot` (behaviour §0).
 */

export const NODE_TUTORIAL_REBOOT_PROPERTY = 'iothubDM.reboot.lastReboot';

function valueAt(source: Record<string, unknown>, path: string): unknown {
  let current: unknown = source;
  for (const key of path.split('.')) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function asTime(value: unknown): string | null {
  if (typeof value === 'string') return value.trim() === '' ? null : value;
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) {
    // Epoch seconds or milliseconds; anything below 1e12 ms (2001) is taken as seconds.
    const date = new Date(value < 1e12 ? value * 1000 : value);
    return Number.isNaN(date.getTime()) ? null : date.toISOString();
  }
  return null;
}

export function readRebootTime(reported: Record<string, unknown>, path: string): string | null {
  const configured = asTime(valueAt(reported, path));
  if (configured !== null || path === NODE_TUTORIAL_REBOOT_PROPERTY) return configured;
  return asTime(valueAt(reported, NODE_TUTORIAL_REBOOT_PROPERTY));
}

/**
 * Whether `next` is a later reboot time than `previous`. Both are compared as dates when both parse; otherwise
 * any different value counts as new (the device reported something else than before).
 */
export function isNewerRebootTime(next: string | null, previous: string | null): boolean {
  if (next === null || next === previous) return false;
  if (previous === null) return true;
  const a = Date.parse(next);
  const b = Date.parse(previous);
  if (Number.isFinite(a) && Number.isFinite(b)) return a > b;
  return true;
}
