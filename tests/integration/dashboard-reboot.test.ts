/**
 * Reboots through the dashboard's server action and tracker, against a real local hub and simulated devices that
 * really reboot: exactly one method call per click, the full progression, and reboots nobody asked the
 * dashboard for.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rebootDevice } from '../../lib/actions/reboot-device';
import { getRebootHistory, listDevices } from '../../lib/dashboard/devices';
import type { RebootEntry, RebootPhase } from '../../lib/dashboard/types';
import { requestReboot } from '../../lib/reboots';
import { startHubWithDevices, startRebootingDevice, useDashboard, waitFor } from '../helpers/dashboard-server';
import { startTestHub } from '../helpers/local-hub';

const FAST_POLL = { TWINBOARD_POLL_INTERVAL_MS: '250' };

function form(deviceId: string): FormData {
  const data = new FormData();
  data.set('deviceId', deviceId);
  return data;
}

/** Polls the device list like the browser does, recording every phase the device's row shows. */
async function pollUntil(deviceId: string, phases: RebootPhase[], done: (entry: RebootEntry) => boolean, timeoutMs = 20000): Promise<RebootEntry> {
  return waitFor(
    `${deviceId} to finish rebooting`,
    async () => {
      const { devices } = await listDevices();
      const entry = devices.find((d) => d.deviceId === deviceId)?.reboot ?? null;
      if (entry && phases.at(-1) !== entry.phase) phases.push(entry.phase);
      return entry && done(entry) ? entry : undefined;
    },
    timeoutMs,
    50,
  );
}

test('a click reboots the device once: answered → offline → back → confirmed, with times and duration', async (t) => {
  const { hub, devices } = await startHubWithDevices(t);
  useDashboard(t, hub, FAST_POLL);
  const { events } = await startRebootingDevice(devices, hub, 'sim-1', { rebootSeconds: 1 });
  const before = (await listDevices()).devices[0]?.lastRebootTime ?? null;
  assert.ok(before, 'the device reported its boot time');

  const state = await rebootDevice(null, form('sim-1'));
  assert.ok(state?.ok, state?.message);
  assert.equal(state.entry.phase, 'answered');
  assert.equal(state.entry.answer?.status, 200);
  assert.match(state.message, /answered 200/);

  const phases: RebootPhase[] = ['answered'];
  const confirmed = await pollUntil('sim-1', phases, (entry) => entry.phase === 'confirmed');
  // 'back' shows only when a poll sees the device connected before its new time lands; both orders are right.
  assert.deepEqual(phases.filter((phase) => phase !== 'back'), ['answered', 'offline', 'confirmed']);
  assert.ok(confirmed.wentOfflineAt && confirmed.cameBackAt && confirmed.reportedRebootTime);
  assert.ok(Date.parse(confirmed.reportedRebootTime) > Date.parse(before));
  // The device reports only once it is back, so the history never shows it coming back after its report.
  assert.ok(Date.parse(confirmed.cameBackAt) <= Date.parse(confirmed.reportedRebootTime), `${confirmed.cameBackAt} after ${confirmed.reportedRebootTime}`);
  assert.ok(confirmed.durationMs !== null && confirmed.durationMs >= 1000, `durationMs ${confirmed.durationMs}`);
  const after = (await listDevices()).devices[0];
  assert.equal(after?.lastRebootTime, confirmed.reportedRebootTime);
  assert.equal(events.filter((e) => e.type === 'reboot-requested').length, 1);

  const history = await getRebootHistory('sim-1');
  assert.equal(history.entries.length, 1, 'the dashboard\'s own reboot is not also recorded as external');
  assert.equal(history.entries[0]?.source, 'dashboard');
});

