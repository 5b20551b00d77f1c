/**
 * The simulator's command line, checked: which hub and devices, and how a device behaves. Pure: errors come back
 * as values so the script can print them and exit 2.
 */
import { DEFAULT_PREFIX, fleetDeviceIds } from './device-ids';
import { DEFAULT_HUB_FILE } from './hub-file';

export const LIMITS = {
  count: { min: 1, max: 10000 },
  rebootSeconds: { min: 0, max: 3600, fallback: 10 },
  concurrency: { min: 1, max: 500, fallback: 100 },
} as const;

export const DEFAULT_METHOD = 'rebootDevice';

/** Raw flag values as node:util parseArgs returns them. */
export interface SimulatorArgs {
  'connection-string'?: string;
  count?: string;
  prefix?: string;
  'hub-file'?: string;
  ca?: string;
  method?: string;
  'reboot-seconds'?: string;
  'answer-after-reboot'?: boolean;
  concurrency?: string;
  quiet?: boolean;
}

export type Target =
  | { kind: 'connection-string'; connectionString: string }
  | { kind: 'hub-file'; hubFile: string; deviceIds: string[] };

export interface SimulatorOptions {
  target: Target;
  /** Extra CA file to trust (--ca). */
  caFile?: string;
  methodName: string;
  rebootSeconds: number;
  answerAfterReboot: boolean;
  concurrency: number;
  quiet: boolean;
}

export type OptionsResult = { ok: true; options: SimulatorOptions } | { ok: false; message: string };

function int(name: string, value: string | undefined, limits: { min: number; max: number }, fallback: number): number | string {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < limits.min || n > limits.max) {
    return `--${name} must be a whole number from ${limits.min} to ${limits.max} (got "${value}")`;
  }
  return n;
}

/** Method names travel as one MQTT topic segment (wire §1.4): no "/", "+" or "#". */
const METHOD_NAME = /^[^/+#\s]{1,128}$/;

export function resolveOptions(args: SimulatorArgs): OptionsResult {
  const fail = (message: string): OptionsResult => ({ ok: false, message });
  const connectionString = args['connection-string'];
  if (connectionString !== undefined) {
    for (const flag of ['count', 'prefix', 'hub-file', 'concurrency'] as const) {
      if (args[flag] !== undefined) {
        return fail(`--${flag} applies to a fleet on the local hub; --connection-string runs one device (use one or the other)`);
      }
    }
    if (!connectionString.trim()) return fail('--connection-string is empty');
  }
  const methodName = args.method ?? DEFAULT_METHOD;
  if (!METHOD_NAME.test(methodName)) {
    return fail(`--method "${methodName}" is not a usable method name (1-128 characters, no spaces, "/", "+" or "#")`);
  }
  const rebootSeconds = int('reboot-seconds', args['reboot-seconds'], LIMITS.rebootSeconds, LIMITS.rebootSeconds.fallback);
  if (typeof rebootSeconds === 'string') return fail(rebootSeconds);
  const concurrency = int('concurrency', args.concurrency, LIMITS.concurrency, LIMITS.concurrency.fallback);
  if (typeof concurrency === 'string') return fail(concurrency);
  if (args.ca !== undefined && !args.ca.trim()) return fail('--ca needs a file name');

  let target: Target;
  if (connectionString !== undefined) {
    target = { kind: 'connection-string', connectionString };
  } else {
    // Without --count the simulator runs one device on the local hub: `npm run simulate` just works.
    const count = int('count', args.count, LIMITS.count, 1);
    if (typeof count === 'string') return fail(count);
    const ids = fleetDeviceIds(args.prefix ?? DEFAULT_PREFIX, count);
    if (!Array.isArray(ids)) return fail(ids.error);
    const hubFile = args['hub-file'] ?? DEFAULT_HUB_FILE;
    if (!hubFile.trim()) return fail('--hub-file needs a file name');
    target = { kind: 'hub-file', hubFile, deviceIds: ids };
  }
  return {
    ok: true,
    options: {
      target,
      ...(args.ca !== undefined ? { caFile: args.ca } : {}),
      methodName,
      rebootSeconds,
      answerAfterReboot: args['answer-after-reboot'] ?? false,
      concurrency,
      quiet: args.quiet ?? false,
    },
  };
}
