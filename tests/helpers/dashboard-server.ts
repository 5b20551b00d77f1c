/**
 * Points the dashboard's server functions at a test hub (through its hub.json, as `npm run dev` does) with a
 * fresh history directory, and provides devices that behave in the ways the dashboard must handle.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resetDashboardServer } from '../../lib/dashboard/reset';
import { createDeviceClient } from '../../lib/simulator/method-transport';
import { VirtualDevice, type DeviceEvent } from '../../lib/simulator/virtual-device';
import { startTestHub, type TestHub } from './local-hub';

type After = { after(fn: () => unknown): void };

/** Stops registered through this run before the hub closes (t.after hooks run first-registered first). */
export interface DeviceCleanup {
  after(fn: () => unknown): void;
}

/**
 * A local hub whose devices are stopped before it closes: a device SDK client that loses its hub keeps retrying
 * for minutes (wire §1.6) and would hold the test process open.
 */
export async function startHubWithDevices(t: After): Promise<{ hub: TestHub; devices: DeviceCleanup }> {
  const stops: Array<() => unknown> = [];
  t.after(async () => {
    for (const stop of stops.reverse()) await stop();
  });
  const hub = await startTestHub(t);
  return { hub, devices: { after: (fn) => stops.push(fn) } };
}

const OWN_VARIABLES = [
  'IOTHUB_CONNECTION_STRING',
  'TWINBOARD_LOCAL_HUB_FILE',
  'TWINBOARD_DATA_DIR',
  'TWINBOARD_METHOD_NAME',
  'TWINBOARD_REBOOT_PROPERTY',
  'TWINBOARD_POLL_INTERVAL_MS',
  'TWINBOARD_METHOD_RESPONSE_TIMEOUT_S',
  'TWINBOARD_METHOD_CONNECT_TIMEOUT_S',
  'TWINBOARD_REBOOT_CONFIRM_TIMEOUT_S',
];

/** Configures the dashboard server for `hub`; returns the history directory. Undone in t.after. */
export function useDashboard(t: After, hub: TestHub | null, env: Record<string, string> = {}): string {
  const dataDir = mkdtempSync(join(tmpdir(), 'twinboard-dash-'));
  const saved = Object.fromEntries(OWN_VARIABLES.map((name) => [name, process.env[name]]));
  t.after(() => {
    resetDashboardServer();
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    rmSync(dataDir, { recursive: true, force: true });
  });
  for (const name of OWN_VARIABLES) delete process.env[name];
  process.env.TWINBOARD_LOCAL_HUB_FILE = hub ? join(hub.dataDir, 'hub.json') : join(dataDir, 'no-hub.json');
  process.env.TWINBOARD_DATA_DIR = dataDir;
  Object.assign(process.env, env);
  resetDashboardServer();
  return dataDir;
}

/** A simulated device that really reboots (goes offline, comes back, reports a new rebootTime). */
export async function startRebootingDevice(
  t: DeviceCleanup,
  hub: TestHub,
  deviceId: string,
  options: { rebootSeconds?: number; answerAfterReboot?: boolean } = {},
): Promise<{ device: VirtualDevice; events: DeviceEvent[] }> {
  const { connectionString } = await hub.createDevice(deviceId);
  const events: DeviceEvent[] = [];
  const device = new VirtualDevice(
    {
      deviceId,
      connectionString,
      endpoint: `${hub.hostName}:${hub.mqttPort}`,
      localHub: true,
      ca: hub.caPem,
      methodName: 'rebootDevice',
      rebootSeconds: options.rebootSeconds ?? 1,
      answerAfterReboot: options.answerAfterReboot ?? false,
    },
    (_id, event) => events.push(event),
  );
  t.after(() => device.stop());
  await device.start();
  return { device, events };
}

/** A connected device that subscribes to methods and never answers them. */
export async function startSilentDevice(t: DeviceCleanup, hub: TestHub, deviceId: string): Promise<{ requests: string[] }> {
  const { connectionString } = await hub.createDevice(deviceId);
  const requests: string[] = [];
  const { client, transport } = createDeviceClient(connectionString, (message) => {
    requests.push(message.methods?.methodName ?? 'unknown');
  });
  t.after(() => client.close().catch(() => undefined));
  client.on('error', () => undefined);
  await client.setOptions({ ca: hub.caPem });
  await client.open();
  client.onDeviceMethod('rebootDevice', (request) => {
    requests.push(request.methodName);
  });
  // Method-ready only once the hub acknowledged the subscription on this connection (wire §1.6).
  await new Promise<void>((resolve, reject) => transport.enableMethods((err) => (err ? reject(err) : resolve())));
  return { requests };
}

/** Polls `check` until it returns a value (not undefined), or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs = 15000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
