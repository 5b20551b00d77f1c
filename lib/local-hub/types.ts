/**
 * The seams between the local hub's parts: the store (identities, keys, twins in SQLite), the device side
 * (MQTT on aedes) and the service side (HTTPS REST). Each part depends on these interfaces, not on the others.
 */
import type { HubError } from './errors';

export type JsonObject = { [key: string]: unknown };

export type DeviceStatus = 'enabled' | 'disabled';

/** A device identity as the registry keeps it. Keys are base64. */
export interface DeviceIdentity {
  deviceId: string;
  generationId: string;
  etag: string;
  status: DeviceStatus;
  statusReason: string | null;
  statusUpdatedTime: string;
  primaryKey: string;
  secondaryKey: string;
}

export type PolicyRight = 'RegistryRead' | 'RegistryWrite' | 'ServiceConnect' | 'DeviceConnect';

/** A hub-level shared access policy (iothubowner, service, device, registryRead, registryReadWrite). */
export interface SharedAccessPolicy {
  keyName: string;
  primaryKey: string;
  secondaryKey: string;
  rights: PolicyRight[];
}

/** The twin as a device sees it over MQTT: no $metadata, each section carries its $version. */
export interface DeviceTwinView {
  desired: JsonObject & { $version: number };
  reported: JsonObject & { $version: number };
}

/** What the device side needs from the store. Every write is durable before it returns. */
export interface DeviceDirectory {
  getIdentity(deviceId: string): DeviceIdentity | undefined;
  getPolicy(keyName: string): SharedAccessPolicy | undefined;
  getDeviceTwin(deviceId: string): DeviceTwinView | HubError;
  /** Applies a JSON merge patch to reported properties (null deletes); returns the new reported $version. */
  patchReported(deviceId: string, patch: unknown): { version: number } | HubError;
}

export interface ConnectionInfo {
  state: 'Connected' | 'Disconnected';
  stateUpdatedTime: string;
  lastActivityTime: string;
}

export interface MethodCall {
  methodName: string;
  payload: unknown;
  responseTimeoutInSeconds: number;
  connectTimeoutInSeconds: number;
}

export interface MethodResult {
  status: number;
  payload: unknown;
}

/** What the service side needs from the device side. */
export interface DeviceGateway {
  connection(deviceId: string): ConnectionInfo;
  invokeMethod(deviceId: string, call: MethodCall): Promise<MethodResult | HubError>;
  /** Sends a desired-properties delta (it includes "$version") to the device if it is connected and subscribed. */
  pushDesired(deviceId: string, delta: JsonObject): void;
  /** Drops the device's connection, if any (the device was deleted or disabled). */
  disconnect(deviceId: string): void;
}
