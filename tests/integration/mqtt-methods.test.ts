import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MqttClient } from 'mqtt';
import { HubError, isHubError } from '../../lib/local-hub/errors';
import type { MethodCall, MethodResult } from '../../lib/local-hub/types';
import { openSdkDevice, rawAuthorizedDevice, startTestEndpoint, waitFor, type RawDevice } from '../helpers/mqtt-endpoint';

function call(methodName: string, payload: unknown, responseTimeoutInSeconds = 5, connectTimeoutInSeconds = 0): MethodCall {
  return { methodName, payload, responseTimeoutInSeconds, connectTimeoutInSeconds };
}

function assertResult(value: MethodResult | HubError): MethodResult {
  assert.ok(!isHubError(value), `expected a result, got ${isHubError(value) ? `${value.numeric} ${value.message}` : ''}`);
  return value;
}

function assertError(value: MethodResult | HubError, numeric: number): HubError {
  assert.ok(isHubError(value), `expected HubError ${numeric}, got ${JSON.stringify(value)}`);
  assert.equal(value.numeric, numeric, value.message);
  return value;
}

interface Request {
  name: string;
  rid: string;
  body: string;
}

/** Subscribes a raw device to method requests and collects them. */
async function listenForMethods(device: RawDevice): Promise<{ requests: Request[]; next: () => Promise<Request> }> {
  assert.equal(await device.connack, 0);
  const requests: Request[] = [];
  const waiting: Array<(r: Request) => void> = [];
  device.client.on('message', (topic, payload) => {
    const match = /^\$iothub\/methods\/POST\/([^/]+)\/\?\$rid=(.+)$/.exec(topic);
    if (!match) return;
    const request = { name: match[1] as string, rid: decodeURIComponent(match[2] as string), body: payload.toString() };
    const waiter = waiting.shift();
    if (waiter) waiter(request);
    else requests.push(request);
  });
  await device.client.subscribeAsync('$iothub/methods/POST/#');
  return {
    requests,
    next: () => {
      const queued = requests.shift();
      return queued ? Promise.resolve(queued) : new Promise((resolve) => waiting.push(resolve));
    },
  };
}

function respond(client: MqttClient, rid: string, status: number, body: string | Buffer): void {
  client.publish(`$iothub/methods/res/${status}/?$rid=${encodeURIComponent(rid)}`, body);
}

test('a direct method round trip through the real SDK carries payloads and status', { timeout: 30_000 }, async (t) => {
  const hub = await startTestEndpoint(t);
  hub.addDevice('dev1');
  const device = await openSdkDevice(t, hub.connectionString('dev1'), hub.ca);
  device.onDeviceMethod('rebootDevice', (request, response) => {
    response.send(200, { echoed: request.payload }, () => {});
  });
  device.onDeviceMethod('refuse', (_request, response) => {
    response.send(409, 'not now', () => {});
  });
  device.onDeviceMethod('silent', (_request, response) => {
    response.send(204, () => {});
  });
  await waitFor(() => hub.endpoint.connection('dev1').state === 'Connected', 5000, 'connected');
  const ready = await hub.endpoint.invokeMethod('dev1', call('rebootDevice', { delay: 1 }, 5, 5));
  assert.deepEqual(assertResult(ready), { status: 200, payload: { echoed: { delay: 1 } } });
  assert.deepEqual(assertResult(await hub.endpoint.invokeMethod('dev1', call('rebootDevice', undefined))), {
    status: 200,
    payload: { echoed: null },
  });
  assert.deepEqual(assertResult(await hub.endpoint.invokeMethod('dev1', call('refuse', 'x'))), { status: 409, payload: 'not now' });
  assert.deepEqual(assertResult(await hub.endpoint.invokeMethod('dev1', call('silent', null))), { status: 204, payload: null });
});

test('a device that has not subscribed to methods is not online for them (404103)', { timeout: 30_000 }, async (t) => {
  const hub = await startTestEndpoint(t);
  hub.addDevice('idle');
  await openSdkDevice(t, hub.connectionString('idle'), hub.ca);
  await waitFor(() => hub.endpoint.connection('idle').state === 'Connected', 5000, 'connected');
  const error = assertError(await hub.endpoint.invokeMethod('idle', call('rebootDevice', null)), 404103);
  assert.equal(error.message, 'Timed out waiting for device to connect.');
  assert.deepEqual(error.info, { timeout: '00:00:00' });
  assert.equal(error.status, 404);
  assertError(await hub.endpoint.invokeMethod('nobody', call('rebootDevice', null, 5, 1)), 404103);
});

test('connectTimeoutInSeconds waits for a device that comes online', { timeout: 30_000 }, async (t) => {
  const hub = await startTestEndpoint(t);
  hub.addDevice('late');
  const pending = hub.endpoint.invokeMethod('late', call('rebootDevice', { n: 1 }, 5, 20));
  const device = await openSdkDevice(t, hub.connectionString('late'), hub.ca);
  device.onDeviceMethod('rebootDevice', (request, response) => response.send(200, request.payload, () => {}));
  assert.deepEqual(assertResult(await pending), { status: 200, payload: { n: 1 } });
});

test('no answer within responseTimeoutInSeconds is 504101', { timeout: 30_000 }, async (t) => {
  const hub = await startTestEndpoint(t);
  hub.addDevice('mute');
  const device = rawAuthorizedDevice(t, hub, 'mute');
  const methods = await listenForMethods(device);
  const error = assertError(await hub.endpoint.invokeMethod('mute', call('rebootDevice', null, 1)), 504101);
  assert.equal(error.message, 'Timed out waiting for the response from device.');
  assert.equal(error.status, 504);
  const request = await methods.next();
  assert.equal(request.name, 'rebootDevice');
  assert.equal(request.body, 'null');
});

