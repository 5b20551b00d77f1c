import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Client as DeviceClient, Twin } from 'azure-iot-device';
import { isHubError } from '../../lib/local-hub/errors';
import { openSdkDevice, rawAuthorizedDevice, startTestEndpoint, waitFor } from '../helpers/mqtt-endpoint';

/** reported.update has no Promise form in azure-iot-device 1.18.4 (wire §1.6). */
function report(twin: Twin, patch: Record<string, unknown>): Promise<void> {
  return new Promise((resolve, reject) => twin.properties.reported.update(patch, (error?: Error) => (error ? reject(error) : resolve())));
}

async function twinOf(device: DeviceClient): Promise<Twin> {
  return device.getTwin();
}

test('the SDK reads its twin and patches reported properties; null deletes and $version grows', { timeout: 30_000 }, async (t) => {
  const hub = await startTestEndpoint(t);
  hub.addDevice('dev1');
  const device = await openSdkDevice(t, hub.connectionString('dev1'), hub.ca);
  const twin = await twinOf(device);
  assert.equal(typeof twin.properties.desired.$version, 'number');
  const startVersion = twin.properties.reported.$version as number;

  await report(twin, { rebootTime: '2026-11-26T12:00:00Z', firmware: { version: '1.0', channel: 'beta' } });
  await report(twin, { firmware: { channel: null }, extra: 1 });
  await report(twin, { extra: null });

  const view = hub.store.getDeviceTwin('dev1');
  assert.ok(!isHubError(view));
  assert.equal(view.reported.$version, startVersion + 3);
  assert.equal(view.reported.rebootTime, '2026-11-26T12:00:00Z');
  assert.deepEqual(view.reported.firmware, { version: '1.0' });
  assert.equal('extra' in view.reported, false);
  assert.equal('$metadata' in view.reported, false);

  const again = await twinOf(device);
  assert.equal(again.properties.reported.$version, startVersion + 3);
  assert.deepEqual(again.properties.reported.firmware, { version: '1.0' });
});

test('a desired push reaches twin.on("properties.desired") once the device subscribed', { timeout: 30_000 }, async (t) => {
  const hub = await startTestEndpoint(t);
  hub.addDevice('dev1');
  const device = await openSdkDevice(t, hub.connectionString('dev1'), hub.ca);
  hub.endpoint.pushDesired('dev1', { early: true, $version: 2 });
  const twin = await twinOf(device);
  const patches: unknown[] = [];
  twin.on('properties.desired', (patch: unknown) => patches.push(patch));
  await waitFor(() => hub.endpoint.readiness('dev1').desired, 5000, 'desired subscription');
  const before = patches.length;
  hub.endpoint.pushDesired('dev1', { rebootWindow: '02:00', $version: 3 });
  await waitFor(() => patches.length > before, 5000, 'desired patch');
  assert.deepEqual(patches.at(-1), { rebootWindow: '02:00', $version: 3 });
  assert.equal(twin.properties.desired.rebootWindow, '02:00');
  assert.equal(twin.properties.desired.early, undefined, 'a push before the subscription is not delivered');
});

test('twin requests over raw MQTT: every $rid is answered, failures carry errorCode', { timeout: 30_000 }, async (t) => {
  const hub = await startTestEndpoint(t);
  hub.addDevice('raw');
  const device = rawAuthorizedDevice(t, hub, 'raw');
  assert.equal(await device.connack, 0);
  const answers = new Map<string, { topic: string; body: string }>();
  device.client.on('message', (topic, payload) => {
    const rid = /\$rid=([^&]+)/.exec(topic)?.[1];
    if (rid) answers.set(rid, { topic, body: payload.toString() });
  });
  await device.client.subscribeAsync('$iothub/twin/res/#');

  device.client.publish('$iothub/twin/GET/?$rid=g1', ' ');
  device.client.publish('$iothub/twin/PATCH/properties/reported/?$rid=p1', '{"a":1}');
  device.client.publish('$iothub/twin/PATCH/properties/reported/?$rid=bad', '{"a":');
  device.client.publish('$iothub/twin/PATCH/properties/reported/?$rid=arr', '[1]');
  device.client.publish('$iothub/twin/PATCH/properties/reported/?$rid=big', JSON.stringify({ blob: 'x'.repeat(40 * 1024) }));
  await waitFor(() => answers.size === 5, 5000, 'five answers');

  const get = answers.get('g1');
  assert.equal(get?.topic, '$iothub/twin/res/200/?$rid=g1');
  const body = JSON.parse(get?.body ?? '') as { desired: { $version: number }; reported: { $version: number } };
  assert.deepEqual(Object.keys(body).sort(), ['desired', 'reported']);
  assert.equal(typeof body.desired.$version, 'number');

  const patched = answers.get('p1');
  assert.match(patched?.topic ?? '', /^\$iothub\/twin\/res\/204\/\?\$rid=p1&\$version=\d+$/);
  assert.equal(patched?.body, '');

  for (const [rid, status, errorCode] of [
    ['bad', 400, 400004],
    ['arr', 400, 400004],
    ['big', 413, 413001],
  ] as const) {
    const answer = answers.get(rid);
    assert.equal(answer?.topic, `$iothub/twin/res/${status}/?$rid=${rid}`);
    const error = JSON.parse(answer?.body ?? '') as { errorCode: number; message: string };
    assert.equal(error.errorCode, errorCode);
    assert.ok(error.message.length > 0);
  }
  assert.equal(device.client.connected, true);
});
