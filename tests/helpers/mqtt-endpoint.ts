/**
 * Test support for the device endpoint on its own: a self-signed certificate for 127.0.0.1, SAS tokens, and
 * device clients (the real SDK and raw mqtt.js) that close in t.after.
 */
import { generate } from 'selfsigned';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { Client as DeviceClient } from 'azure-iot-device';
import { Mqtt as DeviceMqtt } from 'azure-iot-device-mqtt';
import { createDeviceToken } from '../../lib/local-hub/sas';
import { MemoryDirectory, newKey } from './mqtt-memory-directory';
import { startDeviceEndpoint, type DeviceEndpoint } from '../../lib/local-hub/mqtt/index';

export { MemoryDirectory, newKey };

export interface TestContext {
  after(fn: () => unknown): void;
}

export const HOST = '127.0.0.1';

let certificate: Promise<{ key: string; cert: string }> | undefined;

/** One self-signed certificate for 127.0.0.1 per test process (key generation is slow). */
export function testCertificate(): Promise<{ key: string; cert: string }> {
  certificate ??= generate([{ name: 'commonName', value: HOST }], {
    keySize: 2048,
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: HOST }, { type: 2, value: 'localhost' }] }],
  }).then((pems) => ({ key: pems.private, cert: pems.cert }));
  return certificate;
}

export interface TestEndpoint {
  endpoint: DeviceEndpoint;
  directory: MemoryDirectory;
  ca: string;
  logs: string[];
  connectionString(deviceId: string, key?: string): string;
}

/** A device endpoint on 127.0.0.1 with a fresh in-memory directory, closed in t.after. */
export async function startTestEndpoint(t: TestContext, directory = new MemoryDirectory()): Promise<TestEndpoint> {
  const { key, cert } = await testCertificate();
  const logs: string[] = [];
  const endpoint = await startDeviceEndpoint({
    hostName: HOST,
    listen: HOST,
    port: 0,
    tls: { key, cert },
    directory,
    log: (line) => logs.push(line),
  });
  t.after(() => endpoint.close());
  return {
    endpoint,
    directory,
    ca: cert,
    logs,
    connectionString(deviceId, deviceKey) {
      const k = deviceKey ?? directory.getIdentity(deviceId)?.primaryKey ?? newKey();
      return `HostName=${HOST};DeviceId=${deviceId};SharedAccessKey=${k};GatewayHostName=${HOST}:${endpoint.port}`;
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
  const key = hub.directory.getIdentity(deviceId)?.primaryKey ?? newKey();
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
