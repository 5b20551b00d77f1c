/**
 * Test support for the device endpoint on its own, over the real store and certificates: SAS tokens and
 * device clients (the real SDK and raw mqtt.js) that close in t.after.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { Client as DeviceClient } from 'azure-iot-device';
import { Mqtt as DeviceMqtt } from 'azure-iot-device-mqtt';
import { createDeviceToken } from '../../lib/local-hub/sas';
import { ensureCertificates } from '../../lib/local-hub/certs';
import { isHubError } from '../../lib/local-hub/errors';
import { HubStore } from '../../lib/local-hub/store';
import type { DeviceIdentity, SharedAccessPolicy } from '../../lib/local-hub/types';
import { newKey } from './mqtt-memory-directory';
import { startDeviceEndpoint, type DeviceEndpoint } from '../../lib/local-hub/mqtt/index';

export { newKey };

export interface TestContext {
  after(fn: () => unknown): void;
}

export const HOST = '127.0.0.1';

let certificate: Promise<{ key: string; cert: string; ca: string }> | undefined;

/** The hub's own certificates for 127.0.0.1, made once per test process (key generation is slow). */
export function testCertificate(): Promise<{ key: string; cert: string; ca: string }> {
  certificate ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'twinboard-mqtt-certs-'));
    try {
      const certs = await ensureCertificates(dir, HOST, [HOST]);
      return { key: certs.key, cert: certs.cert, ca: certs.caPem };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  })();
  return certificate;
}

export interface TestEndpoint {
  endpoint: DeviceEndpoint;
  /** The real store (SQLite in a temporary directory) as the endpoint's DeviceDirectory. */
  store: HubStore;
  ca: string;
  logs: string[];
  addDevice(deviceId: string, status?: DeviceIdentity['status']): DeviceIdentity;
  /** One of the hub's default policies (iothubowner, service, device, registryRead, registryReadWrite). */
  policy(keyName: string): SharedAccessPolicy;
  connectionString(deviceId: string, key?: string): string;
}

/** The device endpoint alone on 127.0.0.1, backed by a fresh store; closed and removed in t.after. */
export async function startTestEndpoint(t: TestContext): Promise<TestEndpoint> {
  const dir = mkdtempSync(join(tmpdir(), 'twinboard-mqtt-'));
  let store: HubStore | undefined;
  let endpoint: DeviceEndpoint | undefined;
  // Registered first, so a failed start still cleans up.
  t.after(async () => {
    await endpoint?.close();
    store?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const { key, cert, ca } = await testCertificate();
  store = HubStore.open(dir);
  const logs: string[] = [];
  endpoint = await startDeviceEndpoint({
    hostName: HOST,
    listen: HOST,
    port: 0,
    tls: { key, cert },
    directory: store,
    log: (line) => logs.push(line),
  });
  const openStore = store;
  const running = endpoint;
  return {
    endpoint: running,
    store: openStore,
    ca,
    logs,
    addDevice(deviceId, status = 'enabled') {
      const identity = openStore.createIdentity({ deviceId, status });
      if (isHubError(identity)) throw identity;
      return identity;
    },
    policy(keyName) {
      const policy = openStore.getPolicy(keyName);
      if (!policy) throw new Error(`no policy ${keyName}`);
      return policy;
    },
    connectionString(deviceId, deviceKey) {
      const k = deviceKey ?? openStore.getIdentity(deviceId)?.primaryKey ?? newKey();
      return `HostName=${HOST};DeviceId=${deviceId};SharedAccessKey=${k};GatewayHostName=${HOST}:${running.port}`;
    },
  };
}

/** An opened azure-iot-device client (MQTT transport) trusting `ca`, closed in t.after. */
export async function openSdkDevice(t: TestContext, connectionString: string, ca: string): Promise<DeviceClient> {
  const client = DeviceClient.fromConnectionString(connectionString, DeviceMqtt);
  t.after(() => client.close().catch(() => {}));
  client.on('error', () => {});
  await client.setOptions({ ca });
  await client.open();
  return client;
}

export interface RawDevice {
  client: MqttClient;
  /** Resolves with the CONNACK return code (0 = accepted). */
  connack: Promise<number>;
  /** Resolves when the socket closes. */
  closed: Promise<void>;
}

export function deviceUsername(deviceId: string): string {
  return `${HOST}/${deviceId}/?api-version=2021-04-12`;
}

export function deviceToken(deviceId: string, key: string, expiry?: number, keyName?: string): string {
  return createDeviceToken(HOST, deviceId, key, expiry, keyName);
}

/** A raw mqtt.js 3.1.1 client over TLS, no reconnects, closed in t.after. */
export function rawDevice(t: TestContext, port: number, ca: string, options: IClientOptions): RawDevice {
  const client = mqtt.connect({
    protocol: 'mqtts',
    host: HOST,
    port,
    ca,
    protocolVersion: 4,
    reconnectPeriod: 0,
    connectTimeout: 5000,
    clean: true,
    ...options,
  });
  t.after(() => new Promise<void>((resolve) => client.end(true, {}, () => resolve())));
  const connack = new Promise<number>((resolve) => {
    client.once('connect', (packet) => resolve(packet.returnCode ?? 0));
    client.once('error', (error) => resolve((error as Error & { code?: number }).code ?? -1));
  });
  client.on('error', () => {});
  const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
  return { client, connack, closed };
}

/** A raw device that authenticates with its primary key. */
export function rawAuthorizedDevice(t: TestContext, hub: TestEndpoint, deviceId: string, extra: IClientOptions = {}): RawDevice {
  const key = hub.store.getIdentity(deviceId)?.primaryKey ?? newKey();
  return rawDevice(t, hub.endpoint.port, hub.ca, {
    clientId: deviceId,
    username: deviceUsername(deviceId),
    password: deviceToken(deviceId, key),
    ...extra,
  });
}

/** Resolves when `predicate` holds, polling every 5 ms; rejects after `timeoutMs`. */
export async function waitFor(predicate: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
