/**
 * One VirtualDevice (the real device SDK over MQTT/TLS) in this process against a real local hub, driven with the
 * real service SDK: reboot in both orders, unknown methods, a second reboot, stop, bad key, untrusted CA.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualDevice, type DeviceEvent, type VirtualDeviceOptions } from '../../lib/simulator/virtual-device';
import { startTestHub, type TestHub } from '../helpers/local-hub';

const TIMEOUT_MS = 15000;

interface Recorder {
  events: DeviceEvent[];
  /** Resolves with the first event of `type` after position `from` (default: from the start). */
  next<T extends DeviceEvent['type']>(type: T, from?: number): Promise<Extract<DeviceEvent, { type: T }>>;
}

function recorder(): Recorder & { push(event: DeviceEvent): void } {
  const events: DeviceEvent[] = [];
  const waiters: Array<() => void> = [];
  return {
    events,
    push(event) {
      events.push(event);
      for (const wake of waiters.splice(0)) wake();
    },
    next(type, from = 0) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no "${type}" event within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
        const check = (): void => {
          const found = events.slice(from).find((e) => e.type === type);
          if (found) {
            clearTimeout(timer);
            resolve(found as never);
          } else waiters.push(check);
        };
        check();
      });
    },
  };
}

/** Resolves when `predicate` holds, checking every 20 ms; rejects after TIMEOUT_MS. */
async function waitFor(predicate: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + TIMEOUT_MS;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

interface TwinView {
  connectionState?: string;
  properties?: { reported?: { rebootTime?: unknown } };
}

async function twinOf(hub: TestHub, deviceId: string): Promise<TwinView> {
  return (await hub.registry.getTwin(deviceId)).responseBody as TwinView;
}

async function connectionState(hub: TestHub, deviceId: string): Promise<string | undefined> {
  return (await twinOf(hub, deviceId)).connectionState;
}

async function reportedRebootTime(hub: TestHub, deviceId: string): Promise<string> {
  const value = (await twinOf(hub, deviceId)).properties?.reported?.rebootTime;
  assert.equal(typeof value, 'string', 'reported rebootTime is a string');
  return value as string;
}

function deviceOptions(hub: TestHub, deviceId: string, connectionString: string, overrides: Partial<VirtualDeviceOptions>): VirtualDeviceOptions {
  return {
    deviceId,
    connectionString,
    endpoint: `${hub.hostName}:${hub.mqttPort}`,
    localHub: true,
    ca: hub.caPem,
    methodName: 'rebootDevice',
    rebootSeconds: 1,
    answerAfterReboot: false,
    ...overrides,
  };
}

async function startDevice(
  t: { after(fn: () => unknown): void },
  hub: TestHub,
  deviceId: string,
  overrides: Partial<VirtualDeviceOptions> = {},
): Promise<{ device: VirtualDevice; log: ReturnType<typeof recorder> }> {
  const log = recorder();
  let device: VirtualDevice | undefined;
  t.after(() => device?.stop());
  const { connectionString } = await hub.createDevice(deviceId);
  device = new VirtualDevice(deviceOptions(hub, deviceId, connectionString, overrides), (_id, event) => log.push(event));
  await device.start();
  return { device, log };
}

async function invoke(hub: TestHub, deviceId: string, methodName: string, payload: unknown = null): Promise<{ status: number; payload: unknown }> {
  const { result } = await hub.serviceClient.invokeDeviceMethod(deviceId, { methodName, payload, responseTimeoutInSeconds: 20 });
  return result as { status: number; payload: unknown };
}

test('a started device is connected and has reported its boot time as rebootTime', async (t) => {
  const hub = await startTestHub(t);
  const before = new Date().toISOString();
  const { log } = await startDevice(t, hub, 'boot-1');
  assert.equal(await connectionState(hub, 'boot-1'), 'Connected');
  const rebootTime = await reportedRebootTime(hub, 'boot-1');
  assert.ok(rebootTime >= before, `rebootTime ${rebootTime} is before the start ${before}`);
  assert.deepEqual(log.events.map((e) => e.type), ['connected', 'reported']);
});

test('rebootDevice is answered 200 with JSON, then the device goes offline, comes back and reports a later rebootTime', async (t) => {
  const hub = await startTestHub(t);
  const { log } = await startDevice(t, hub, 'reboot-1');
  const firstBoot = await reportedRebootTime(hub, 'reboot-1');

  const answer = await invoke(hub, 'reboot-1', 'rebootDevice', { delay: 1 });
  assert.equal(answer.status, 200);
  assert.equal((answer.payload as { message?: unknown }).message, 'Rebooting');

  await waitFor(async () => (await connectionState(hub, 'reboot-1')) === 'Disconnected', 'the device to go offline');
  await log.next('reported', 2);
  assert.equal(await connectionState(hub, 'reboot-1'), 'Connected');
  const secondBoot = await reportedRebootTime(hub, 'reboot-1');
  assert.ok(secondBoot > firstBoot, `rebootTime ${secondBoot} is not later than ${firstBoot}`);
  assert.deepEqual(
    log.events.map((e) => e.type),
    ['connected', 'reported', 'reboot-requested', 'answered', 'offline', 'back', 'reported'],
  );
});

test('with answerAfterReboot the answer comes after the device is back and has reported', async (t) => {
  const hub = await startTestHub(t);
  const { log } = await startDevice(t, hub, 'late-1', { answerAfterReboot: true });
  const firstBoot = await reportedRebootTime(hub, 'late-1');

  const pending = invoke(hub, 'late-1', 'rebootDevice');
  await waitFor(async () => (await connectionState(hub, 'late-1')) === 'Disconnected', 'the device to go offline');
  const answer = await pending;
  assert.equal(answer.status, 200);
  const reported = await reportedRebootTime(hub, 'late-1');
  assert.ok(reported > firstBoot, 'a new rebootTime is reported before the answer arrives');
  assert.equal((answer.payload as { rebootTime?: unknown }).rebootTime, reported);
  assert.deepEqual(
    log.events.map((e) => e.type),
    ['connected', 'reported', 'reboot-requested', 'offline', 'back', 'reported', 'answered'],
  );
});

test('an unknown method gets a 404 with a JSON message and no reboot', async (t) => {
  const hub = await startTestHub(t);
  const { log } = await startDevice(t, hub, 'unknown-1');
  const answer = await invoke(hub, 'unknown-1', 'selfDestruct');
  assert.equal(answer.status, 404);
  assert.deepEqual(answer.payload, { message: "Unknown method 'selfDestruct'" });
  assert.equal(await connectionState(hub, 'unknown-1'), 'Connected');
  assert.equal(log.events.some((e) => e.type === 'offline'), false);
});

test('a second reboot while one is in progress is answered 409, not a second reboot', async (t) => {
  const hub = await startTestHub(t);
  const { log } = await startDevice(t, hub, 'busy-1', { rebootSeconds: 1 });
  // Both requests leave at once, so the second reaches the device while it is shutting down for the first.
  const answers = await Promise.all([invoke(hub, 'busy-1', 'rebootDevice'), invoke(hub, 'busy-1', 'rebootDevice')]);
  assert.deepEqual(answers.map((a) => a.status).sort(), [200, 409]);
  const busy = answers.find((a) => a.status === 409);
  assert.equal(typeof (busy?.payload as { message?: unknown }).message, 'string');
  await log.next('back');
  assert.equal(log.events.filter((e) => e.type === 'offline').length, 1, 'one reboot only');
});

test('a custom method name reboots; rebootDevice is then unknown', async (t) => {
  const hub = await startTestHub(t);
  const { log } = await startDevice(t, hub, 'custom-1', { methodName: 'reboot', rebootSeconds: 0 });
  assert.equal((await invoke(hub, 'custom-1', 'rebootDevice')).status, 404);
  assert.equal((await invoke(hub, 'custom-1', 'reboot')).status, 200);
  await log.next('back');
});

test('stop closes the connection', async (t) => {
  const hub = await startTestHub(t);
  const { device, log } = await startDevice(t, hub, 'stop-1');
  await device.stop();
  await waitFor(async () => (await connectionState(hub, 'stop-1')) === 'Disconnected', 'the device to disconnect');
  assert.equal(log.events.at(-1)?.type, 'stopped');
});

async function failedStart(t: { after(fn: () => unknown): void }, options: VirtualDeviceOptions): Promise<string> {
  const device = new VirtualDevice(options, () => {});
  t.after(() => device.stop());
  try {
    await device.start();
  } catch (err) {
    return (err as { problem?: { code?: string } }).problem?.code ?? `no problem code on ${String(err)}`;
  }
  return 'started';
}

test('a wrong key fails the start with NOT_AUTHORIZED', async (t) => {
  const hub = await startTestHub(t);
  await hub.createDevice('wrong-key-1');
  const wrongKey = Buffer.alloc(32, 1).toString('base64');
  const cs = hub.deviceConnectionString('wrong-key-1', wrongKey);
  assert.equal(await failedStart(t, deviceOptions(hub, 'wrong-key-1', cs, {})), 'NOT_AUTHORIZED');
});

test('an untrusted hub certificate fails the start with CA_NOT_TRUSTED', async (t) => {
  const hub = await startTestHub(t);
  const { connectionString } = await hub.createDevice('no-ca-1');
  const options = deviceOptions(hub, 'no-ca-1', connectionString, {});
  delete options.ca;
  assert.equal(await failedStart(t, options), 'CA_NOT_TRUSTED');
});

test('a hub that is not listening fails the start with HUB_UNREACHABLE', async (t) => {
  const hub = await startTestHub(t);
  const { connectionString } = await hub.createDevice('down-1');
  await hub.close();
  assert.equal(await failedStart(t, deviceOptions(hub, 'down-1', connectionString, {})), 'HUB_UNREACHABLE');
});

test('a connection the hub drops is reported as lost, and as back once the SDK has reconnected', async (t) => {
  const hub = await startTestHub(t);
  const { log } = await startDevice(t, hub, 'flaky-1');
  const setStatus = async (status: 'enabled' | 'disabled') => {
    const { responseBody } = await hub.registry.get('flaky-1');
    await hub.registry.update({ ...responseBody, status } as never);
  };
  // Disabling drops the connection and refuses reconnects; the SDK keeps retrying (wire §1.6).
  await setStatus('disabled');
  await log.next('connection-lost');
  await setStatus('enabled');
  await log.next('connection-restored');
  await waitFor(async () => (await connectionState(hub, 'flaky-1')) === 'Connected', 'the device to reconnect');
  assert.equal(log.events.some((e) => e.type === 'offline'), false, 'no reboot happened');
  assert.equal((await invoke(hub, 'flaky-1', 'ping')).status, 404, 'methods reach the reconnected device');
});
