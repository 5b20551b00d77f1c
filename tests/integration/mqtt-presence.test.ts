import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isHubError } from '../../lib/local-hub/errors';
import { rawAuthorizedDevice, startTestEndpoint, waitFor } from '../helpers/mqtt-endpoint';

test('a second connection for the same device drops the first, and the device stays connected', { timeout: 30_000 }, async (t) => {
  const hub = await startTestEndpoint(t);
  hub.addDevice('twin');
  const first = rawAuthorizedDevice(t, hub, 'twin');
  assert.equal(await first.connack, 0);
  await first.client.subscribeAsync('$iothub/methods/POST/#');
  await waitFor(() => hub.endpoint.readiness('twin').methods, 5000, 'first method-ready');
  const firstState = hub.endpoint.connection('twin');

  const second = rawAuthorizedDevice(t, hub, 'twin');
  assert.equal(await second.connack, 0);
  await first.closed;
  await waitFor(() => hub.logs.some((line) => line.startsWith('mqtt: twin disconnected')), 5000, 'old disconnect seen');
  assert.ok(hub.logs.includes('mqtt: twin: a new connection replaces the current one'));
  assert.equal(hub.endpoint.connection('twin').state, 'Connected');
  assert.ok(hub.endpoint.connection('twin').stateUpdatedTime >= firstState.stateUpdatedTime);
  assert.equal(hub.endpoint.connectedDevices(), 1);
  assert.deepEqual(hub.endpoint.readiness('twin'), { connected: true, methods: false, desired: false }, 'readiness is per connection');

  const requests: string[] = [];
  second.client.on('message', (topic) => requests.push(topic));
  await second.client.subscribeAsync('$iothub/methods/POST/#');
  const pending = hub.endpoint.invokeMethod('twin', { methodName: 'ping', payload: null, responseTimeoutInSeconds: 5, connectTimeoutInSeconds: 5 });
  await waitFor(() => requests.length === 1, 5000, 'request on the second connection');
  const rid = /\$rid=(.+)$/.exec(requests[0] as string)?.[1] as string;
  second.client.publish(`$iothub/methods/res/200/?$rid=${rid}`, '"pong"');
  const result = await pending;
  assert.ok(!isHubError(result));
  assert.deepEqual(result, { status: 200, payload: 'pong' });

  second.client.end(true);
  await waitFor(() => hub.endpoint.connection('twin').state === 'Disconnected', 5000, 'offline after the second closes');
  assert.equal(hub.endpoint.connectedDevices(), 0);
});

test('publishes and pings move lastActivityTime; the state time stays at connect', { timeout: 30_000 }, async (t) => {
  const hub = await startTestEndpoint(t);
  hub.addDevice('busy');
  const device = rawAuthorizedDevice(t, hub, 'busy', { keepalive: 1 });
  assert.equal(await device.connack, 0);
  const connected = hub.endpoint.connection('busy');
  assert.equal(connected.state, 'Connected');
  assert.equal(connected.lastActivityTime, connected.stateUpdatedTime);
  await waitFor(() => hub.endpoint.connection('busy').lastActivityTime > connected.lastActivityTime, 5000, 'ping activity');
  const afterPing = hub.endpoint.connection('busy').lastActivityTime;
  await new Promise((resolve) => setImmediate(resolve));
  await device.client.publishAsync('devices/busy/messages/events/', 'x', { qos: 1 });
  assert.ok(hub.endpoint.connection('busy').lastActivityTime >= afterPing);
  assert.equal(hub.endpoint.connection('busy').stateUpdatedTime, connected.stateUpdatedTime);
});

test('disconnect(deviceId) closes the current connection; an unknown device is a no-op', { timeout: 30_000 }, async (t) => {
  const hub = await startTestEndpoint(t);
  hub.addDevice('d');
  const device = rawAuthorizedDevice(t, hub, 'd');
  assert.equal(await device.connack, 0);
  hub.endpoint.disconnect('nobody');
  hub.endpoint.disconnect('d');
  await device.closed;
  await waitFor(() => hub.endpoint.connection('d').state === 'Disconnected', 5000, 'offline');
  assert.deepEqual(hub.endpoint.connection('never'), {
    state: 'Disconnected',
    stateUpdatedTime: '0001-01-01T00:00:00Z',
    lastActivityTime: '0001-01-01T00:00:00Z',
  });
});

test('close() ends waiting calls, closes devices and can be called twice', { timeout: 30_000 }, async (t) => {
  const hub = await startTestEndpoint(t);
  hub.addDevice('d');
  const device = rawAuthorizedDevice(t, hub, 'd');
  assert.equal(await device.connack, 0);
  await device.client.subscribeAsync('$iothub/methods/POST/#');
  await waitFor(() => hub.endpoint.readiness('d').methods, 5000, 'method-ready');
  const answered = hub.endpoint.invokeMethod('d', { methodName: 'm', payload: null, responseTimeoutInSeconds: 60, connectTimeoutInSeconds: 0 });
  const waiting = hub.endpoint.invokeMethod('ghost', { methodName: 'm', payload: null, responseTimeoutInSeconds: 5, connectTimeoutInSeconds: 60 });
  await Promise.all([hub.endpoint.close(), hub.endpoint.close()]);
  await device.closed;
  const [a, w] = await Promise.all([answered, waiting]);
  assert.ok(isHubError(a) && a.numeric === 504101, 'an unanswered call ends as 504101');
  assert.ok(isHubError(w) && w.numeric === 404103);
});
