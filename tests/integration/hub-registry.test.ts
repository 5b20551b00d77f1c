/** Identity registry over HTTPS through the real azure-iothub Registry (wire §2.3, §2.4). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hubRequest, startTestHub } from '../helpers/local-hub';

async function rejection(promise: Promise<unknown>): Promise<Error & { response?: { statusCode?: number }; responseBody?: string }> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  assert.fail('expected the call to fail');
}

test('Registry.create generates both keys when none are given and get returns the same identity', async (t) => {
  const hub = await startTestHub(t);
  const { responseBody: created } = await hub.registry.create({ deviceId: 'dev-1' });
  const keys = created.authentication?.symmetricKey;
  assert.ok(keys?.primaryKey && keys.secondaryKey && keys.primaryKey !== keys.secondaryKey);
  assert.equal(Buffer.from(keys.primaryKey, 'base64').length, 32);
  assert.equal(created.status, 'enabled');
  assert.equal(created.connectionState, 'Disconnected');
  const { responseBody: read } = await hub.registry.get('dev-1');
  assert.equal(read.deviceId, 'dev-1');
  assert.equal(read.etag, created.etag);
  assert.equal(read.authentication?.symmetricKey?.primaryKey, keys.primaryKey);
});

test('Registry.create keeps keys the caller supplies', async (t) => {
  const hub = await startTestHub(t);
  const primaryKey = Buffer.alloc(32, 1).toString('base64');
  const secondaryKey = Buffer.alloc(32, 2).toString('base64');
  const { responseBody } = await hub.registry.create({ deviceId: 'k', authentication: { symmetricKey: { primaryKey, secondaryKey } } });
  assert.deepEqual(responseBody.authentication?.symmetricKey, { primaryKey, secondaryKey });
});

test('creating an existing device is 409 DeviceAlreadyExistsError; a missing one is DeviceNotFoundError', async (t) => {
  const hub = await startTestHub(t);
  await hub.createDevice('dup');
  const conflict = await rejection(hub.registry.create({ deviceId: 'dup' }));
  assert.equal(conflict.name, 'DeviceAlreadyExistsError');
  assert.equal(conflict.response?.statusCode, 409);
  assert.equal((await rejection(hub.registry.get('nobody'))).name, 'DeviceNotFoundError');
  assert.equal((await rejection(hub.registry.delete('nobody'))).name, 'DeviceNotFoundError');
  assert.equal((await rejection(hub.registry.getTwin('nobody'))).name, 'DeviceNotFoundError');
});

test('update changes status with If-Match "*", a stale etag is 412, delete removes the device', async (t) => {
  const hub = await startTestHub(t);
  const { responseBody: created } = await hub.registry.create({ deviceId: 'u' });
  const { responseBody: updated } = await hub.registry.update({ deviceId: 'u', status: 'disabled' });
  assert.equal(updated.status, 'disabled');
  assert.notEqual(updated.etag, created.etag);
  assert.equal(updated.authentication?.symmetricKey?.primaryKey, created.authentication?.symmetricKey?.primaryKey);

  const stale = await hubRequest(hub, 'PUT', '/devices/u', { body: { deviceId: 'u', status: 'enabled' }, headers: { 'If-Match': `"${created.etag}"` } });
  assert.equal(stale.status, 412);
  assert.match((stale.json as { Message: string }).Message, /^ErrorCode:PreconditionFailed;/);
  const staleDelete = await hubRequest(hub, 'DELETE', '/devices/u', { headers: { 'If-Match': `"${created.etag}"` } });
  assert.equal(staleDelete.status, 412);

  await hub.registry.delete('u');
  assert.equal((await rejection(hub.registry.get('u'))).name, 'DeviceNotFoundError');
});

test('Registry.list returns every device in creation order; statistics count them', async (t) => {
  const hub = await startTestHub(t);
  for (const id of ['c', 'a', 'b']) await hub.createDevice(id);
  const { responseBody } = await hub.registry.list();
  assert.deepEqual(responseBody.map((d) => d.deviceId), ['c', 'a', 'b']);
  const withoutSlash = await hubRequest(hub, 'GET', '/devices');
  assert.equal((withoutSlash.json as unknown[]).length, 3);
  const stats = await hubRequest(hub, 'GET', '/statistics/devices');
  assert.deepEqual(stats.json, { totalDeviceCount: 3, enabledDeviceCount: 3, disabledDeviceCount: 0 });
});

test('bulk add, update and remove through addDevices / updateDevices / removeDevices', async (t) => {
  const hub = await startTestHub(t);
  const ids = Array.from({ length: 5 }, (_, i) => `bulk-${i}`);
  const added = await hub.registry.addDevices(ids.map((deviceId) => ({ deviceId })));
  assert.deepEqual(added.responseBody, { isSuccessful: true, errors: [], warnings: [] });
  const again = await hub.registry.addDevices([{ deviceId: 'bulk-0' }, { deviceId: 'bulk-new' }]);
  assert.equal(again.responseBody.isSuccessful, false);
  assert.deepEqual(again.responseBody.errors.map((e) => [e.deviceId, e.errorCode]), [['bulk-0', 'DeviceAlreadyExists']]);
  const updated = await hub.registry.updateDevices([{ deviceId: 'bulk-1', status: 'disabled' }], true);
  assert.equal(updated.responseBody.isSuccessful, true);
  assert.equal((await hub.registry.get('bulk-1')).responseBody.status, 'disabled');
  const removed = await hub.registry.removeDevices(ids.map((deviceId) => ({ deviceId })), true);
  assert.equal(removed.responseBody.isSuccessful, true);
  assert.deepEqual((await hub.registry.list()).responseBody.map((d) => d.deviceId), ['bulk-new']);
});

test('bulk requests outside 1-100 entries or with a device twice are 400', async (t) => {
  const hub = await startTestHub(t);
  const empty = await hubRequest(hub, 'POST', '/devices', { body: [] });
  assert.equal(empty.status, 400);
  const many = await hubRequest(hub, 'POST', '/devices', { body: Array.from({ length: 101 }, (_, i) => ({ id: `d${i}`, importMode: 'create' })) });
  assert.equal(many.status, 400);
  const twice = await hubRequest(hub, 'POST', '/devices', { body: [{ id: 'x', importMode: 'create' }, { id: 'x', importMode: 'create' }] });
  assert.equal(twice.status, 400);
  assert.match((twice.json as { Message: string }).Message, /^ErrorCode:DeviceDefinedMultipleTimes;/);
  assert.deepEqual((await hub.registry.list()).responseBody, []);
});

test('a device with an x509 authentication type or a malformed key is refused with 400', async (t) => {
  const hub = await startTestHub(t);
  const x509 = await hubRequest(hub, 'PUT', '/devices/x', { body: { deviceId: 'x', authentication: { type: 'selfSigned' } } });
  assert.equal(x509.status, 400);
  assert.match(x509.text, /not supported/);
  const badKey = await hubRequest(hub, 'PUT', '/devices/x', { body: { deviceId: 'x', authentication: { symmetricKey: { primaryKey: 'short' } } } });
  assert.equal(badKey.status, 400);
  const mismatch = await hubRequest(hub, 'PUT', '/devices/x', { body: { deviceId: 'y' } });
  assert.equal(mismatch.status, 400);
});
