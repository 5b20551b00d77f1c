/**
 * Direct-method round trips through the local hub with the official SDKs on both ends: azure-iothub's Client
 * invokes, azure-iot-device (MQTT) devices answer at once.
 */
import { Client as DeviceClient } from 'azure-iot-device';
import { Mqtt } from 'azure-iot-device-mqtt';
import type { Client as ServiceClient } from 'azure-iothub';
import { createRegistry, createServiceClient } from '../../lib/hub/transport';
import type { LocalHub } from '../../lib/local-hub';

export const BENCH_METHOD = 'rebootDevice';

export interface HubMethodBench {
  deviceIds: string[];
  call(deviceId: string): Promise<void>;
  close(): Promise<void>;
}

function open(client: DeviceClient): Promise<void> {
  return new Promise((resolve, reject) => client.open((err) => (err ? reject(err) : resolve())));
}

/** Registers `count` devices, connects each with the device SDK and waits until each is ready for methods. */
export async function startHubMethodBench(hub: LocalHub, count: number, onProgress: (done: number) => void): Promise<HubMethodBench> {
  const endpoint = { httpsPort: hub.httpsPort, ca: hub.caPem };
  const registry = createRegistry(hub.serviceConnectionString, endpoint);
  const service: ServiceClient = createServiceClient(hub.serviceConnectionString, endpoint);
  const deviceIds = Array.from({ length: count }, (_, i) => `bench-${String(i + 1).padStart(3, '0')}`);
  const devices: DeviceClient[] = [];

  for (const deviceId of deviceIds) {
    const { responseBody } = await registry.create({ deviceId });
    const key = responseBody.authentication?.symmetricKey?.primaryKey as string;
    const device = DeviceClient.fromConnectionString(hub.deviceConnectionString(deviceId, key), Mqtt);
    await device.setOptions({ ca: hub.caPem });
    await open(device);
    device.onDeviceMethod(BENCH_METHOD, (_request, response) => {
      response.send(200, { ok: true }, () => undefined);
    });
    devices.push(device);
    onProgress(devices.length);
  }

  const call = async (deviceId: string) => {
    const { result } = await service.invokeDeviceMethod(deviceId, { methodName: BENCH_METHOD, payload: null, responseTimeoutInSeconds: 30 });
    if ((result as { status?: number }).status !== 200) throw new Error(`unexpected method status ${JSON.stringify(result)}`);
  };

  // onDeviceMethod subscribes lazily; a device counts as ready only once the hub saw that SUBSCRIBE (wire §1.6),
  // so retry the first call per device until it is answered.
  for (const deviceId of deviceIds) {
    for (let attempt = 0; ; attempt++) {
      try {
        await call(deviceId);
        break;
      } catch (err) {
        if (attempt >= 50) throw err;
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  }

  return {
    deviceIds,
    call,
    async close() {
      await Promise.all(devices.map((d) => new Promise<void>((resolve) => d.close(() => resolve()))));
    },
  };
}
