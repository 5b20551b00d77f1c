/**
 * Polling costs the hub a fixed number of requests however many devices and browser tabs there are: concurrent
 * list calls share one twin query, young results are served from memory, and no device is read one by one.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GET as getHubRequests } from '../../app/api/hub/requests/route';
import { getDeviceDetail, listDevices } from '../../lib/dashboard/devices';
import { getHubRequestCounts } from '../../lib/hub/metrics';
import { useDashboard, waitFor } from '../helpers/dashboard-server';
import { startTestHub } from '../helpers/local-hub';

const TABS = 25;

test('N concurrent device-list calls cost one query request, whatever the number of devices', async (t) => {
  const hub = await startTestHub(t);
  // A long interval keeps the result young for the whole test.
  useDashboard(t, hub, { TWINBOARD_POLL_INTERVAL_MS: '60000' });
  for (let i = 1; i <= 6; i++) await hub.createDevice(`dev-${i}`);

  const before = getHubRequestCounts();
  const lists = await Promise.all(Array.from({ length: TABS }, () => listDevices()));
  const afterBurst = getHubRequestCounts();
  assert.equal(afterBurst.queryPages - before.queryPages, 1);
  assert.equal(afterBurst.twinReads - before.twinReads, 0, 'no per-device reads');
  assert.equal(afterBurst.total - before.total, 1);
  assert.ok(lists.every((list) => list.devices.length === 6));
  assert.equal(new Set(lists.map((list) => list.fetchedAt)).size, 1, 'all callers got the same refresh');

  await listDevices();
  assert.equal(getHubRequestCounts().total - before.total, 1, 'a young result is served from memory');

  const published = await getHubRequests(new Request('http://localhost/api/hub/requests'));
  assert.equal(published.status, 200);
  assert.deepEqual(await published.json(), getHubRequestCounts());
});

test('a result older than half the poll interval is refreshed with one more query', async (t) => {
  const hub = await startTestHub(t);
  useDashboard(t, hub, { TWINBOARD_POLL_INTERVAL_MS: '300' });
  await hub.createDevice('dev-1');
  const first = await listDevices();
  const before = getHubRequestCounts();
  const next = await waitFor('a refreshed device list', async () => {
    const list = await listDevices();
    return list.fetchedAt !== first.fetchedAt ? list : undefined;
  }, 5000, 20);
  assert.ok(Date.parse(next.fetchedAt) - Date.parse(first.fetchedAt) >= 150);
  assert.equal(getHubRequestCounts().queryPages - before.queryPages, 1);
});

test('concurrent reads of one device share one twin read', async (t) => {
  const hub = await startTestHub(t);
  useDashboard(t, hub, { TWINBOARD_POLL_INTERVAL_MS: '60000' });
  await hub.createDevice('dev-1');
  const before = getHubRequestCounts();
  const details = await Promise.all(Array.from({ length: TABS }, () => getDeviceDetail('dev-1')));
  assert.equal(getHubRequestCounts().twinReads - before.twinReads, 1);
  assert.ok(details.every((d) => d.device.deviceId === 'dev-1'));
});

test('a fleet larger than one page is listed completely, one query request per page of 1000', async (t) => {
  const hub = await startTestHub(t);
  useDashboard(t, hub, { TWINBOARD_POLL_INTERVAL_MS: '60000' });
  const ids = Array.from({ length: 1005 }, (_, i) => `fleet-${String(i).padStart(4, '0')}`);
  for (let i = 0; i < ids.length; i += 100) {
    await hub.registry.addDevices(ids.slice(i, i + 100).map((deviceId) => ({ deviceId })));
  }
  const before = getHubRequestCounts();
  const list = await listDevices();
  assert.deepEqual(list.devices.map((d) => d.deviceId), ids);
  const after = getHubRequestCounts();
  assert.equal(after.queryPages - before.queryPages, 2);
  assert.equal(after.twinReads - before.twinReads, 0);
});
