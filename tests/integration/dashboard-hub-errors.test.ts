/**
 * lib/hub against a real local hub and real devices: twins come back as plain values, and every way a call can
 * fail arrives as the stable code the dashboard shows.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { test } from 'node:test';
import type { HubTarget } from '../../lib/config';
import { azureTarget } from '../../lib/config/hub-target';
import { DashboardError } from '../../lib/dashboard/errors';
import { buildHubClients, type HubClients } from '../../lib/hub/clients';
import { invokeMethod } from '../../lib/hub/methods';
import { readTwin, queryTwins } from '../../lib/hub/twins';
import { startHubWithDevices, startRebootingDevice, startSilentDevice } from '../helpers/dashboard-server';
import { startTestHub, type TestHub } from '../helpers/local-hub';

function localClients(hub: TestHub, change: Partial<HubTarget> = {}): HubClients {
  return buildHubClients({
    kind: 'local',
    hostName: hub.hostName,
    connectionString: hub.serviceConnectionString,
    endpoint: { httpsPort: hub.httpsPort, ca: hub.caPem },
    key: 'test',
    ...change,
  });
}

const CALL = { methodName: 'rebootDevice', responseTimeoutInSeconds: 5, connectTimeoutInSeconds: 0 };

async function codeOf(promise: Promise<unknown>): Promise<DashboardError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof DashboardError, `a DashboardError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the call to fail');
}

test('twins are listed with one query and read by id, as plain values', async (t) => {
  const { hub, devices } = await startHubWithDevices(t);
  await startRebootingDevice(devices, hub, 'online-1');
  await hub.createDevice('never-connected');
  const clients = localClients(hub);
  const twins = await queryTwins(clients);
  assert.deepEqual(twins.map((tw) => tw.deviceId), ['never-connected', 'online-1']);
  const online = twins.find((tw) => tw.deviceId === 'online-1');
  assert.equal(online?.connectionState, 'Connected');
  assert.equal(typeof online?.reported.rebootTime, 'string');
  assert.equal(twins[0]?.connectionState, 'Disconnected');
  const one = await readTwin('online-1', clients);
  assert.equal(one.deviceId, 'online-1');
  assert.equal(Object.getPrototypeOf(one.raw), Object.prototype, 'a plain object, not the SDK Twin');
  assert.equal('_registry' in one.raw, false);
});

test('a registered device that is not connected → DEVICE_OFFLINE', async (t) => {
  const hub = await startTestHub(t);
  await hub.createDevice('sleeper');
  const err = await codeOf(invokeMethod('sleeper', CALL, localClients(hub)));
  assert.equal(err.code, 'DEVICE_OFFLINE');
  assert.match(err.message, /offline/);
});

test('a connected device that never answers → DEVICE_TIMEOUT naming the seconds', async (t) => {
  const { hub, devices } = await startHubWithDevices(t);
  const silent = await startSilentDevice(devices, hub, 'mute');
  const err = await codeOf(invokeMethod('mute', CALL, localClients(hub)));
  assert.equal(err.code, 'DEVICE_TIMEOUT');
  assert.match(err.message, /did not answer within 5 seconds/);
  assert.deepEqual(silent.requests, ['rebootDevice'], 'the request reached the device exactly once');
});

test('an unknown device → DEVICE_NOT_FOUND, for twin reads and method calls', async (t) => {
  const hub = await startTestHub(t);
  const clients = localClients(hub);
  assert.equal((await codeOf(readTwin('ghost', clients))).code, 'DEVICE_NOT_FOUND');
  assert.equal((await codeOf(invokeMethod('ghost', CALL, clients))).code, 'DEVICE_NOT_FOUND');
});

test('a closed port → HUB_UNREACHABLE', async (t) => {
  const hub = await startTestHub(t);
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  const clients = localClients(hub, { endpoint: { httpsPort: port, ca: hub.caPem } });
  const err = await codeOf(queryTwins(clients));
  assert.equal(err.code, 'HUB_UNREACHABLE');
  assert.equal((await codeOf(invokeMethod('x', CALL, clients))).code, 'HUB_UNREACHABLE');
});

test('a wrong key → HUB_UNAUTHORIZED', async (t) => {
  const hub = await startTestHub(t);
  const wrongKey = hub.serviceConnectionString.replace(/SharedAccessKey=[^;]+/, `SharedAccessKey=${Buffer.from('not the key at all').toString('base64')}`);
  const err = await codeOf(queryTwins(localClients(hub, { connectionString: wrongKey })));
  assert.equal(err.code, 'HUB_UNAUTHORIZED');
  assert.match(err.hint ?? '', /key|policy/i);
});

test('a hub whose CA is not trusted → HUB_CERT_UNTRUSTED with the NODE_EXTRA_CA_CERTS hint', async (t) => {
  const hub = await startTestHub(t);
  const err = await codeOf(queryTwins(localClients(hub, { endpoint: { httpsPort: hub.httpsPort } })));
  assert.equal(err.code, 'HUB_CERT_UNTRUSTED');
  assert.match(err.hint ?? '', /NODE_EXTRA_CA_CERTS/);
});

test('a malformed connection string → CONFIG_INVALID before anything is sent', () => {
  assert.throws(() => azureTarget('HostName=myhub.azure-devices.net;SharedAccessKeyName=iothubowner'), (err: unknown) => err instanceof DashboardError && err.code === 'CONFIG_INVALID');
  assert.throws(
    () => buildHubClients({ kind: 'azure', hostName: 'h', connectionString: 'HostName=h', endpoint: {}, key: 'k' }),
    (err: unknown) => err instanceof DashboardError && err.code === 'CONFIG_INVALID',
  );
});
