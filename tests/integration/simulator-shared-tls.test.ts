/**
 * Simulated devices share one TLS secure context per CA list (lib/simulator/shared-tls.ts): sharing must not
 * change whom a device trusts. Two real local hubs with different CAs, real device SDK.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualDevice, type VirtualDeviceOptions } from '../../lib/simulator/virtual-device';
import { startTestHub, type TestHub } from '../helpers/local-hub';

function deviceOptions(hub: TestHub, deviceId: string, connectionString: string, ca: string): VirtualDeviceOptions {
  return {
    deviceId,
    connectionString,
    endpoint: `${hub.hostName}:${hub.mqttPort}`,
    localHub: true,
    ca,
    methodName: 'rebootDevice',
    rebootSeconds: 1,
    answerAfterReboot: false,
  };
}

/** Starts the device; 'started', or the problem code of its DeviceStartError and the SDK's error message. */
async function start(t: { after(fn: () => unknown): void }, options: VirtualDeviceOptions): Promise<string> {
  const device = new VirtualDevice(options, () => {});
  t.after(() => device.stop());
  try {
    await device.start();
  } catch (err) {
    const { problem, cause } = err as { problem?: { code?: string }; cause?: unknown };
    return `${problem?.code ?? 'no problem code'}: ${cause instanceof Error ? cause.message : String(err)}`;
  }
  return 'started';
}

test('devices with the same CA list all connect; a list without the hub CA is still refused', async (t) => {
  const hubA = await startTestHub(t);
  const hubB = await startTestHub(t);
  assert.notEqual(hubA.caPem, hubB.caPem);

  for (const id of ['shared-a-1', 'shared-a-2', 'shared-a-3']) {
    const { connectionString } = await hubA.createDevice(id);
    assert.equal(await start(t, deviceOptions(hubA, id, connectionString, hubA.caPem)), 'started', id);
  }
  // hub B's certificate is not signed by hub A's CA: the cached context for hub A's list must not let it through.
  // (Both CAs have the same name, so OpenSSL reports a signature failure, which the SDK calls UnauthorizedError.)
  const { connectionString: b1 } = await hubB.createDevice('shared-b-1');
  assert.match(await start(t, deviceOptions(hubB, 'shared-b-1', b1, hubA.caPem)), /certificate/);
  assert.ok(!hubB.logs.some((line) => line.includes('shared-b-1 connected')), 'shared-b-1 never reached MQTT CONNECT');
  const { connectionString: b2 } = await hubB.createDevice('shared-b-2');
  assert.equal(await start(t, deviceOptions(hubB, 'shared-b-2', b2, hubB.caPem)), 'started');
});
