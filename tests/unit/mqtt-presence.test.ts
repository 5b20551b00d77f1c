import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Presence } from '../../lib/local-hub/mqtt/presence';

function clock(): { now: () => Date; advance: (ms: number) => void } {
  let t = Date.parse('2026-11-26T12:00:00.000Z');
  return { now: () => new Date(t), advance: (ms) => (t += ms) };
}

test('a device that never connected is Disconnected since 0001-01-01', () => {
  const presence = new Presence<object>();
  assert.deepEqual(presence.connection('x'), {
    state: 'Disconnected',
    stateUpdatedTime: '0001-01-01T00:00:00Z',
    lastActivityTime: '0001-01-01T00:00:00Z',
  });
});

test('connect, activity and disconnect update the connection info', () => {
  const c = clock();
  const presence = new Presence<object>(c.now);
  const conn = {};
  presence.connected('d', conn);
  assert.deepEqual(presence.connection('d'), {
    state: 'Connected',
    stateUpdatedTime: '2026-11-26T12:00:00.000Z',
    lastActivityTime: '2026-11-26T12:00:00.000Z',
  });
  c.advance(1000);
  presence.touched('d', conn);
  assert.equal(presence.connection('d').lastActivityTime, '2026-11-26T12:00:01.000Z');
  assert.equal(presence.connection('d').stateUpdatedTime, '2026-11-26T12:00:00.000Z');
  c.advance(1000);
  assert.equal(presence.disconnected('d', conn), true);
  assert.deepEqual(presence.connection('d'), {
    state: 'Disconnected',
    stateUpdatedTime: '2026-11-26T12:00:02.000Z',
    lastActivityTime: '2026-11-26T12:00:01.000Z',
  });
});

test("a replaced connection's late disconnect leaves the new one connected", () => {
  const presence = new Presence<object>();
  const older = {};
  const newer = {};
  presence.connected('d', older);
  presence.connected('d', newer);
  assert.equal(presence.disconnected('d', older), false);
  assert.equal(presence.connection('d').state, 'Connected');
  assert.equal(presence.current('d'), newer);
});

test('method readiness needs a subscribe on the current connection', () => {
  const presence = new Presence<object>();
  const older = {};
  const newer = {};
  presence.connected('d', older);
  presence.subscribed('d', older, ['$iothub/methods/POST/#']);
  assert.equal(presence.methodsReady('d'), older);
  presence.connected('d', newer);
  assert.equal(presence.methodsReady('d'), undefined, 'a new connection starts unsubscribed');
  presence.subscribed('d', older, ['$iothub/methods/POST/#']);
  assert.equal(presence.methodsReady('d'), undefined, 'a subscribe on the old connection does not count');
  presence.subscribed('d', newer, ['$iothub/twin/PATCH/properties/desired/#']);
  assert.equal(presence.methodsReady('d'), undefined);
  assert.equal(presence.desiredReady('d'), newer);
  presence.subscribed('d', newer, ['$iothub/methods/POST/#']);
  assert.equal(presence.methodsReady('d'), newer);
  presence.unsubscribed('d', newer, ['$iothub/methods/POST/#']);
  assert.equal(presence.methodsReady('d'), undefined);
});

test('waiting for methods resolves on subscribe, or false on timeout or abort', async () => {
  const presence = new Presence<object>();
  const conn = {};
  const waiting = presence.waitForMethods('d', 5000);
  presence.connected('d', conn);
  presence.subscribed('d', conn, ['$iothub/methods/POST/#']);
  assert.equal(await waiting, true);
  assert.equal(await presence.waitForMethods('d', 0), true, 'already ready');
  assert.equal(await presence.waitForMethods('other', 0), false, '0 means ready now or never');
  assert.equal(await presence.waitForMethods('other', 20), false);
  const abort = new AbortController();
  const aborted = presence.waitForMethods('other', 5000, abort.signal);
  abort.abort();
  assert.equal(await aborted, false);
});
