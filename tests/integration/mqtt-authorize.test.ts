import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rawAuthorizedDevice, startTestEndpoint, waitFor } from '../helpers/mqtt-endpoint';

test("publishing to another device's topic or a hub-only topic closes the connection", { timeout: 30_000 }, async (t) => {
  const hub = await startTestEndpoint(t);
  hub.addDevice('a');
  for (const [topic, why] of [
    ['devices/b/messages/events/', /another device/],
    ['$iothub/methods/POST/reboot/?$rid=1', /not a topic a device may publish/],
    ['$iothub/twin/PATCH/properties/desired/?$version=9', /not a topic a device may publish/],
    ['some/topic', /not a topic a device may publish/],
  ] as const) {
    const device = rawAuthorizedDevice(t, hub, 'a');
    assert.equal(await device.connack, 0);
    device.client.publish(topic, 'x', { qos: 0 });
    await device.closed;
    assert.ok(hub.logs.some((line) => line.startsWith('mqtt: closing a:') && why.test(line) && line.includes(topic)), topic);
    await waitFor(() => hub.endpoint.connection('a').state === 'Disconnected', 5000, 'a offline');
  }
});

test('QoS 2 closes the connection (IoT Hub supports QoS 0 and 1)', { timeout: 30_000 }, async (t) => {
  const hub = await startTestEndpoint(t);
  hub.addDevice('a');
  const device = rawAuthorizedDevice(t, hub, 'a');
  assert.equal(await device.connack, 0);
  device.client.publish('devices/a/messages/events/', 'x', { qos: 2 });
  await device.closed;
  assert.ok(hub.logs.some((line) => /closing a: QoS 2/.test(line)));
});

test('foreign subscriptions are negated, the documented ones granted', { timeout: 30_000 }, async (t) => {
  const hub = await startTestEndpoint(t);
  hub.addDevice('a');
  const device = rawAuthorizedDevice(t, hub, 'a');
  assert.equal(await device.connack, 0);
  const suback = new Promise<number[]>((resolve) =>
    device.client.on('packetreceive', (packet) => {
      if (packet.cmd === 'suback') resolve(packet.granted as number[]);
    }),
  );
  device.client.subscribe({
    '$iothub/methods/POST/#': { qos: 0 },
    'devices/b/messages/devicebound/#': { qos: 1 },
    '#': { qos: 0 },
    'devices/a/messages/devicebound/#': { qos: 1 },
    '$iothub/twin/res/#': { qos: 0 },
  });
  // Order: methods, foreign devicebound, '#', own devicebound, twin responses.
  assert.deepEqual(await suback, [0, 128, 128, 1, 0]);
  assert.equal(device.client.connected, true, 'a negated subscription does not close the connection');
});

test('telemetry is acknowledged and reaches no other device', { timeout: 30_000 }, async (t) => {
  const hub = await startTestEndpoint(t);
  hub.addDevice('a');
  hub.addDevice('b');
  const listener = rawAuthorizedDevice(t, hub, 'b');
  assert.equal(await listener.connack, 0);
  const heard: string[] = [];
  listener.client.on('message', (topic) => heard.push(topic));
  await listener.client.subscribeAsync(['$iothub/methods/POST/#', '$iothub/twin/res/#', 'devices/b/messages/devicebound/#']);

  const sender = rawAuthorizedDevice(t, hub, 'a');
  assert.equal(await sender.connack, 0);
  await sender.client.publishAsync('devices/a/messages/events/%24.mid=1', 'hello', { qos: 1 });
  await sender.client.publishAsync('devices/a/messages/events/', 'kept?', { qos: 1, retain: true });
  await sender.client.publishAsync('$iothub/methods/res/200/?$rid=1', '{}', { qos: 1 });
  // A twin GET round trip on b's connection proves b's earlier traffic has been processed.
  const answered = new Promise<string>((resolve) => listener.client.on('message', (topic) => resolve(topic)));
  listener.client.publish('$iothub/twin/GET/?$rid=probe', ' ');
  assert.equal(await answered, '$iothub/twin/res/200/?$rid=probe');
  assert.deepEqual(heard, ['$iothub/twin/res/200/?$rid=probe']);
  assert.equal(sender.client.connected, true);

  const late = rawAuthorizedDevice(t, hub, 'b', { clientId: 'b' });
  assert.equal(await late.connack, 0);
  const retained: string[] = [];
  late.client.on('message', (topic) => retained.push(topic));
  await late.client.subscribeAsync('devices/b/messages/devicebound/#');
  const probe = new Promise<string>((resolve) => late.client.on('message', (topic) => resolve(topic)));
  await late.client.subscribeAsync('$iothub/twin/res/#');
  late.client.publish('$iothub/twin/GET/?$rid=probe2', ' ');
  assert.equal(await probe, '$iothub/twin/res/200/?$rid=probe2');
  assert.deepEqual(retained, ['$iothub/twin/res/200/?$rid=probe2'], 'nothing retained is replayed');
});
