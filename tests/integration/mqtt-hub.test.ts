/**
 * The device side through the whole local hub (createLocalHub via startTestHub): the store's identities and
 * policies, presence as the registry reports it, and methods through the service SDK.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestHub, type TestHub } from '../helpers/local-hub';
import { deviceToken, deviceUsername, openSdkDevice, rawDevice, waitFor, type RawDevice } from '../helpers/mqtt-endpoint';

const HOUR = (): number => Math.floor(Date.now() / 1000) + 3600;

function ownerKey(hub: TestHub): string {
  return /SharedAccessKey=([^;]+)/.exec(hub.serviceConnectionString)?.[1] ?? '';
}

function raw(t: { after(fn: () => unknown): void }, hub: TestHub, deviceId: string, key: string, keyName?: string, clean = true): RawDevice {
  return rawDevice(t, hub.mqttPort, hub.caPem, {
    clientId: deviceId,
    username: deviceUsername(deviceId),
    password: deviceToken(deviceId, key, HOUR(), keyName),
    clean,
  });
}

async function connectionState(hub: TestHub, deviceId: string): Promise<{ connectionState?: string; lastActivityTime?: string }> {
  const { responseBody } = await hub.registry.get(deviceId);
  return responseBody as { connectionState?: string; lastActivityTime?: string };
}

async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test('devices authenticate with keys from the registry and the iothubowner policy; the registry sees presence', { timeout: 30_000 }, async (t) => {
  const hub = await startTestHub(t);
  const created = await hub.createDevice('dev1');
  const { responseBody: identity } = await hub.registry.get('dev1');
  const secondary = identity.authentication?.symmetricKey?.secondaryKey ?? '';
  assert.equal((await connectionState(hub, 'dev1')).connectionState, 'Disconnected');

  for (const [key, keyName] of [
    [created.primaryKey, undefined],
    [secondary, undefined],
    [ownerKey(hub), 'iothubowner'],
  ] as const) {
    const device = raw(t, hub, 'dev1', key, keyName);
    assert.equal(await device.connack, 0, keyName ?? 'device key');
    await eventually(async () => (await connectionState(hub, 'dev1')).connectionState === 'Connected', 'Connected');
    device.client.end(true);
    await device.closed;
    await eventually(async () => (await connectionState(hub, 'dev1')).connectionState === 'Disconnected', 'Disconnected');
  }
  const after = await connectionState(hub, 'dev1');
  assert.ok(after.lastActivityTime && after.lastActivityTime > '2000', `lastActivityTime ${after.lastActivityTime}`);

  const wrong = raw(t, hub, 'dev1', Buffer.alloc(32, 7).toString('base64'));
  assert.equal(await wrong.connack, 5);
  const unknown = raw(t, hub, 'nobody', created.primaryKey);
  assert.equal(await unknown.connack, 5);
  assert.ok(hub.logs.some((line) => /refused "nobody" \(CONNACK 5\): device "nobody" is not registered/.test(line)));
});

test('the SDK device of the hub answers methods through the service SDK; a duplicate connection keeps it Connected', { timeout: 30_000 }, async (t) => {
  const hub = await startTestHub(t);
  const created = await hub.createDevice('dup');
  const device = await openSdkDevice(t, created.connectionString, hub.caPem);
  device.onDeviceMethod('rebootDevice', (request, response) => response.send(200, { got: request.payload }, () => {}));
  await waitFor(() => hub.logs.some((line) => line === 'mqtt: dup subscribed to $iothub/methods/POST/#'), 5000, 'method subscription');
  const { result } = await hub.serviceClient.invokeDeviceMethod('dup', { methodName: 'rebootDevice', payload: { a: 1 }, responseTimeoutInSeconds: 5 });
  assert.deepEqual(result, { status: 200, payload: { got: { a: 1 } } });

  await device.close();
  await eventually(async () => (await connectionState(hub, 'dup')).connectionState === 'Disconnected', 'Disconnected');
  const first = raw(t, hub, 'dup', created.primaryKey);
  assert.equal(await first.connack, 0);
  const second = raw(t, hub, 'dup', created.primaryKey);
  assert.equal(await second.connack, 0);
  await first.closed;
  await waitFor(() => hub.logs.filter((line) => line.startsWith('mqtt: dup disconnected')).length >= 2, 5000, 'first dropped');
  assert.equal((await connectionState(hub, 'dup')).connectionState, 'Connected');
  assert.equal(second.client.connected, true);
});

test('a reconnect that restores a persistent session is not method-ready until it subscribes again (404103 through REST)', { timeout: 30_000 }, async (t) => {
  const hub = await startTestHub(t);
  const created = await hub.createDevice('sticky');
  const first = raw(t, hub, 'sticky', created.primaryKey, undefined, false);
  assert.equal(await first.connack, 0);
  await first.client.subscribeAsync('$iothub/methods/POST/#');
  first.client.end(true);
  await first.closed;

  const second = raw(t, hub, 'sticky', created.primaryKey, undefined, false);
  assert.equal(await second.connack, 0);
  const error = await hub.serviceClient
    .invokeDeviceMethod('sticky', { methodName: 'rebootDevice', payload: null, responseTimeoutInSeconds: 5 })
    .then(() => undefined, (e: Error & { responseBody?: string }) => e);
  assert.ok(error, 'the call must fail');
  const inner = JSON.parse(JSON.parse(error.responseBody ?? '{}').Message ?? '{}') as { errorCode?: number };
  assert.equal(inner.errorCode, 404103);

  second.client.on('message', (topic, payload) => {
    const rid = /\$rid=(.+)$/.exec(topic)?.[1];
    second.client.publish(`$iothub/methods/res/200/?$rid=${rid}`, payload);
  });
  await second.client.subscribeAsync('$iothub/methods/POST/#');
  const { result } = await hub.serviceClient.invokeDeviceMethod('sticky', { methodName: 'rebootDevice', payload: { n: 2 }, responseTimeoutInSeconds: 5 });
  assert.deepEqual(result, { status: 200, payload: { n: 2 } });
});

test('deleting a connected device drops its connection and refuses it afterwards', { timeout: 30_000 }, async (t) => {
  const hub = await startTestHub(t);
  const created = await hub.createDevice('gone');
  const device = raw(t, hub, 'gone', created.primaryKey);
  assert.equal(await device.connack, 0);
  await hub.registry.delete('gone');
  await device.closed;
  const again = raw(t, hub, 'gone', created.primaryKey);
  assert.equal(await again.connack, 5);
});
