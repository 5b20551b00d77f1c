import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect as netConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { once } from 'node:events';
import type { Duplex } from 'node:stream';
import { isHubError } from '../../lib/local-hub/errors';
import { MAX_PACKET_BYTES } from '../../lib/local-hub/mqtt/index';
import {
  deviceToken,
  deviceUsername,
  HOST,
  newKey,
  openSdkDevice,
  rawAuthorizedDevice,
  rawDevice,
  startTestEndpoint,
  waitFor,
  type TestEndpoint,
} from '../helpers/mqtt-endpoint';

/** Resolves when the socket closes, whatever error comes first (events.once would reject on 'error'). */
function closed(socket: Duplex): Promise<void> {
  return new Promise((resolve) => (socket.destroyed ? resolve() : socket.once('close', () => resolve())));
}

/** MQTT "remaining length" (MQTT 3.1.1 §2.2.3). */
function remainingLength(n: number): Buffer {
  const bytes: number[] = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    bytes.push(byte);
  } while (n > 0);
  return Buffer.from(bytes);
}

/** The header of a QoS 0 PUBLISH whose body is `bodySize` bytes. */
function publishHeader(topic: string, bodySize: number): Buffer {
  const topicBytes = Buffer.from(topic);
  return Buffer.concat([
    Buffer.from([0x30]),
    remainingLength(2 + topicBytes.length + bodySize),
    Buffer.from([topicBytes.length >> 8, topicBytes.length & 0xff]),
    topicBytes,
  ]);
}

/** A healthy SDK device that answers `ping`; the hub must keep serving it whatever the others do. */
async function healthyDevice(t: { after(fn: () => unknown): void }, hub: TestEndpoint): Promise<() => Promise<void>> {
  hub.addDevice('healthy');
  const device = await openSdkDevice(t, hub.connectionString('healthy'), hub.ca);
  device.onDeviceMethod('ping', (_request, response) => response.send(200, 'pong', () => {}));
  await waitFor(() => hub.endpoint.readiness('healthy').methods, 5000, 'healthy device ready');
  return async () => {
    const result = await hub.endpoint.invokeMethod('healthy', {
      methodName: 'ping',
      payload: null,
      responseTimeoutInSeconds: 5,
      connectTimeoutInSeconds: 5,
    });
    assert.deepEqual(result, { status: 200, payload: 'pong' });
  };
}

