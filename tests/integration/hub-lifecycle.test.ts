/** createLocalHub's contract: hub.json, connection strings, idempotent close that answers what is pending. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deviceToken, deviceUsername, rawDevice } from '../helpers/mqtt-endpoint';
import { startTestHub } from '../helpers/local-hub';

test('hub.json names the bound ports, the CA file and the owner connection string', async (t) => {
  const hub = await startTestHub(t);
  const file = JSON.parse(readFileSync(join(hub.dataDir, 'hub.json'), 'utf8'));
  assert.deepEqual(file, {
    hostName: '127.0.0.1',
    mqttPort: hub.mqttPort,
    httpsPort: hub.httpsPort,
    caFile: hub.caFile,
    serviceConnectionString: hub.serviceConnectionString,
  });
  assert.equal(hub.listen, '127.0.0.1');
  assert.equal(
    hub.deviceConnectionString('d1', 'a2V5'),
    `HostName=127.0.0.1;DeviceId=d1;SharedAccessKey=a2V5;GatewayHostName=127.0.0.1:${hub.mqttPort}`,
  );
});

test('keys and devices persist across restarts on the same data dir', async (t) => {
  const first = await startTestHub(t);
  const device = await first.createDevice('keep-me');
  await first.close();
  const second = await startTestHub(t, { dataDir: first.dataDir });
  assert.equal(second.serviceConnectionString, first.serviceConnectionString);
  const { responseBody } = await second.registry.get('keep-me');
  assert.equal(responseBody.authentication?.symmetricKey?.primaryKey, device.primaryKey);
});

test('close answers a pending method call with 504101 and can be called twice', async (t) => {
  const hub = await startTestHub(t);
  const { primaryKey } = await hub.createDevice('slow');
  // A raw MQTT device: the SDK's device client keeps retrying (and its timers alive) after its hub is gone.
  const device = rawDevice(t, hub.mqttPort, hub.caPem, {
    clientId: 'slow',
    username: deviceUsername('slow'),
    password: deviceToken('slow', primaryKey),
    clean: false,
  });
  assert.equal(await device.connack, 0);
  await new Promise<void>((done, fail) =>
    device.client.subscribe('$iothub/methods/POST/#', { qos: 0 }, (err) => (err ? fail(err) : done())),
  );
  const methodArrived = new Promise<void>((done) => device.client.once('message', () => done()));
  const call = hub.serviceClient.invokeDeviceMethod('slow', { methodName: 'rebootDevice', responseTimeoutInSeconds: 60, connectTimeoutInSeconds: 10 });
  const outcome = call.then(() => 'answered', (err: Error) => err.name);
  await methodArrived;
  await Promise.all([hub.close(), hub.close()]);
  assert.equal(await outcome, 'GatewayTimeoutError');
});
