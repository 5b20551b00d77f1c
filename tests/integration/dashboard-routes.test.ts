/**
 * The GET route handlers, called as Next calls them (a Request and a params Promise), against a real local hub.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GET as getDevice } from '../../app/api/devices/[deviceId]/route';
import { GET as getHistory } from '../../app/api/devices/[deviceId]/history/route';
import { GET as getDevices } from '../../app/api/devices/route';
import { resetDashboardServer } from '../../lib/dashboard/reset';
import type { ApiErrorBody, DeviceDetailResponse, DeviceListResponse, RebootHistoryResponse } from '../../lib/dashboard/types';
import { getDashboardSettings } from '../../lib/actions/reboot-device';
import { requestReboot } from '../../lib/reboots';
import { startHubWithDevices, startRebootingDevice, useDashboard } from '../helpers/dashboard-server';
import { startTestHub } from '../helpers/local-hub';

const request = (path: string) => new Request(`http://localhost${path}`);
const params = (deviceId: string) => ({ params: Promise.resolve({ deviceId }) });

async function body<T>(response: Response, status: number): Promise<T> {
  assert.equal(response.status, status, `status of ${response.url || 'response'}`);
  assert.equal(response.headers.get('cache-control'), 'no-store');
  assert.match(response.headers.get('content-type') ?? '', /application\/json/);
  return (await response.json()) as T;
}

test('the routes answer with the dashboard shapes, and with ApiErrorBody and a fitting status on failure', async (t) => {
  const { hub, devices } = await startHubWithDevices(t);
  useDashboard(t, hub);
  await startRebootingDevice(devices, hub, 'sim-1');
  await hub.createDevice('sim-2');

  const list = await body<DeviceListResponse>(await getDevices(request('/api/devices')), 200);
  assert.deepEqual(list.devices.map((d) => d.deviceId), ['sim-1', 'sim-2']);
  assert.ok(!Number.isNaN(Date.parse(list.fetchedAt)));
  const [sim1, sim2] = list.devices;
  assert.equal(sim1?.connectionState, 'Connected');
  assert.equal(typeof sim1?.lastRebootTime, 'string');
  assert.equal(sim1?.status, 'enabled');
  assert.equal(sim1?.reboot, null);
  assert.equal(sim2?.connectionState, 'Disconnected');
  assert.equal(sim2?.lastRebootTime, null);

  const detail = await body<DeviceDetailResponse>(await getDevice(request('/api/devices/sim-1'), params('sim-1')), 200);
  assert.equal(detail.device.deviceId, 'sim-1');
  assert.equal(detail.twin.deviceId, 'sim-1');
  assert.equal(typeof (detail.twin.properties as { reported: Record<string, unknown> }).reported.rebootTime, 'string');

  const missing = await body<ApiErrorBody>(await getDevice(request('/api/devices/ghost'), params('ghost')), 404);
  assert.equal(missing.error.code, 'DEVICE_NOT_FOUND');
  assert.equal(typeof missing.error.message, 'string');

  const invalid = await body<ApiErrorBody>(await getDevice(request('/api/devices/a%20b'), params('a b')), 400);
  assert.equal(invalid.error.code, 'INVALID_INPUT');
  const tooLong = await body<ApiErrorBody>(await getHistory(request('/api/devices/x/history'), params('x'.repeat(129))), 400);
  assert.equal(tooLong.error.code, 'INVALID_INPUT');

  const empty = await body<RebootHistoryResponse>(await getHistory(request('/api/devices/sim-1/history'), params('sim-1')), 200);
  assert.deepEqual(empty, { deviceId: 'sim-1', entries: [] });

  const failed = await requestReboot('sim-2');
  assert.equal(failed.ok, false);
  const history = await body<RebootHistoryResponse>(await getHistory(request('/api/devices/sim-2/history'), params('sim-2')), 200);
  assert.equal(history.entries.length, 1);
  assert.equal(history.entries[0]?.phase, 'failed');
  assert.equal(history.entries[0]?.error?.code, 'DEVICE_OFFLINE');
  assert.equal('baselineRebootTime' in (history.entries[0] ?? {}), false);

  // A restarted dashboard (everything process-wide forgotten, the store reopened) still has the history.
  resetDashboardServer();
  const reopened = await body<RebootHistoryResponse>(await getHistory(request('/api/devices/sim-2/history'), params('sim-2')), 200);
  assert.deepEqual(reopened.entries, history.entries);
});

test('a malformed IOTHUB_CONNECTION_STRING answers 503 CONFIG_INVALID without echoing the key', async (t) => {
  useDashboard(t, null, { IOTHUB_CONNECTION_STRING: 'HostName=myhub.azure-devices.net;SharedAccessKey=c2VjcmV0LWtleQ==' });
  const response = await getDevices(request('/api/devices'));
  const text = await response.clone().text();
  const error = await body<ApiErrorBody>(response, 503);
  assert.equal(error.error.code, 'CONFIG_INVALID');
  assert.match(error.error.message, /IOTHUB_CONNECTION_STRING/);
  assert.match(error.error.message, /SharedAccessKeyName/);
  assert.equal(text.includes('c2VjcmV0LWtleQ'), false);
});

test('with no hub configured the routes answer 503 CONFIG_INVALID saying how to start one', async (t) => {
  useDashboard(t, null);
  const error = await body<ApiErrorBody>(await getDevices(request('/api/devices')), 503);
  assert.equal(error.error.code, 'CONFIG_INVALID');
  assert.match(error.error.message, /npm run hub/);
  assert.match(error.error.message, /IOTHUB_CONNECTION_STRING/);
  const detail = await body<ApiErrorBody>(await getDevice(request('/api/devices/sim-1'), params('sim-1')), 503);
  assert.equal(detail.error.code, 'CONFIG_INVALID');
});

test('invalid settings answer 503 CONFIG_INVALID naming the variable', async (t) => {
  const hub = await startTestHub(t);
  useDashboard(t, hub, { TWINBOARD_METHOD_RESPONSE_TIMEOUT_S: '1000' });
  const error = await body<ApiErrorBody>(await getDevices(request('/api/devices')), 503);
  assert.equal(error.error.code, 'CONFIG_INVALID');
  assert.match(error.error.message, /TWINBOARD_METHOD_RESPONSE_TIMEOUT_S/);
});

test('a stopped hub answers 503 HUB_UNREACHABLE and the service connection string never appears', async (t) => {
  const hub = await startTestHub(t);
  useDashboard(t, hub);
  await hub.close();
  const response = await getDevices(request('/api/devices'));
  const text = await response.clone().text();
  const error = await body<ApiErrorBody>(response, 503);
  assert.equal(error.error.code, 'HUB_UNREACHABLE');
  const key = /SharedAccessKey=([^;]+)/.exec(hub.serviceConnectionString)?.[1] ?? 'none';
  assert.equal(text.includes(key), false);
});

test('the pages get the settings and the hub host name, never the connection string', async (t) => {
  const hub = await startTestHub(t);
  useDashboard(t, hub, { TWINBOARD_POLL_INTERVAL_MS: '1500', TWINBOARD_REBOOT_PROPERTY: 'iothubDM.reboot.lastReboot' });
  const settings = await getDashboardSettings();
  assert.deepEqual(settings, {
    pollIntervalMs: 1500,
    methodName: 'rebootDevice',
    rebootProperty: 'iothubDM.reboot.lastReboot',
    hubHostName: '127.0.0.1',
    hubKind: 'local',
    configError: null,
  });
  assert.equal(JSON.stringify(settings).includes('SharedAccessKey'), false);
});

test('the settings still answer with defaults and the error when no hub is configured', async (t) => {
  useDashboard(t, null);
  const settings = await getDashboardSettings();
  assert.equal(settings.pollIntervalMs, 2000);
  assert.equal(settings.hubHostName, null);
  assert.equal(settings.configError?.code, 'CONFIG_INVALID');
});
