/**
 * Makes sure device identities exist on a hub and returns their primary keys, creating the missing ones through
 * the service SDK's Registry (wire §2.3: GET and PUT /devices/{id}). Used by the simulator to start a fleet.
 */
import type { Registry } from 'azure-iothub';

export interface RegisteredDevice {
  deviceId: string;
  primaryKey: string;
  /** True when this call created the identity. */
  created: boolean;
  /** The hub's view of the device's connection when it was looked up ('Connected' | 'Disconnected'). */
  connectionState: string | undefined;
}

export type RegistrationProblemCode = 'DEVICE_DISABLED' | 'DEVICE_HAS_NO_KEY' | 'REGISTRY_FAILED';

/** A device that cannot be used, or a registry call that failed; `cause` keeps the SDK error. */
export class RegistrationError extends Error {
  constructor(
    readonly code: RegistrationProblemCode,
    readonly deviceId: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'RegistrationError';
  }
}

export interface EnsureDevicesOptions {
  /** Registry requests in flight at once. */
  concurrency: number;
  /** Called after each device is settled, with how many are done. */
  onProgress?: (done: number, total: number, device: RegisteredDevice) => void;
}

interface DeviceJson {
  deviceId?: string;
  status?: string;
  connectionState?: string;
  authentication?: { type?: string; symmetricKey?: { primaryKey?: string | null } };
}

function statusOf(err: unknown): number | undefined {
  return (err as { response?: { statusCode?: number } }).response?.statusCode;
}

function isNotFound(err: unknown): boolean {
  return (err as Error).name === 'DeviceNotFoundError' || statusOf(err) === 404;
}

function isAlreadyExists(err: unknown): boolean {
  return (err as Error).name === 'DeviceAlreadyExistsError' || statusOf(err) === 409;
}

function keyOf(deviceId: string, device: DeviceJson, created: boolean): RegisteredDevice {
  if (device.status === 'disabled') {
    throw new RegistrationError('DEVICE_DISABLED', deviceId, `device ${deviceId} is disabled on the hub; enable it or use another --prefix`);
  }
  const primaryKey = device.authentication?.symmetricKey?.primaryKey;
  if (!primaryKey) {
    throw new RegistrationError(
      'DEVICE_HAS_NO_KEY',
      deviceId,
      `device ${deviceId} has no symmetric key (authentication type ${device.authentication?.type ?? 'unknown'}); use another --prefix`,
    );
  }
  return { deviceId, primaryKey, created, connectionState: device.connectionState };
}

/** Gets the device, creating it if the hub does not know it. */
export async function ensureDevice(registry: Registry, deviceId: string): Promise<RegisteredDevice> {
  try {
    return keyOf(deviceId, (await registry.get(deviceId)).responseBody as DeviceJson, false);
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  try {
    // No authentication given: the hub generates the keys (wire §2.3, Registry.create).
    return keyOf(deviceId, (await registry.create({ deviceId, status: 'enabled' })).responseBody as DeviceJson, true);
  } catch (err) {
    // Someone else created it between our GET and PUT.
    if (!isAlreadyExists(err)) throw err;
    return keyOf(deviceId, (await registry.get(deviceId)).responseBody as DeviceJson, false);
  }
}

/** Ensures every id exists, `concurrency` requests at a time; results are in the order of `deviceIds`. */
export async function ensureDevices(
  registry: Registry,
  deviceIds: readonly string[],
  options: EnsureDevicesOptions,
): Promise<RegisteredDevice[]> {
  const results: RegisteredDevice[] = new Array(deviceIds.length);
  let next = 0;
  let done = 0;
  let failure: { error: unknown } | undefined;
  const lane = async (): Promise<void> => {
    while (failure === undefined && next < deviceIds.length) {
      const index = next++;
      const deviceId = deviceIds[index] as string;
      try {
        const device = await ensureDevice(registry, deviceId);
        results[index] = device;
        options.onProgress?.(++done, deviceIds.length, device);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, deviceIds.length)) }, lane));
  if (failure !== undefined) throw failure.error;
  return results;
}
