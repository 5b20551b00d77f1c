import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client as DeviceClient } from 'azure-iot-device';
import { Mqtt as DeviceMqtt } from 'azure-iot-device-mqtt';
import {
  deviceToken,
  deviceUsername,
  HOST,
  newKey,
  openSdkDevice,
  rawDevice,
  startTestEndpoint,
  waitFor,
} from '../helpers/mqtt-endpoint';

const HOUR = (): number => Math.floor(Date.now() / 1000) + 3600;

test('the real SDK connects with its device key and is refused with a wrong one', { timeout: 30_000 }, async (t) => {
  const hub = await startTestEndpoint(t);
  hub.addDevice('good');
  await openSdkDevice(t, hub.connectionString('good'), hub.ca);
  await waitFor(() => hub.endpoint.connection('good').state === 'Connected', 5000, 'good connected');

  const wrong = DeviceClient.fromConnectionString(hub.connectionString('good', newKey()), DeviceMqtt);
  t.after(() => wrong.close().catch(() => {}));
  await wrong.setOptions({ ca: hub.ca });
  await assert.rejects(wrong.open(), (error: Error) => error.name === 'UnauthorizedError');
  assert.ok(hub.logs.some((line) => /refused "good" \(CONNACK 5\): the signature does not match/.test(line)), hub.logs.join('\n'));
});

test('primary, secondary and DeviceConnect policy keys are accepted over raw MQTT', { timeout: 30_000 }, async (t) => {
  const hub = await startTestEndpoint(t);
  const identity = hub.addDevice('d1');
  const policy = hub.policy('device');
  for (const [key, keyName] of [
    [identity.primaryKey, undefined],
    [identity.secondaryKey, undefined],
    [policy.secondaryKey, 'device'],
  ] as const) {
    const device = rawDevice(t, hub.endpoint.port, hub.ca, {
      clientId: 'd1',
      username: deviceUsername('d1'),
      password: deviceToken('d1', key, HOUR(), keyName),
    });
    assert.equal(await device.connack, 0);
    device.client.end(true);
    await device.closed;
  }
});

test('bad credentials are refused with CONNACK 4 or 5 and a log line saying why', { timeout: 30_000 }, async (t) => {
  const hub = await startTestEndpoint(t);
  const identity = hub.addDevice('d1');
  hub.addDevice('off', 'disabled');
  const service = hub.policy('service');
  const key = identity.primaryKey;
  const now = Math.floor(Date.now() / 1000);
  const cases: Array<{ label: string; clientId: string; username?: string; password?: string; code: number; why: RegExp }> = [
    { label: 'wrong key', clientId: 'd1', password: deviceToken('d1', newKey(), HOUR()), code: 5, why: /signature/ },
    { label: 'expired token', clientId: 'd1', password: deviceToken('d1', key, now - 5), code: 5, why: /expired/ },
    { label: 'wrong sr', clientId: 'd1', password: deviceToken('d2', key, HOUR()), code: 5, why: /devices\/d2/ },
    { label: 'unknown device', clientId: 'ghost', password: deviceToken('ghost', key, HOUR()), code: 5, why: /not registered/ },
    { label: 'disabled device', clientId: 'off', password: deviceToken('off', key, HOUR()), code: 5, why: /disabled/ },
    { label: 'policy without DeviceConnect', clientId: 'd1', password: deviceToken('d1', service.primaryKey, HOUR(), 'service'), code: 5, why: /DeviceConnect/ },
    { label: 'module id', clientId: 'd1/m1', username: `${HOST}/d1/m1/?api-version=2021-04-12`, password: deviceToken('d1', key, HOUR()), code: 5, why: /module/ },
    { label: 'username for another device', clientId: 'd1', username: deviceUsername('d2'), password: deviceToken('d1', key, HOUR()), code: 4, why: /username/ },
    { label: 'no api-version', clientId: 'd1', username: `${HOST}/d1/`, password: deviceToken('d1', key, HOUR()), code: 4, why: /api-version/ },
    { label: 'malformed token', clientId: 'd1', password: 'SharedAccessSignature garbage', code: 4, why: /not a SAS token/ },
  ];
  for (const c of cases) {
    const device = rawDevice(t, hub.endpoint.port, hub.ca, {
      clientId: c.clientId,
      username: c.username ?? deviceUsername(c.clientId),
      ...(c.password !== undefined ? { password: c.password } : {}),
    });
    assert.equal(await device.connack, c.code, c.label);
    await device.closed;
    assert.ok(hub.logs.some((line) => line.includes(`(CONNACK ${c.code})`) && c.why.test(line)), `${c.label}: ${hub.logs.at(-1)}`);
  }
  assert.equal(hub.endpoint.connection('d1').state, 'Disconnected');
});

test('a connection is closed when its token expires', { timeout: 30_000 }, async (t) => {
  const hub = await startTestEndpoint(t);
  const identity = hub.addDevice('short');
  const device = rawDevice(t, hub.endpoint.port, hub.ca, {
    clientId: 'short',
    username: deviceUsername('short'),
    password: deviceToken('short', identity.primaryKey, Math.floor(Date.now() / 1000) + 2),
  });
  assert.equal(await device.connack, 0);
  await device.closed;
  assert.ok(hub.logs.some((line) => /short: SAS token expired/.test(line)));
  assert.equal(hub.endpoint.connection('short').state, 'Disconnected');
});