test("another device's response with the same $rid does not complete the call", { timeout: 30_000 }, async (t) => {
  const hub = await startTestEndpoint(t);
  hub.addDevice('target');
  hub.addDevice('intruder');
  const target = rawAuthorizedDevice(t, hub, 'target');
  const methods = await listenForMethods(target);
  const intruder = rawAuthorizedDevice(t, hub, 'intruder');
  assert.equal(await intruder.connack, 0);

  const pending = hub.endpoint.invokeMethod('target', call('rebootDevice', { to: 'target' }));
  const request = await methods.next();
  assert.equal(request.body, '{"to":"target"}');
  respond(intruder.client, request.rid, 200, '"from intruder"');
  await waitFor(() => hub.logs.some((line) => line.includes(`intruder: ignored method response`)), 5000, 'intruder ignored');
  respond(target.client, request.rid, 200, '"from target"');
  assert.deepEqual(assertResult(await pending), { status: 200, payload: 'from target' });
});

test('response bodies: JSON, plain text, empty, and over 128 KB (a 4xx error)', { timeout: 30_000 }, async (t) => {
  const hub = await startTestEndpoint(t);
  hub.addDevice('d');
  const device = rawAuthorizedDevice(t, hub, 'd');
  const methods = await listenForMethods(device);
  const cases: Array<[string | Buffer, (r: MethodResult | HubError) => void]> = [
    ['{"ok":true}', (r) => assert.deepEqual(assertResult(r), { status: 200, payload: { ok: true } })],
    ['rebooting <soon>', (r) => assert.deepEqual(assertResult(r), { status: 200, payload: 'rebooting <soon>' })],
    ['', (r) => assert.deepEqual(assertResult(r), { status: 200, payload: null })],
    [
      JSON.stringify({ blob: 'x'.repeat(128 * 1024) }),
      (r) => {
        const error = assertError(r, 413001);
        assert.ok(error.status >= 400 && error.status < 500);
        assert.match(error.message, /128 KB/);
      },
    ],
  ];
  for (const [body, check] of cases) {
    const pending = hub.endpoint.invokeMethod('d', call('m', null));
    const request = await methods.next();
    respond(device.client, request.rid, 200, body);
    check(await pending);
  }
  assert.equal(device.client.connected, true);
});

test('many calls are in flight at once and each gets its own answer', { timeout: 30_000 }, async (t) => {
  const hub = await startTestEndpoint(t);
  hub.addDevice('busy');
  const device = rawAuthorizedDevice(t, hub, 'busy');
  const methods = await listenForMethods(device);
  const pending = Array.from({ length: 25 }, (_, i) => hub.endpoint.invokeMethod('busy', call('work', { i })));
  const requests = await Promise.all(pending.map(() => methods.next()));
  for (const request of requests.reverse()) respond(device.client, request.rid, 200, request.body);
  const results = await Promise.all(pending);
  assert.deepEqual(
    results.map((r) => assertResult(r).payload),
    Array.from({ length: 25 }, (_, i) => ({ i })),
  );
});

test('a call survives its device reconnecting and is answered on the new connection', { timeout: 30_000 }, async (t) => {
  const hub = await startTestEndpoint(t);
  hub.addDevice('flaky');
  const first = rawAuthorizedDevice(t, hub, 'flaky');
  const methods = await listenForMethods(first);
  const pending = hub.endpoint.invokeMethod('flaky', call('rebootDevice', null, 10));
  const request = await methods.next();
  first.client.end(true);
  await waitFor(() => hub.endpoint.connection('flaky').state === 'Disconnected', 5000, 'offline');
  const second = rawAuthorizedDevice(t, hub, 'flaky');
  assert.equal(await second.connack, 0);
  respond(second.client, request.rid, 200, '"after reboot"');
  assert.deepEqual(assertResult(await pending), { status: 200, payload: 'after reboot' });
});

test('a restored persistent session does not make a device method-ready; a new SUBSCRIBE does', { timeout: 30_000 }, async (t) => {
  const hub = await startTestEndpoint(t);
  hub.addDevice('sticky');
  const first = rawAuthorizedDevice(t, hub, 'sticky', { clean: false });
  await listenForMethods(first);
  first.client.end(true);
  await waitFor(() => hub.endpoint.connection('sticky').state === 'Disconnected', 5000, 'offline');

  const second = rawAuthorizedDevice(t, hub, 'sticky', { clean: false });
  assert.equal(await second.connack, 0);
  assertError(await hub.endpoint.invokeMethod('sticky', call('rebootDevice', null)), 404103);
  const methods = await listenForMethods(second);
  const pending = hub.endpoint.invokeMethod('sticky', call('rebootDevice', null));
  const request = await methods.next();
  respond(second.client, request.rid, 200, '1');
  assert.deepEqual(assertResult(await pending), { status: 200, payload: 1 });
});

test('invalid method names and oversized request payloads are refused before anything is sent', { timeout: 30_000 }, async (t) => {
  const hub = await startTestEndpoint(t);
  hub.addDevice('d');
  const device = rawAuthorizedDevice(t, hub, 'd');
  const methods = await listenForMethods(device);
  assertError(await hub.endpoint.invokeMethod('d', call('', null)), 400004);
  assertError(await hub.endpoint.invokeMethod('d', call('a/b', null)), 400004);
  assertError(await hub.endpoint.invokeMethod('d', call('m', 'x'.repeat(128 * 1024))), 413001);
  assert.equal(methods.requests.length, 0);
});
