import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDeviceId } from '../../lib/dashboard/device-id';
import { DashboardError } from '../../lib/dashboard/errors';
import { isNewerRebootTime, readRebootTime } from '../../lib/dashboard/reboot-time';
import { RECENT_REBOOT_MS, toDeviceSummary } from '../../lib/dashboard/summary';
import type { StoredReboot } from '../../lib/history/store';
import { toHubTwin } from '../../lib/hub/twins';

test('the reboot time comes from the configured path, then the Node tutorial path', () => {
  assert.equal(readRebootTime({ rebootTime: '2026-11-26T10:00:00Z' }, 'rebootTime'), '2026-11-26T10:00:00Z');
  assert.equal(readRebootTime({ iothubDM: { reboot: { lastReboot: 'L' } } }, 'rebootTime'), 'L');
  assert.equal(readRebootTime({ a: { b: '2026-01-01T00:00:00Z' } }, 'a.b'), '2026-01-01T00:00:00Z');
  assert.equal(readRebootTime({ rebootTime: 1764151200 }, 'rebootTime'), '2025-11-26T10:00:00.000Z');
  assert.equal(readRebootTime({ rebootTime: { nested: true } }, 'rebootTime'), null);
  assert.equal(readRebootTime({}, 'rebootTime'), null);
});

test('a newer reboot time is later as a date, or simply different when not a date', () => {
  assert.equal(isNewerRebootTime('2026-11-26T10:00:01Z', '2026-11-26T10:00:00Z'), true);
  assert.equal(isNewerRebootTime('2026-11-26T09:00:00Z', '2026-11-26T10:00:00Z'), false);
  assert.equal(isNewerRebootTime('x', 'x'), false);
  assert.equal(isNewerRebootTime('boot-2', 'boot-1'), true);
  assert.equal(isNewerRebootTime('2026-11-26T10:00:00Z', null), true);
  assert.equal(isNewerRebootTime(null, '2026-11-26T10:00:00Z'), false);
});

test('twins are reshaped into plain values; odd items are skipped', () => {
  const twin = toHubTwin({
    deviceId: 'dev1',
    status: 'enabled',
    connectionState: 'Connected',
    lastActivityTime: '0001-01-01T00:00:00Z',
    properties: { reported: { rebootTime: 'T', $version: 3, $metadata: {} }, desired: {} },
  });
  assert.deepEqual(twin?.reported, { rebootTime: 'T' });
  assert.equal(twin?.lastActivityTime, null);
  assert.equal(twin?.connectionState, 'Connected');
  assert.equal(toHubTwin({ connectionState: 'Connected' }), null);
  assert.equal(toHubTwin(null), null);
  assert.equal(toHubTwin({ deviceId: 'd', connectionState: 'disconnected' })?.connectionState, 'Disconnected');
});

test('a row shows its reboot while in flight and for a while after it finished', () => {
  const now = new Date('2026-11-26T12:00:00Z');
  const twin = toHubTwin({ deviceId: 'dev1', connectionState: 'Connected', properties: { reported: { rebootTime: 'T' } } })!;
  const entry = (phase: StoredReboot['phase'], updatedAt: string): StoredReboot => ({
    id: 'e', deviceId: 'dev1', source: 'dashboard', phase, requestedAt: null, answeredAt: null, answer: null, wentOfflineAt: null,
    cameBackAt: null, reportedRebootTime: null, durationMs: null, error: null, baselineRebootTime: null, updatedAt,
  });
  const old = new Date(now.getTime() - RECENT_REBOOT_MS - 1).toISOString();
  assert.equal(toDeviceSummary(twin, entry('offline', old), 'rebootTime', now).reboot?.phase, 'offline');
  assert.equal(toDeviceSummary(twin, entry('confirmed', now.toISOString()), 'rebootTime', now).reboot?.phase, 'confirmed');
  assert.equal(toDeviceSummary(twin, entry('confirmed', old), 'rebootTime', now).reboot, null);
  const summary = toDeviceSummary(twin, null, 'rebootTime', now);
  assert.equal(summary.lastRebootTime, 'T');
  assert.equal('baselineRebootTime' in (toDeviceSummary(twin, entry('answered', old), 'rebootTime', now).reboot ?? {}), false);
});

test('device ids follow the IoT Hub charset and length', () => {
  assert.equal(parseDeviceId("sim-device_1.a:b=c@d$e'(f)!*?,%"), "sim-device_1.a:b=c@d$e'(f)!*?,%");
  for (const bad of ['', 'a/b', 'a b', 'ü', 'x'.repeat(129), undefined, 42]) {
    assert.throws(() => parseDeviceId(bad), (err: unknown) => err instanceof DashboardError && err.code === 'INVALID_INPUT', String(bad));
  }
});
