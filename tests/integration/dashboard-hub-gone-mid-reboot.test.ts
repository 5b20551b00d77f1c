/**
 * The hub goes away while a reboot's method call waits for a device that got the request and never answers:
 * the reboot ends as a readable failure (no crash, no hang), and its history entry is final and carries the error.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { getRebootHistory, listDevices } from '../../lib/dashboard/devices';
import type { RebootEntry } from '../../lib/dashboard/types';
import { createRegistry } from '../../lib/hub/transport';
import { IN_FLIGHT_PHASES } from '../../lib/history';
import { requestReboot, type RebootRequestResult } from '../../lib/reboots';
import { startHubWithDevices, useDashboard, waitFor, type DeviceCleanup } from '../helpers/dashboard-server';
import { runHubCli } from '../helpers/hub-cli';
import { deviceToken, deviceUsername, rawDevice } from '../helpers/mqtt-endpoint';

/** Long enough that only the hub going away can end the call within the test's waits. */
const SLOW_DEVICE = { TWINBOARD_METHOD_RESPONSE_TIMEOUT_S: '120' };

interface HubForDevices {
  mqttPort: number;
  caPem: string;
  createDevice(deviceId: string): Promise<{ primaryKey: string }>;
}

/**
 * A raw MQTT device (no reconnects, unlike an SDK client, which would keep retrying the vanished hub) that
 * subscribes to methods and records each request without ever answering.
 */
async function silentRawDevice(t: DeviceCleanup, hub: HubForDevices, deviceId: string): Promise<{ requests: string[] }> {
  const { primaryKey } = await hub.createDevice(deviceId);
  const device = rawDevice(t, hub.mqttPort, hub.caPem, { clientId: deviceId, username: deviceUsername(deviceId), password: deviceToken(deviceId, primaryKey) });
  assert.equal(await device.connack, 0, 'the hub accepted the device');
  const requests: string[] = [];
  device.client.on('message', (topic) => {
    const method = /^\$iothub\/methods\/POST\/([^/]+)\//.exec(topic)?.[1];
    if (method) requests.push(method);
  });
  // Method-ready once the hub acknowledged the subscription on this connection (wire §1.6).
  await device.client.subscribeAsync('$iothub/methods/POST/#', { qos: 0 });
  return { requests };
}

/** Starts the reboot, waits until the silent device has the request, then lets `stopHub` take the hub away. */
async function rebootWhileHubStops(requests: string[], stopHub: () => Promise<unknown>): Promise<RebootRequestResult> {
  await listDevices();
  const pending = requestReboot('silent-1');
  await waitFor('the device to receive the reboot request', () => (requests.length > 0 ? true : undefined));
  const during = await getRebootHistory('silent-1');
  assert.equal(during.entries[0]?.phase, 'requested', 'the call is still waiting for the device');
  await stopHub();
  // Bounded: a call that hangs here fails the test instead of waiting out the method timeout.
  return waitForResult(pending, 20_000);
}

async function waitForResult(pending: Promise<RebootRequestResult>, timeoutMs: number): Promise<RebootRequestResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the reboot call did not end within ${timeoutMs} ms of the hub going away`)), timeoutMs);
  });
  try {
    return await Promise.race([pending, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function assertFinalWithError(result: RebootRequestResult, codes: string[]): RebootEntry {
  assert.equal(result.ok, false);
  const { error, entry } = result as Extract<RebootRequestResult, { ok: false }>;
  assert.ok(codes.includes(error.code), `error code ${error.code} (${error.message}) is one of ${codes.join(', ')}`);
  assert.ok(error.message.length > 0 && !/SharedAccessKey/.test(error.message), error.message);
  assert.ok(entry, 'the result carries the history entry');
  assert.equal(entry.phase, 'failed');
  assert.deepEqual(entry.error, error);
  return entry;
}

test('a hub closed while the reboot call waits for a silent device: a readable failure, recorded as final', async (t) => {
  const { hub, devices } = await startHubWithDevices(t);
  useDashboard(t, hub, SLOW_DEVICE);
  const { requests } = await silentRawDevice(devices, hub, 'silent-1');

  const result = await rebootWhileHubStops(requests, () => hub.close());
  // The closing hub ends the waiting call with 504101 (what the real hub sends for a call it gives up on); the
  // dashboard then finds the hub gone. Were the hub still up when it looked, the early end alone is reported.
  const entry = assertFinalWithError(result, ['HUB_UNREACHABLE', 'DEVICE_TIMEOUT']);
  assert.match(entry.error?.message ?? '', /ended the( "rebootDevice")? call after \d+(\.\d)? seconds/);
  assert.doesNotMatch(entry.error?.message ?? '', /within 120 seconds/, 'the call did not wait its 120 seconds');
  assert.deepEqual(requests, ['rebootDevice'], 'the request went out once');

  const history = await getRebootHistory('silent-1');
  assert.equal(history.entries.length, 1);
  assert.deepEqual(history.entries[0], entry);
  assert.ok(!IN_FLIGHT_PHASES.includes(history.entries[0]?.phase as never));
  // With the hub gone the list says so, and a new reboot is refused with a readable error, not as in progress.
  const listError = await waitFor('the device list to fail (once its cached read is older than half a poll)', () =>
    listDevices().then(
      () => undefined,
      (err: { code?: string }) => err,
    ),
  );
  assert.equal(listError.code, 'HUB_UNREACHABLE');
  const again = await requestReboot('silent-1');
  assert.equal(again.ok, false);
  assert.equal((again as { error: { code: string } }).error.code, 'HUB_UNREACHABLE');
});

test('a hub process killed while the reboot call waits for a silent device: HUB_UNREACHABLE, recorded as final', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'twinboard-hub-killed-'));
  // Devices stop before the directory goes (t.after hooks run in the order they were registered).
  const stops: Array<() => unknown> = [];
  t.after(async () => {
    for (const stop of stops.reverse()) await stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const devices: DeviceCleanup = { after: (fn) => stops.push(fn) };
  const child = runHubCli(t, ['--host', '127.0.0.1', '--mqtt-port', '0', '--https-port', '0', '--data-dir', dir, '--quiet']);
  await child.waitFor('ready');
  const file = JSON.parse(readFileSync(join(dir, 'hub.json'), 'utf8')) as { mqttPort: number; httpsPort: number; caFile: string; serviceConnectionString: string };
  const caPem = readFileSync(file.caFile, 'utf8');
  const registry = createRegistry(file.serviceConnectionString, { httpsPort: file.httpsPort, ca: caPem });
  const hub: HubForDevices = {
    mqttPort: file.mqttPort,
    caPem,
    async createDevice(deviceId: string) {
      const { responseBody } = await registry.create({ deviceId });
      return { primaryKey: responseBody.authentication?.symmetricKey?.primaryKey as string };
    },
  };
  useDashboard(t, null, { ...SLOW_DEVICE, TWINBOARD_LOCAL_HUB_FILE: join(dir, 'hub.json') });
  const { requests } = await silentRawDevice(devices, hub, 'silent-1');

  const result = await rebootWhileHubStops(requests, async () => {
    child.child.kill('SIGKILL');
    assert.equal(await child.exited, 'SIGKILL');
  });
  const entry = assertFinalWithError(result, ['HUB_UNREACHABLE']);
  assert.match(result.ok ? '' : result.error.message, /127\.0\.0\.1/);

  const history = await getRebootHistory('silent-1');
  assert.deepEqual(history.entries, [entry]);
});
