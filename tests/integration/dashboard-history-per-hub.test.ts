/**
 * Each hub keeps its own reboot history: device ids are unique only within a hub, so two hubs with the same ids
 * must not see each other's entries, and switching the dashboard between them must not record reboots nobody made.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { GET as getHistory } from '../../app/api/devices/[deviceId]/history/route';
import { getRebootHistory, listDevices } from '../../lib/dashboard/devices';
import { resetDashboardServer } from '../../lib/dashboard/reset';
import type { ApiErrorBody } from '../../lib/dashboard/types';
import { requestReboot } from '../../lib/reboots';
import { startHubWithDevices, startRebootingDevice, useDashboard, waitFor } from '../helpers/dashboard-server';
import type { TestHub } from '../helpers/local-hub';

/** Points the hub file the dashboard reads at `hub`, as a local hub restarted on other ports rewrites hub.json. */
function pointHubFileAt(hubFile: string, hub: TestHub): void {
  const file = JSON.parse(readFileSync(join(hub.dataDir, 'hub.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(hubFile, JSON.stringify({ ...file, caFile: hub.caFile }));
}

/** Lists until the dashboard shows `hub`'s fleet (the hub file is re-read when it changes). */
async function listOf(expected: string[]): Promise<void> {
  await waitFor(`the device list ${expected.join(', ')}`, async () => {
    const ids = (await listDevices()).devices.map((d) => d.deviceId);
    return JSON.stringify(ids) === JSON.stringify(expected) ? true : undefined;
  });
}

test('two hubs with the same device ids keep apart histories; switching hubs records no external reboot', async (t) => {
  const { hub: first, devices } = await startHubWithDevices(t);
  const { hub: second } = await startHubWithDevices(t);
  const dataDir = useDashboard(t, null, { TWINBOARD_POLL_INTERVAL_MS: '250' });
  const hubFile = process.env.TWINBOARD_LOCAL_HUB_FILE as string;

  // sim-1 runs on both hubs and reported a different boot time to each; dev-x is registered on both but offline.
  await startRebootingDevice(devices, first, 'sim-1');
  await first.createDevice('dev-x');
  await startRebootingDevice(devices, second, 'sim-1');
  await second.createDevice('dev-x');
  await second.createDevice('only-on-second');

  pointHubFileAt(hubFile, first);
  await listOf(['dev-x', 'sim-1']);
  const failed = await requestReboot('dev-x');
  assert.equal(failed.ok, false);
  assert.equal((failed as { error: { code: string } }).error.code, 'DEVICE_OFFLINE');
  assert.equal((await getRebootHistory('dev-x')).entries.length, 1);

  pointHubFileAt(hubFile, second);
  await listOf(['dev-x', 'only-on-second', 'sim-1']);
  await listDevices();
  assert.deepEqual((await getRebootHistory('dev-x')).entries, [], 'the first hub\'s entry is not the second hub\'s');
  assert.deepEqual((await getRebootHistory('sim-1')).entries, [], 'another hub\'s boot time is no external reboot');

  pointHubFileAt(hubFile, first);
  await listOf(['dev-x', 'sim-1']);
  await listDevices();
  const back = await getRebootHistory('dev-x');
  assert.deepEqual(back.entries.map((e) => [e.source, e.phase, e.error?.code]), [['dashboard', 'failed', 'DEVICE_OFFLINE']]);
  assert.deepEqual((await getRebootHistory('sim-1')).entries, [], 'nor is the first hub\'s own unchanged boot time');

  const files = readdirSync(dataDir).filter((name) => name.endsWith('.sqlite')).sort();
  assert.deepEqual(files, [`history-local-127.0.0.1-${first.httpsPort}.sqlite`, `history-local-127.0.0.1-${second.httpsPort}.sqlite`].sort());
});

test('without a hub the history route answers 503 CONFIG_INVALID, and a reboot is refused the same way', async (t) => {
  useDashboard(t, null);
  const response = await getHistory(new Request('http://localhost/api/devices/sim-1/history'), { params: Promise.resolve({ deviceId: 'sim-1' }) });
  assert.equal(response.status, 503);
  const body = (await response.json()) as ApiErrorBody;
  assert.equal(body.error.code, 'CONFIG_INVALID');
  assert.match(body.error.message, /npm run hub/);
  const refused = await requestReboot('sim-1');
  assert.equal(refused.ok, false);
  assert.equal((refused as { error: { code: string } }).error.code, 'CONFIG_INVALID');
});

test('a data directory that cannot hold the history is CONFIG_INVALID naming the file, and the device list still loads', async (t) => {
  const { hub } = await startHubWithDevices(t);
  const dataDir = useDashboard(t, hub);
  await hub.createDevice('dev-x');
  // A file where the directory should be: mkdir fails the same way for every user, root included.
  const blocked = join(dataDir, 'not-a-dir');
  writeFileSync(blocked, '');
  process.env.TWINBOARD_DATA_DIR = blocked;
  resetDashboardServer();
  const response = await getHistory(new Request('http://localhost/api/devices/dev-x/history'), { params: Promise.resolve({ deviceId: 'dev-x' }) });
  assert.equal(response.status, 503);
  const body = (await response.json()) as ApiErrorBody;
  assert.equal(body.error.code, 'CONFIG_INVALID');
  assert.match(body.error.message, /history-local-127\.0\.0\.1-\d+\.sqlite/);
  assert.deepEqual((await listDevices()).devices.map((d) => d.deviceId), ['dev-x']);
});
