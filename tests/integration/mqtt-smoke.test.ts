import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isHubError } from '../../lib/local-hub/errors';
import { openSdkDevice, startTestEndpoint, waitFor } from '../helpers/mqtt-endpoint';

test('a real SDK device connects, answers a direct method and reads its twin', async (t) => {
  const hub = await startTestEndpoint(t);
  hub.directory.addDevice('dev1');
  const device = await openSdkDevice(t, hub.connectionString('dev1'), hub.ca);
  device.onDeviceMethod('rebootDevice', (request, response) => {
    response.send(200, { echoed: request.payload }, () => {});
  });
  await waitFor(() => hub.endpoint.connection('dev1').state === 'Connected', 5000, 'connected');
  const result = await hub.endpoint.invokeMethod('dev1', {
    methodName: 'rebootDevice',
    payload: { delay: 1 },
    responseTimeoutInSeconds: 5,
    connectTimeoutInSeconds: 5,
  });
  assert.ok(!isHubError(result), String(result));
  assert.deepEqual(result, { status: 200, payload: { echoed: { delay: 1 } } });
  const twin = await device.getTwin();
  assert.equal(twin.properties.reported.$version, 1);
});