test('garbage instead of TLS, and a client that distrusts the certificate, are dropped with a log line', { timeout: 30_000 }, async (t) => {
  const hub = await startTestEndpoint(t);
  const stillServes = await healthyDevice(t, hub);

  const plain = netConnect(hub.endpoint.port, HOST);
  t.after(() => plain.destroy());
  plain.on('error', () => {});
  await once(plain, 'connect');
  plain.write(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n\x00\xff\xfe'));
  await closed(plain);

  const distrust = tlsConnect({ host: HOST, port: hub.endpoint.port, rejectUnauthorized: true });
  t.after(() => distrust.destroy());
  distrust.on('error', () => {});
  await closed(distrust);

  await waitFor(() => hub.logs.filter((line) => /TLS handshake with .* failed/.test(line)).length >= 2, 5000, 'two handshake logs');
  await stillServes();
});

test('garbage and malformed packets over TLS close only that connection', { timeout: 30_000 }, async (t) => {
  const hub = await startTestEndpoint(t);
  const stillServes = await healthyDevice(t, hub);

  const garbage = tlsConnect({ host: HOST, port: hub.endpoint.port, ca: hub.ca });
  t.after(() => garbage.destroy());
  garbage.on('error', () => {});
  await once(garbage, 'secureConnect');
  garbage.write(Buffer.from([0x10, 0xff, 0xff, 0xff, 0xff, 0x7f, 1, 2, 3]));
  await closed(garbage);
  await waitFor(() => hub.logs.some((line) => /closing .*: malformed remaining length/.test(line)), 5000, 'malformed log');

  const notConnect = tlsConnect({ host: HOST, port: hub.endpoint.port, ca: hub.ca });
  t.after(() => notConnect.destroy());
  notConnect.on('error', () => {});
  await once(notConnect, 'secureConnect');
  notConnect.write(Buffer.from([0xc0, 0x00])); // PINGREQ before CONNECT
  await closed(notConnect);

  hub.addDevice('broken');
  const broken = rawAuthorizedDevice(t, hub, 'broken');
  assert.equal(await broken.connack, 0);
  (broken.client.stream as Duplex).write(Buffer.from([0xf0, 0x00])); // reserved packet type 15
  await broken.closed;
  await waitFor(() => hub.logs.some((line) => line.startsWith('mqtt: broken dropped:')), 5000, 'malformed packet log');
  await waitFor(() => hub.endpoint.connection('broken').state === 'Disconnected', 5000, 'broken offline');

  await stillServes();
});

test('a 10 MB packet is refused from its header, and the hub keeps serving', { timeout: 30_000 }, async (t) => {
  const hub = await startTestEndpoint(t);
  const stillServes = await healthyDevice(t, hub);
  hub.addDevice('huge');
  const huge = rawAuthorizedDevice(t, hub, 'huge');
  assert.equal(await huge.connack, 0);
  const stream = huge.client.stream as Duplex;
  stream.on('error', () => {});
  const size = 10 * 1024 * 1024;
  stream.write(publishHeader('devices/huge/messages/events/', size));
  const chunk = Buffer.alloc(64 * 1024);
  for (let sent = 0; sent < size && !stream.destroyed; sent += chunk.length) {
    if (!stream.write(chunk)) await Promise.race([new Promise((resolve) => stream.once('drain', resolve)), closed(stream)]);
  }
  await huge.closed;
  assert.ok(hub.logs.some((line) => line.startsWith('mqtt: closing huge: packet of') && line.includes(`limit of ${MAX_PACKET_BYTES}`)));
  await stillServes();
});

test('a method response far over the packet limit ends the call with a 4xx, not a timeout', { timeout: 30_000 }, async (t) => {
  const hub = await startTestEndpoint(t);
  hub.addDevice('chatty');
  const device = rawAuthorizedDevice(t, hub, 'chatty');
  assert.equal(await device.connack, 0);
  const rids: string[] = [];
  device.client.on('message', (topic) => rids.push(/\$rid=(.+)$/.exec(topic)?.[1] ?? ''));
  await device.client.subscribeAsync('$iothub/methods/POST/#');
  const pending = hub.endpoint.invokeMethod('chatty', { methodName: 'dump', payload: null, responseTimeoutInSeconds: 30, connectTimeoutInSeconds: 5 });
  await waitFor(() => rids.length === 1, 5000, 'request');
  const stream = device.client.stream as Duplex;
  stream.write(Buffer.concat([publishHeader(`$iothub/methods/res/200/?$rid=${rids[0]}`, 2 * 1024 * 1024), Buffer.alloc(1024)]));
  const result = await pending;
  assert.ok(isHubError(result));
  assert.equal(result.numeric, 413001);
  assert.match(result.message, /128 KB/);
  await device.closed;
});

test('a device that vanishes while a call waits leaves the call to its response timeout', { timeout: 30_000 }, async (t) => {
  const hub = await startTestEndpoint(t);
  const stillServes = await healthyDevice(t, hub);
  hub.addDevice('ghost');
  const ghost = rawAuthorizedDevice(t, hub, 'ghost');
  assert.equal(await ghost.connack, 0);
  let requested = false;
  ghost.client.on('message', () => {
    requested = true;
    (ghost.client.stream as Duplex).destroy();
  });
  await ghost.client.subscribeAsync('$iothub/methods/POST/#');
  const started = Date.now();
  const result = await hub.endpoint.invokeMethod('ghost', { methodName: 'm', payload: null, responseTimeoutInSeconds: 1, connectTimeoutInSeconds: 0 });
  assert.ok(requested);
  assert.ok(isHubError(result));
  assert.equal(result.numeric, 504101);
  assert.ok(Date.now() - started >= 900, 'the call waited for its response timeout');
  await stillServes();
});

test('a directory that throws refuses the CONNECT as server unavailable (3) and the hub keeps running', { timeout: 30_000 }, async (t) => {
  const hub = await startTestEndpoint(t);
  const stillServes = await healthyDevice(t, hub);
  hub.addDevice('unlucky');
  const original = hub.store.getIdentity.bind(hub.store);
  hub.store.getIdentity = (deviceId: string) => {
    if (deviceId === 'unlucky') throw new Error('database is locked');
    return original(deviceId);
  };
  const device = rawDevice(t, hub.endpoint.port, hub.ca, {
    clientId: 'unlucky',
    username: deviceUsername('unlucky'),
    password: deviceToken('unlucky', newKey()),
  });
  assert.equal(await device.connack, 3);
  assert.ok(hub.logs.some((line) => line === 'mqtt: refused unlucky: directory error: database is locked'));
  await stillServes();
});
