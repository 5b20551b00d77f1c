import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { DashboardError } from '../../lib/dashboard/errors';
import { HistoryStore } from '../../lib/history/store';
import type { HubTwin, MethodAnswer, MethodCall } from '../../lib/hub/types';
import { RebootTracker } from '../../lib/reboots/tracker';

const SETTINGS = {
  methodName: 'rebootDevice',
  rebootProperty: 'rebootTime',
  methodResponseTimeoutS: 30,
  methodConnectTimeoutS: 0,
  rebootConfirmTimeoutS: 120,
};

function twin(deviceId: string, connectionState: 'Connected' | 'Disconnected', rebootTime?: string): HubTwin {
  const reported = rebootTime === undefined ? {} : { rebootTime };
  return { deviceId, status: 'enabled', connectionState, lastActivityTime: null, reported, raw: { deviceId, properties: { reported } } };
}

interface Harness {
  tracker: RebootTracker;
  store: HistoryStore;
  calls: Array<{ deviceId: string; call: MethodCall }>;
  clock: { ms: number };
  twins: Map<string, HubTwin>;
  answer: (deviceId: string) => Promise<MethodAnswer>;
}

function harness(t: TestContext, settings: Partial<typeof SETTINGS> = {}): Harness {
  const dir = mkdtempSync(join(tmpdir(), 'twinboard-tracker-'));
  const store = HistoryStore.open(dir);
  t.after(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const h: Harness = {
    store,
    calls: [],
    clock: { ms: Date.UTC(2026, 10, 26, 12, 0, 0) },
    twins: new Map(),
    answer: async () => ({ status: 200, payload: { message: 'rebooting' } }),
    tracker: undefined as unknown as RebootTracker,
  };
  h.tracker = new RebootTracker({
    store,
    settings: { ...SETTINGS, ...settings },
    now: () => new Date(h.clock.ms),
    readTwin: async (deviceId) => {
      const found = h.twins.get(deviceId);
      if (!found) throw new DashboardError('DEVICE_NOT_FOUND', `No device "${deviceId}"`);
      return found;
    },
    invokeMethod: async (deviceId, call) => {
      h.calls.push({ deviceId, call });
      return h.answer(deviceId);
    },
  });
  return h;
}

const iso = (h: Harness, plusMs = 0) => new Date(h.clock.ms + plusMs).toISOString();

test('a reboot moves answered → offline → back → confirmed with the poll data', async (t) => {
  const h = harness(t);
  const before = '2026-11-26T11:00:00.000Z';
  h.twins.set('dev1', twin('dev1', 'Connected', before));
  h.tracker.observe([twin('dev1', 'Connected', before)]);

  const result = await h.tracker.requestReboot('dev1');
  assert.ok(result.ok);
  assert.equal(result.entry.phase, 'answered');
  assert.deepEqual(result.entry.answer, { status: 200, payload: { message: 'rebooting' } });
  assert.deepEqual(h.calls, [{ deviceId: 'dev1', call: { methodName: 'rebootDevice', payload: null, responseTimeoutInSeconds: 30, connectTimeoutInSeconds: 0 } }]);

  // The reported patch lands after the answer (wire §4): the old time does not confirm anything.
  h.clock.ms += 500;
  h.tracker.observe([twin('dev1', 'Connected', before)]);
  assert.equal(h.store.get(result.entry.id)?.phase, 'answered');
  h.clock.ms += 500;
  h.tracker.observe([twin('dev1', 'Disconnected', before)]);
  const offline = h.store.get(result.entry.id);
  assert.equal(offline?.phase, 'offline');
  assert.equal(offline?.wentOfflineAt, iso(h));
  h.clock.ms += 2000;
  h.tracker.observe([twin('dev1', 'Connected', before)]);
  assert.equal(h.store.get(result.entry.id)?.phase, 'back');
  const rebootTime = iso(h, -100);
  h.clock.ms += 300;
  h.tracker.observe([twin('dev1', 'Connected', rebootTime)]);
  const confirmed = h.store.get(result.entry.id);
  assert.equal(confirmed?.phase, 'confirmed');
  assert.equal(confirmed?.reportedRebootTime, rebootTime);
  assert.equal(confirmed?.durationMs, Date.parse(rebootTime) - Date.parse(confirmed?.requestedAt ?? ''));
  // The dashboard's own reboot is not recorded again as an external one.
  h.clock.ms += 1000;
  h.tracker.observe([twin('dev1', 'Connected', rebootTime)]);
  assert.equal(h.store.list('dev1').length, 1);
});

test('a device that reports a new time without visibly going offline is confirmed', async (t) => {
  const h = harness(t);
  h.twins.set('dev1', twin('dev1', 'Connected', '2026-11-26T11:00:00Z'));
  const result = await h.tracker.requestReboot('dev1');
  assert.ok(result.ok);
  h.clock.ms += 1000;
  h.tracker.observe([twin('dev1', 'Connected', iso(h))]);
  assert.equal(h.store.get(result.entry.id)?.phase, 'confirmed');
});

test('the tutorial order (report first, then answer) still confirms on the next poll', async (t) => {
  const h = harness(t);
  h.twins.set('dev1', twin('dev1', 'Connected', '2026-11-26T11:00:00Z'));
  let release!: () => void;
  const answered = new Promise<void>((resolve) => (release = resolve));
  h.answer = async () => {
    await answered;
    return { status: 200, payload: null };
  };
  const pending = h.tracker.requestReboot('dev1');
  await new Promise((resolve) => setImmediate(resolve));
  h.clock.ms += 1000;
  h.tracker.observe([twin('dev1', 'Connected', iso(h))]);
  const inFlight = h.store.inFlight('dev1');
  assert.equal(inFlight?.phase, 'requested');
  release();
  const result = await pending;
  assert.ok(result.ok);
  h.tracker.observe([twin('dev1', 'Connected', iso(h))]);
  assert.equal(h.store.get(result.entry.id)?.phase, 'confirmed');
  assert.equal(h.store.list('dev1').length, 1, 'no external entry for the dashboard\'s own reboot');
});

test('concurrent requests send exactly one method call', async (t) => {
  const h = harness(t);
  h.twins.set('dev1', twin('dev1', 'Connected'));
  const results = await Promise.all([h.tracker.requestReboot('dev1'), h.tracker.requestReboot('dev1'), h.tracker.requestReboot('dev1')]);
  assert.equal(h.calls.length, 1);
  assert.equal(results.filter((r) => r.ok).length, 1);
  for (const refused of results.filter((r) => !r.ok)) {
    assert.equal((refused as { error: { code: string } }).error.code, 'REBOOT_IN_PROGRESS');
  }
  // Still refused after the answer, while the reboot is being followed.
  const again = await h.tracker.requestReboot('dev1');
  assert.equal(again.ok, false);
  assert.equal(h.calls.length, 1);
});

test('failures are recorded with their code; a non-2xx answer is DEVICE_ERROR with the answer', async (t) => {
  const h = harness(t);
  h.twins.set('dev1', twin('dev1', 'Connected'));
  h.answer = async () => ({ status: 500, payload: { error: 'disk busy' } });
  const refused = await h.tracker.requestReboot('dev1');
  assert.equal(refused.ok, false);
  assert.equal((refused as { error: { code: string } }).error.code, 'DEVICE_ERROR');
  assert.match((refused as { error: { message: string } }).error.message, /500.*disk busy/);
  assert.equal(refused.entry?.phase, 'failed');
  assert.deepEqual(refused.entry?.answer, { status: 500, payload: { error: 'disk busy' } });

  h.answer = async () => {
    throw new DashboardError('DEVICE_OFFLINE', 'The device is offline');
  };
  const offline = await h.tracker.requestReboot('dev1');
  assert.equal((offline as { error: { code: string } }).error.code, 'DEVICE_OFFLINE');
  assert.equal(offline.entry?.phase, 'failed');

  const unknown = await h.tracker.requestReboot('ghost');
  assert.equal((unknown as { error: { code: string } }).error.code, 'DEVICE_NOT_FOUND');
  assert.equal(h.calls.length, 2, 'no method call for a device the hub does not know');
  assert.equal(h.store.list('dev1').length, 2, 'nothing is deleted by a failure');
});

test('no new reported time within the confirm timeout → unconfirmed', async (t) => {
  const h = harness(t, { rebootConfirmTimeoutS: 10 });
  h.twins.set('dev1', twin('dev1', 'Connected', '2026-11-26T11:00:00Z'));
  const result = await h.tracker.requestReboot('dev1');
  assert.ok(result.ok);
  h.clock.ms += 9000;
  h.tracker.observe([twin('dev1', 'Connected', '2026-11-26T11:00:00Z')]);
  assert.equal(h.store.get(result.entry.id)?.phase, 'answered');
  h.clock.ms += 2000;
  h.tracker.expireOverdue();
  assert.equal(h.store.get(result.entry.id)?.phase, 'unconfirmed');
});

test('a reported time that changes with nothing in flight is an external reboot; the first sighting is not', (t) => {
  const h = harness(t);
  h.tracker.observe([twin('dev1', 'Connected', '2026-11-26T11:00:00Z'), twin('dev2', 'Connected')]);
  assert.equal(h.store.list('dev1').length, 0);
  h.tracker.observe([twin('dev1', 'Disconnected', '2026-11-26T11:00:00Z'), twin('dev2', 'Connected')]);
  h.tracker.observe([twin('dev1', 'Connected', '2026-11-26T12:00:00Z'), twin('dev2', 'Connected', '2026-11-26T12:00:01Z')]);
  const [external] = h.store.list('dev1');
  assert.equal(external?.source, 'external');
  assert.equal(external?.phase, 'confirmed');
  assert.equal(external?.reportedRebootTime, '2026-11-26T12:00:00Z');
  assert.equal(h.store.list('dev2')[0]?.source, 'external', 'a first report after a sighting without one counts');
  // A device that stops reporting and reports the same time again did not reboot.
  h.tracker.observe([twin('dev1', 'Connected')]);
  h.tracker.observe([twin('dev1', 'Connected', '2026-11-26T12:00:00Z')]);
  assert.equal(h.store.list('dev1').length, 1);
});

test('the Node tutorial property is understood as a fallback', async (t) => {
  const h = harness(t);
  const nodeTwin = (time: string): HubTwin => ({ ...twin('dev1', 'Connected'), reported: { iothubDM: { reboot: { lastReboot: time } } } });
  h.twins.set('dev1', nodeTwin('2026-11-26T11:00:00Z'));
  const result = await h.tracker.requestReboot('dev1');
  assert.ok(result.ok);
  h.tracker.observe([nodeTwin('2026-11-26T12:30:00Z')]);
  assert.equal(h.store.get(result.entry.id)?.phase, 'confirmed');
});

test('going and coming back during the call is kept; the phase moves on with the answer', async (t) => {
  const h = harness(t);
  const before = '2026-11-26T11:00:00.000Z';
  h.twins.set('dev1', twin('dev1', 'Connected', before));
  h.tracker.observe([twin('dev1', 'Connected', before)]);
  let release!: () => void;
  const answered = new Promise<void>((resolve) => (release = resolve));
  h.answer = async () => {
    await answered;
    return { status: 200, payload: null };
  };
  const pending = h.tracker.requestReboot('dev1');
  await new Promise((resolve) => setImmediate(resolve));
  h.clock.ms += 1000;
  h.tracker.observe([twin('dev1', 'Disconnected', before)]);
  const offlineAt = iso(h);
  h.clock.ms += 1000;
  h.tracker.observe([twin('dev1', 'Connected', before)]);
  const backAt = iso(h);
  const during = h.store.inFlight('dev1');
  assert.equal(during?.phase, 'requested');
  assert.equal(during?.wentOfflineAt, offlineAt);
  assert.equal(during?.cameBackAt, backAt);
  release();
  const result = await pending;
  assert.ok(result.ok);
  h.clock.ms += 100;
  h.tracker.observe([twin('dev1', 'Connected', before)]);
  assert.equal(h.store.get(result.entry.id)?.phase, 'back');
  h.clock.ms += 100;
  h.tracker.observe([twin('dev1', 'Connected', iso(h))]);
  const confirmed = h.store.get(result.entry.id);
  assert.equal(confirmed?.phase, 'confirmed');
  assert.equal(confirmed?.wentOfflineAt, offlineAt);
  assert.equal(confirmed?.cameBackAt, backAt);
});

test('a device already offline when asked gets no wentOfflineAt', async (t) => {
  const h = harness(t);
  h.twins.set('dev1', twin('dev1', 'Disconnected'));
  h.tracker.observe([twin('dev1', 'Disconnected')]);
  h.answer = async () => {
    h.tracker.observe([twin('dev1', 'Disconnected')]);
    throw new DashboardError('DEVICE_OFFLINE', 'offline');
  };
  const result = await h.tracker.requestReboot('dev1');
  assert.equal(result.ok, false);
  assert.equal(result.entry?.wentOfflineAt, null);
});

/** A reboot answered and seen offline one second later; returns the entry id and when it went offline. */
async function answeredAndOffline(h: Harness, before: string): Promise<{ id: string; offlineAt: string }> {
  h.twins.set('dev1', twin('dev1', 'Connected', before));
  h.tracker.observe([twin('dev1', 'Connected', before)]);
  const result = await h.tracker.requestReboot('dev1');
  assert.ok(result.ok);
  h.clock.ms += 1000;
  h.tracker.observe([twin('dev1', 'Disconnected', before)]);
  const offlineAt = iso(h);
  assert.equal(h.store.get(result.entry.id)?.wentOfflineAt, offlineAt);
  return { id: result.entry.id, offlineAt };
}

test('came back: a reported time before the poll that saw the device back replaces that poll\'s time', async (t) => {
  const h = harness(t);
  const before = '2026-11-26T11:00:00.000Z';
  const { id } = await answeredAndOffline(h, before);
  // The device is back and reports at +1.4 s after going offline; the 2 s poll sees it only at +3.1 s.
  const reported = iso(h, 1400);
  h.clock.ms += 3100;
  h.tracker.observe([twin('dev1', 'Connected', before)]);
  assert.equal(h.store.get(id)?.phase, 'back');
  assert.equal(h.store.get(id)?.cameBackAt, iso(h));
  h.clock.ms += 2000;
  h.tracker.observe([twin('dev1', 'Connected', reported)]);
  const confirmed = h.store.get(id);
  assert.equal(confirmed?.phase, 'confirmed');
  assert.equal(confirmed?.reportedRebootTime, reported);
  assert.equal(confirmed?.cameBackAt, reported);
});

test('came back: unknown until the confirming poll, the reported time is used (online or already gone again)', async (t) => {
  for (const connection of ['Connected', 'Disconnected'] as const) {
    const h = harness(t);
    const { id, offlineAt } = await answeredAndOffline(h, '2026-11-26T11:00:00.000Z');
    // A time with an offset is the same instant; the history keeps times as ISO UTC.
    const reportedMs = Date.parse(offlineAt) + 2400;
    const reported = new Date(reportedMs + 3_600_000).toISOString().replace('Z', '+01:00');
    h.clock.ms += 4100;
    h.tracker.observe([twin('dev1', connection, reported)]);
    const confirmed = h.store.get(id);
    assert.equal(confirmed?.phase, 'confirmed', connection);
    assert.equal(confirmed?.reportedRebootTime, reported);
    assert.equal(confirmed?.cameBackAt, new Date(reportedMs).toISOString(), connection);
  }
});

test('came back: a reported time outside the offline window leaves the observed time', async (t) => {
  // Device clock behind the server: the reported time lies before the device was seen going offline.
  const early = harness(t);
  const first = await answeredAndOffline(early, '2026-11-26T11:00:00.000Z');
  early.clock.ms += 2000;
  early.tracker.observe([twin('dev1', 'Connected', iso(early, -2500))]);
  assert.equal(early.store.get(first.id)?.phase, 'confirmed');
  assert.equal(early.store.get(first.id)?.cameBackAt, iso(early));

  // Reported after the poll that saw the device back: that poll's time stays.
  const late = harness(t);
  const second = await answeredAndOffline(late, '2026-11-26T11:00:00.000Z');
  late.clock.ms += 2000;
  late.tracker.observe([twin('dev1', 'Connected', '2026-11-26T11:00:00.000Z')]);
  const backAt = iso(late);
  late.clock.ms += 2000;
  late.tracker.observe([twin('dev1', 'Connected', iso(late, -500))]);
  assert.equal(late.store.get(second.id)?.phase, 'confirmed');
  assert.equal(late.store.get(second.id)?.cameBackAt, backAt);

  // Never seen offline: no window, so no came-back time is made up.
  const fast = harness(t);
  fast.twins.set('dev1', twin('dev1', 'Connected', '2026-11-26T11:00:00.000Z'));
  const result = await fast.tracker.requestReboot('dev1');
  assert.ok(result.ok);
  fast.clock.ms += 2000;
  fast.tracker.observe([twin('dev1', 'Connected', iso(fast, -1000))]);
  assert.equal(fast.store.get(result.entry.id)?.phase, 'confirmed');
  assert.equal(fast.store.get(result.entry.id)?.cameBackAt, null);
});

test('came back during the call (tutorial order): the earlier reported time wins over the poll\'s', async (t) => {
  const h = harness(t);
  const before = '2026-11-26T11:00:00.000Z';
  h.twins.set('dev1', twin('dev1', 'Connected', before));
  h.tracker.observe([twin('dev1', 'Connected', before)]);
  let release!: () => void;
  const answered = new Promise<void>((resolve) => (release = resolve));
  h.answer = async () => {
    await answered;
    return { status: 200, payload: null };
  };
  const pending = h.tracker.requestReboot('dev1');
  await new Promise((resolve) => setImmediate(resolve));
  h.clock.ms += 1000;
  h.tracker.observe([twin('dev1', 'Disconnected', before)]);
  const reported = iso(h, 1200);
  h.clock.ms += 2000;
  h.tracker.observe([twin('dev1', 'Connected', reported)]);
  assert.equal(h.store.inFlight('dev1')?.cameBackAt, iso(h));
  release();
  const result = await pending;
  assert.ok(result.ok);
  h.clock.ms += 100;
  h.tracker.observe([twin('dev1', 'Connected', reported)]);
  const confirmed = h.store.get(result.entry.id);
  assert.equal(confirmed?.phase, 'confirmed');
  assert.equal(confirmed?.cameBackAt, reported);
});
