/**
 * Direct methods through the composed hub: the service Client over HTTPS, a real azure-iot-device client over
 * MQTT, and the error shapes of wire §2.4 for what goes wrong.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Client as DeviceClient } from 'azure-iot-device';
import { openSdkDevice } from '../helpers/mqtt-endpoint';
import { hubRequest, startTestHub, type TestHub } from '../helpers/local-hub';

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function reportedUpdate(client: DeviceClient, patch: Record<string, unknown>): Promise<void> {
  return client.getTwin().then(
    (twin) => new Promise<void>((done, fail) => twin.properties.reported.update(patch, (err?: Error) => (err ? fail(err) : done()))),
  );
}

async function twinJson(hub: TestHub, deviceId: string) {
  const { responseBody } = await hub.registry.getTwin(deviceId);
  return JSON.parse(JSON.stringify(responseBody));
}

test('rebootDevice end to end: the device answers, the service gets the answer, rebootTime reaches the twin', async (t) => {
  const hub = await startTestHub(t);
  const device = await hub.createDevice('dev-1');
  const client = await openSdkDevice(t, device.connectionString, hub.caPem);
  let rebootTime = '';
  client.onDeviceMethod('rebootDevice', (request, response) => {
    rebootTime = new Date().toISOString();
    response.send(200, { rebooting: true, echo: request.payload }, () => {
      void reportedUpdate(client, { rebootTime });
    });
  });

  const { result } = await hub.serviceClient.invokeDeviceMethod('dev-1', {
    methodName: 'rebootDevice',
    payload: { delay: 0 },
    responseTimeoutInSeconds: 10,
    // The handler's subscription is made asynchronously; wait for it instead of racing it.
    connectTimeoutInSeconds: 10,
  });
  assert.deepEqual(result, { status: 200, payload: { rebooting: true, echo: { delay: 0 } } });

  const twin = await waitFor('rebootTime in the twin', async () => {
    const json = await twinJson(hub, 'dev-1');
    return json.properties.reported.rebootTime === rebootTime ? json : undefined;
  });
  assert.equal(twin.connectionState, 'Connected');
  assert.ok(twin.properties.reported.$metadata.rebootTime.$lastUpdated);
  assert.equal(typeof twin.properties.reported.$version, 'number');
});

test('a desired change made through the Registry is pushed to the connected device with its $version', async (t) => {
  const hub = await startTestHub(t);
  const device = await hub.createDevice('dev-1');
  const client = await openSdkDevice(t, device.connectionString, hub.caPem);
  const twin = await client.getTwin();
  const deltas: Array<Record<string, unknown>> = [];
  twin.on('properties.desired', (delta: Record<string, unknown>) => deltas.push(delta));
  // The listener's subscription is asynchronous; keep patching until a push arrives.
  let n = 0;
  const delta = await waitFor('a desired push', async () => {
    n++;
    await hub.registry.updateTwin('dev-1', { properties: { desired: { window: `0${n}:00` } } }, '*');
    await new Promise((r) => setTimeout(r, 100));
    return deltas.find((d) => d.window !== undefined);
  });
  assert.equal(typeof delta.$version, 'number');
  const stored = await twinJson(hub, 'dev-1');
  assert.ok((delta.$version as number) <= stored.properties.desired.$version);
});

test('an offline device gives 404103: Error "Not found", statusCode 404, the inner JSON body, not retried', async (t) => {
  const hub = await startTestHub(t);
  await hub.createDevice('offline');
  const err = await hub.serviceClient
    .invokeDeviceMethod('offline', { methodName: 'rebootDevice', payload: null, responseTimeoutInSeconds: 5 })
    .then(() => assert.fail('expected 404103'), (e: Error & { response?: { statusCode: number; headers: Record<string, string> }; responseBody?: string }) => e);
  assert.equal(err.message, 'Not found');
  assert.equal(err.response?.statusCode, 404);
  assert.equal(err.response?.headers['iothub-errorcode'], 'DeviceNotOnline');
  const outer = JSON.parse(err.responseBody as string);
  const inner = JSON.parse(outer.Message);
  assert.equal(inner.errorCode, 404103);
  assert.equal(inner.info.timeout, '00:00:00');
  assert.equal(outer.ExceptionMessage, '');
  // The SDK retries 429/5xx on this route; a 404 must reach the hub exactly once.
  assert.equal(hub.logs.filter((line) => line.includes('method rebootDevice on offline')).length, 1);
});

test('a device that never answers gives 504101 GatewayTimeoutError after responseTimeoutInSeconds', async (t) => {
  const hub = await startTestHub(t);
  const device = await hub.createDevice('silent');
  const client = await openSdkDevice(t, device.connectionString, hub.caPem);
  client.onDeviceMethod('rebootDevice', () => {});
  const err = await hub.serviceClient
    .invokeDeviceMethod('silent', { methodName: 'rebootDevice', responseTimeoutInSeconds: 5, connectTimeoutInSeconds: 10 })
    .then(() => assert.fail('expected 504101'), (e: Error & { responseBody?: string; response?: { statusCode: number } }) => e);
  assert.equal(err.name, 'GatewayTimeoutError');
  assert.equal(err.response?.statusCode, 504);
  assert.equal(JSON.parse(JSON.parse(err.responseBody as string).Message).errorCode, 504101);
});

test('methods on unknown or disabled devices are DeviceNotFoundError', async (t) => {
  const hub = await startTestHub(t);
  await hub.registry.create({ deviceId: 'off', status: 'disabled' });
  for (const id of ['nobody', 'off']) {
    await assert.rejects(
      hub.serviceClient.invokeDeviceMethod(id, { methodName: 'rebootDevice' }),
      (err: Error) => err.name === 'DeviceNotFoundError',
    );
  }
});

test('method parameters are validated with a 400 that names the field; unknown keys are tolerated', async (t) => {
  const hub = await startTestHub(t);
  await hub.createDevice('dev-1');
  const cases: Array<[unknown, RegExp]> = [
    [{ methodName: 'reboot', responseTimeoutInSeconds: 4 }, /responseTimeoutInSeconds.*5 to 300/],
    [{ methodName: 'reboot', responseTimeoutInSeconds: 301 }, /responseTimeoutInSeconds/],
    [{ methodName: 'reboot', responseTimeoutInSeconds: '30' }, /responseTimeoutInSeconds/],
    [{ methodName: 'reboot', connectTimeoutInSeconds: -1 }, /connectTimeoutInSeconds.*0 to 300/],
    [{ methodName: 'reboot', connectTimeoutInSeconds: 301 }, /connectTimeoutInSeconds/],
    [{ payload: 1 }, /methodName is required/],
    [{ methodName: 'a/b' }, /methodName/],
    [[1, 2], /JSON object/],
  ];
  for (const [body, pattern] of cases) {
    const res = await hubRequest(hub, 'POST', '/twins/dev-1/methods', { body });
    assert.equal(res.status, 400, JSON.stringify(body));
    assert.match((res.json as { Message: string }).Message, /^ErrorCode:Argument/);
    assert.match(res.text, pattern);
  }
  const big = await hubRequest(hub, 'POST', '/twins/dev-1/methods', { body: { methodName: 'reboot', payload: 'x'.repeat(128 * 1024) } });
  assert.equal(big.status, 413);
  // The Node tutorial's timeoutInSeconds is an unknown key: ignored, so the call reaches the (offline) device.
  const tutorial = await hubRequest(hub, 'POST', '/twins/dev-1/methods', { body: { methodName: 'reboot', payload: null, timeoutInSeconds: 30 } });
  assert.equal(tutorial.status, 404);
  assert.equal(tutorial.headers['iothub-errorcode'], 'DeviceNotOnline');
});

test('disabling a connected device drops its connection and keeps it out', async (t) => {
  const hub = await startTestHub(t);
  const device = await hub.createDevice('dev-1');
  await openSdkDevice(t, device.connectionString, hub.caPem);
  assert.equal((await twinJson(hub, 'dev-1')).connectionState, 'Connected');
  await hub.registry.update({ deviceId: 'dev-1', status: 'disabled' });
  await waitFor('the device to be disconnected', async () =>
    (await twinJson(hub, 'dev-1')).connectionState === 'Disconnected' ? true : undefined,
  );
});