test('concurrent clicks (tabs, double clicks) send exactly one method call', async (t) => {
  const { hub, devices } = await startHubWithDevices(t);
  useDashboard(t, hub, FAST_POLL);
  const { events } = await startRebootingDevice(devices, hub, 'sim-1', { rebootSeconds: 1 });
  await listDevices();

  const states = await Promise.all([
    rebootDevice(null, form('sim-1')),
    rebootDevice(null, form('sim-1')),
    requestReboot('sim-1'),
    requestReboot('sim-1'),
  ]);
  const accepted = states.filter((s) => s?.ok);
  const refused = states.filter((s) => s && !s.ok);
  assert.equal(accepted.length, 1);
  assert.equal(refused.length, 3);
  for (const s of refused) assert.equal((s as { error: { code: string } }).error.code, 'REBOOT_IN_PROGRESS');
  await pollUntil('sim-1', [], (entry) => entry.phase === 'confirmed');
  assert.equal(events.filter((e) => e.type === 'reboot-requested').length, 1);
  assert.equal((await getRebootHistory('sim-1')).entries.length, 1);
});

test('the action refuses a bad device id without calling the hub, and reports an offline device', async (t) => {
  const hub = await startTestHub(t);
  useDashboard(t, hub, FAST_POLL);
  await hub.createDevice('sleeper');
  const invalid = await rebootDevice(null, form('no spaces allowed'));
  assert.equal(invalid?.ok, false);
  assert.equal((invalid as { error: { code: string } }).error.code, 'INVALID_INPUT');
  const missing = await rebootDevice(null, new FormData());
  assert.equal((missing as { error: { code: string } }).error.code, 'INVALID_INPUT');

  const offline = await rebootDevice(null, form('sleeper'));
  assert.equal(offline?.ok, false);
  assert.equal((offline as { error: { code: string } }).error.code, 'DEVICE_OFFLINE');
  assert.equal(offline?.entry?.phase, 'failed');
  assert.match(offline?.message ?? '', /offline/);
});

test('a device rebooted outside the dashboard gets an external, confirmed entry', async (t) => {
  const { hub, devices } = await startHubWithDevices(t);
  useDashboard(t, hub, FAST_POLL);
  const { events } = await startRebootingDevice(devices, hub, 'sim-1', { rebootSeconds: 1 });
  const baseline = (await listDevices()).devices[0]?.lastRebootTime;
  assert.equal((await getRebootHistory('sim-1')).entries.length, 0, 'the first sighting only sets the baseline');

  const { result } = await hub.serviceClient.invokeDeviceMethod('sim-1', { methodName: 'rebootDevice', payload: null, responseTimeoutInSeconds: 10 });
  assert.equal((result as { status: number }).status, 200);
  const entry = await pollUntil('sim-1', [], (e) => e.source === 'external');
  assert.equal(entry.phase, 'confirmed');
  assert.notEqual(entry.reportedRebootTime, baseline);
  assert.equal(entry.requestedAt, null);
  assert.equal(events.filter((e) => e.type === 'reboot-requested').length, 1);
});

test('the tutorial order (reboot, report, then answer) is confirmed without an external entry', async (t) => {
  const { hub, devices } = await startHubWithDevices(t);
  useDashboard(t, hub, FAST_POLL);
  await startRebootingDevice(devices, hub, 'sim-1', { rebootSeconds: 1, answerAfterReboot: true });
  const baseline = (await listDevices()).devices[0]?.lastRebootTime;

  // The device reports its new time just before it answers (the reported patch and the answer race, wire §4).
  const state = await rebootDevice(null, form('sim-1'));
  assert.ok(state?.ok, state?.message);
  assert.equal(state.entry.answer?.status, 200);
  const confirmed = await pollUntil('sim-1', [], (entry) => entry.phase === 'confirmed');
  assert.ok(confirmed.reportedRebootTime && confirmed.reportedRebootTime !== baseline);
  const history = await getRebootHistory('sim-1');
  assert.deepEqual(history.entries.map((e) => [e.source, e.phase]), [['dashboard', 'confirmed']]);
});
