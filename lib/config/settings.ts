/**
 * The dashboard's settings from the environment, validated with zod. Each message names the variable, the value
 * that was given and what would be accepted, so a person can fix it without reading code.
 */
import { resolve } from 'node:path';
import { z } from 'zod';
import { DashboardError } from '../dashboard/errors';

export interface DashboardSettingsConfig {
  /** Directory of the reboot history database (absolute). */
  dataDir: string;
  /** Direct method the dashboard invokes to reboot a device. */
  methodName: string;
  /** Dotted reported-property path holding the device's last reboot time. */
  rebootProperty: string;
  /** How often the browser polls the route handlers. */
  pollIntervalMs: number;
  methodResponseTimeoutS: number;
  methodConnectTimeoutS: number;
  /** How long a reboot may take before it is marked 'unconfirmed'. */
  rebootConfirmTimeoutS: number;
  /** The local hub's hub.json (absolute); used when IOTHUB_CONNECTION_STRING is unset. */
  localHubFile: string;
  /** Set when the dashboard talks to a hub named by IOTHUB_CONNECTION_STRING. */
  connectionString: string | null;
}

export const DEFAULTS = {
  dataDir: '.data',
  methodName: 'rebootDevice',
  rebootProperty: 'rebootTime',
  pollIntervalMs: 2000,
  methodResponseTimeoutS: 30,
  methodConnectTimeoutS: 0,
  rebootConfirmTimeoutS: 120,
  localHubFile: '.local-hub/hub.json',
} as const;

function wholeNumber(name: string, fallback: number, min: number, max: number, unit: string) {
  return z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw.trim() === '') return fallback;
      const value = Number(raw.trim());
      if (!/^\d+$/.test(raw.trim()) || value < min || value > max) {
        ctx.addIssue({
          code: 'custom',
          message: `${name} must be a whole number of ${unit} from ${min} to ${max} (got "${raw}"); unset it for the default ${fallback}.`,
        });
        return z.NEVER;
      }
      return value;
    });
}

function text(name: string, fallback: string, pattern: RegExp, rule: string) {
  return z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw.trim() === '') return fallback;
      const value = raw.trim();
      if (!pattern.test(value)) {
        ctx.addIssue({ code: 'custom', message: `${name} ${rule} (got "${raw}"); unset it for the default "${fallback}".` });
        return z.NEVER;
      }
      return value;
    });
}

// Twin keys may not contain '.', '$' or spaces (behaviour §1.2), so a dot separates path segments.
const PROPERTY_PATH = /^[^.$\s]{1,128}(\.[^.$\s]{1,128}){0,9}$/;
const METHOD_NAME = /^[A-Za-z0-9_\-.:]{1,128}$/;

const envSchema = z.object({
  IOTHUB_CONNECTION_STRING: z.string().optional(),
  TWINBOARD_LOCAL_HUB_FILE: z.string().optional(),
  TWINBOARD_DATA_DIR: z.string().optional(),
  TWINBOARD_METHOD_NAME: text('TWINBOARD_METHOD_NAME', DEFAULTS.methodName, METHOD_NAME, 'must be a method name of letters, digits and _ - . : (at most 128)'),
  TWINBOARD_REBOOT_PROPERTY: text(
    'TWINBOARD_REBOOT_PROPERTY',
    DEFAULTS.rebootProperty,
    PROPERTY_PATH,
    'must be a reported property path such as rebootTime or iothubDM.reboot.lastReboot (keys without $ or spaces, joined by dots)',
  ),
  TWINBOARD_POLL_INTERVAL_MS: wholeNumber('TWINBOARD_POLL_INTERVAL_MS', DEFAULTS.pollIntervalMs, 250, 600_000, 'milliseconds'),
  TWINBOARD_METHOD_RESPONSE_TIMEOUT_S: wholeNumber(
    'TWINBOARD_METHOD_RESPONSE_TIMEOUT_S',
    DEFAULTS.methodResponseTimeoutS,
    5,
    300,
    'seconds',
  ),
  TWINBOARD_METHOD_CONNECT_TIMEOUT_S: wholeNumber('TWINBOARD_METHOD_CONNECT_TIMEOUT_S', DEFAULTS.methodConnectTimeoutS, 0, 300, 'seconds'),
  TWINBOARD_REBOOT_CONFIRM_TIMEOUT_S: wholeNumber('TWINBOARD_REBOOT_CONFIRM_TIMEOUT_S', DEFAULTS.rebootConfirmTimeoutS, 1, 86_400, 'seconds'),
});

/** Reads the settings from an environment; throws a CONFIG_INVALID DashboardError listing every problem. */
export function parseSettings(env: Record<string, string | undefined>, cwd: string = process.cwd()): DashboardSettingsConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => issue.message);
    throw new DashboardError(
      'CONFIG_INVALID',
      `The dashboard's configuration is invalid: ${problems.join(' ')}`,
      'Fix the environment variables named above and restart the dashboard.',
    );
  }
  const value = parsed.data;
  const connectionString = value.IOTHUB_CONNECTION_STRING?.trim() ? value.IOTHUB_CONNECTION_STRING.trim() : null;
  return {
    dataDir: resolve(cwd, value.TWINBOARD_DATA_DIR?.trim() || DEFAULTS.dataDir),
    methodName: value.TWINBOARD_METHOD_NAME,
    rebootProperty: value.TWINBOARD_REBOOT_PROPERTY,
    pollIntervalMs: value.TWINBOARD_POLL_INTERVAL_MS,
    methodResponseTimeoutS: value.TWINBOARD_METHOD_RESPONSE_TIMEOUT_S,
    methodConnectTimeoutS: value.TWINBOARD_METHOD_CONNECT_TIMEOUT_S,
    rebootConfirmTimeoutS: value.TWINBOARD_REBOOT_CONFIRM_TIMEOUT_S,
    localHubFile: resolve(cwd, value.TWINBOARD_LOCAL_HUB_FILE?.trim() || DEFAULTS.localHubFile),
    connectionString,
  };
}
