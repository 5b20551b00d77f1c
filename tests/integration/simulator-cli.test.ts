/**
 * scripts/simulate-device.ts as a user runs it: a child process against a real local hub, observed through its
 * output lines and through the hub with the real service SDK.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestHub, type TestHub } from '../helpers/local-hub';
import { mark, startSimulator } from '../helpers/simulator-process';

const TIMEOUT_MS = 20000;

function hubFile(hub: TestHub): string {
  return join(hub.dataDir, 'hub.json');
}

interface TwinView {
  connectionState?: string;
  properties?: { reported?: { rebootTime?: unknown } };
}

async function twinOf(hub: TestHub, deviceId: string): Promise<TwinView> {
  return (await hub.registry.getTwin(deviceId)).responseBody as TwinView;
}

async function waitForState(hub: TestHub, deviceId: string, state: 'Connected' | 'Disconnected'): Promise<void> {
  const deadline = Date.now() + TIMEOUT_MS;
  while ((await twinOf(hub, deviceId)).connectionState !== state) {
    if (Date.now() > deadline) throw new Error(`${deviceId} did not become ${state} within ${TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function rebootTimeOf(hub: TestHub, deviceId: string): Promise<string> {
  const value = (await twinOf(hub, deviceId)).properties?.reported?.rebootTime;
  assert.equal(typeof value, 'string', `${deviceId} has a reported rebootTime`);
  return value as string;
}

async function invoke(hub: TestHub, deviceId: string, methodName: string): Promise<{ status: number; payload: unknown }> {
  const { result } = await hub.serviceClient.invokeDeviceMethod(deviceId, { methodName, payload: null, responseTimeoutInSeconds: 20 });
  return result as { status: number; payload: unknown };
}

/** The first word of each of a device's lines ("<time> <device id> <what happened>"). */
function eventsOf(lines: string[], deviceId: string): string[] {
  return lines.map((line) => line.split(' ')).filter((words) => words[1] === deviceId).map((words) => words[2] ?? '');
}

function tempDir(t: { after(fn: () => unknown): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'twinboard-sim-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('--count registers the missing devices, connects them and reports their boot time', async (t) => {
  const hub = await startTestHub(t);
  await hub.createDevice('fleet-1');
  const sim = startSimulator(t, ['--count', '3', '--prefix', 'fleet-', '--hub-file', hubFile(hub)]);
  await sim.waitForLine(/simulator devices ready: 2 created, 1 already registered/);
  await sim.waitForLine(/all 3 devices are connected/);
  for (const id of ['fleet-1', 'fleet-2', 'fleet-3']) {
    assert.equal((await twinOf(hub, id)).connectionState, 'Connected', `${id} is Connected`);
    await rebootTimeOf(hub, id);
    assert.match(sim.output(), new RegExp(`^\\S+Z ${id} connected$`, 'm'));
    assert.match(sim.output(), new RegExp(`^\\S+Z ${id} reported rebootTime=\\S+Z$`, 'm'));
  }
});

test('rebootDevice: 200 with JSON, the device goes offline, comes back and reports a later rebootTime', async (t) => {
  const hub = await startTestHub(t);
  const sim = startSimulator(t, ['--count', '1', '--hub-file', hubFile(hub), '--reboot-seconds', '1']);
  await sim.waitForLine(/all 1 devices are connected|the device is connected/);
  const firstBoot = await rebootTimeOf(hub, 'sim-device-1');
  const from = mark(sim);

  const answer = await invoke(hub, 'sim-device-1', 'rebootDevice');
  assert.equal(answer.status, 200);
  assert.equal(typeof answer.payload, 'object');
  assert.equal((answer.payload as { message?: unknown }).message, 'Rebooting');

  await sim.waitForLine(/sim-device-1 offline/, { from });
  await waitForState(hub, 'sim-device-1', 'Disconnected');
  await sim.waitForLine(/sim-device-1 reported rebootTime=/, { from });
  await waitForState(hub, 'sim-device-1', 'Connected');
  const secondBoot = await rebootTimeOf(hub, 'sim-device-1');
  assert.ok(secondBoot > firstBoot, `rebootTime ${secondBoot} is later than ${firstBoot}`);

  assert.deepEqual(eventsOf(sim.lines.slice(from), 'sim-device-1'), ['reboot', 'answered', 'offline', 'back', 'reported']);
});

test('--answer-after-reboot answers on the new connection after reporting the new rebootTime', async (t) => {
  const hub = await startTestHub(t);
  const sim = startSimulator(t, ['--hub-file', hubFile(hub), '--reboot-seconds', '1', '--answer-after-reboot']);
  await sim.waitForLine(/the device is connected/);
  const firstBoot = await rebootTimeOf(hub, 'sim-device-1');
  const from = mark(sim);

  const answer = await invoke(hub, 'sim-device-1', 'rebootDevice');
  assert.equal(answer.status, 200);
  const reported = await rebootTimeOf(hub, 'sim-device-1');
  assert.ok(reported > firstBoot, 'the new rebootTime is in the twin when the answer arrives');
  assert.equal((answer.payload as { rebootTime?: unknown }).rebootTime, reported);
  await sim.waitForLine(/sim-device-1 answered/, { from });
  assert.deepEqual(eventsOf(sim.lines.slice(from), 'sim-device-1'), ['reboot', 'offline', 'back', 'reported', 'answered']);
});

test('an unknown method gets 404 with a JSON message; --method renames the reboot method', async (t) => {
  const hub = await startTestHub(t);
  const sim = startSimulator(t, ['--hub-file', hubFile(hub), '--method', 'reboot', '--reboot-seconds', '0']);
  await sim.waitForLine(/the device is connected/);
  assert.deepEqual(await invoke(hub, 'sim-device-1', 'rebootDevice'), {
    status: 404,
    payload: { message: "Unknown method 'rebootDevice'" },
  });
  const from = mark(sim);
  assert.equal((await invoke(hub, 'sim-device-1', 'reboot')).status, 200);
  await sim.waitForLine(/sim-device-1 reported/, { from });
});

test('SIGTERM closes every device and exits 0', async (t) => {
  const hub = await startTestHub(t);
  const sim = startSimulator(t, ['--count', '2', '--hub-file', hubFile(hub)]);
  await sim.waitForLine(/all 2 devices are connected/);
  sim.child.kill('SIGTERM');
  assert.equal(await sim.exited, 0, sim.output());
  assert.match(sim.output(), /simulator stopped/);
  await waitForState(hub, 'sim-device-1', 'Disconnected');
  await waitForState(hub, 'sim-device-2', 'Disconnected');
});

test('--connection-string runs one device on a hub port given by GatewayHostName, trusting --ca or NODE_EXTRA_CA_CERTS', async (t) => {
  const hub = await startTestHub(t);
  const { connectionString } = await hub.createDevice('single-1');
  const viaFlag = startSimulator(t, ['--connection-string', connectionString, '--ca', hub.caFile]);
  await viaFlag.waitForLine(/single-1 reported rebootTime=/);
  viaFlag.child.kill('SIGINT');
  assert.equal(await viaFlag.exited, 0, viaFlag.output());

  const viaEnv = startSimulator(t, ['--connection-string', connectionString], { NODE_EXTRA_CA_CERTS: hub.caFile });
  await viaEnv.waitForLine(/single-1 reported rebootTime=/);
  viaEnv.child.kill('SIGINT');
  assert.equal(await viaEnv.exited, 0, viaEnv.output());
});

test('usage errors exit 2 with a message', async (t) => {
  const cases: Array<[string[], RegExp]> = [
    [['--bogus'], /Unknown option '--bogus'/],
    [['--count', '0'], /--count must be a whole number from 1 to 10000/],
    [['--count', 'many'], /--count must be a whole number/],
    [['--count', '2', '--connection-string', 'HostName=h;DeviceId=d;SharedAccessKey=YWJj'], /one or the other/],
    [['--reboot-seconds=-1'], /--reboot-seconds must be a whole number from 0/],
    [['--reboot-seconds', '-1'], /argument is ambiguous/],
    [['--method', 'a/b'], /--method "a\/b" is not a usable method name/],
    [['--connection-string', 'HostName=h;SharedAccessKeyName=iothubowner;SharedAccessKey=YWJj'], /service \(hub policy\) connection string/],
    [['--connection-string', 'nonsense'], /connection string is malformed/],
    [['stray'], /Unexpected argument|positional/i],
  ];
  for (const [args, message] of cases) {
    const sim = startSimulator(t, args);
    assert.equal(await sim.exited, 2, `${args.join(' ')}: ${sim.output()}`);
    assert.match(sim.stderr.join('\n'), message, args.join(' '));
    assert.match(sim.stderr.join('\n'), /--help/);
  }
});

test('--help explains the options with examples and exits 0', async (t) => {
  const sim = startSimulator(t, ['--help']);
  assert.equal(await sim.exited, 0);
  const text = sim.stdout.join('\n');
  for (const flag of ['--count', '--prefix', '--hub-file', '--connection-string', '--ca', '--method', '--reboot-seconds', '--answer-after-reboot', '--quiet', 'Examples:']) {
    assert.ok(text.includes(flag), `--help mentions ${flag}`);
  }
});

test('a missing hub file says to start the hub first and exits 1', async (t) => {
  const dir = tempDir(t);
  const sim = startSimulator(t, ['--hub-file', join(dir, 'hub.json')]);
  assert.equal(await sim.exited, 1, sim.output());
  assert.match(sim.stderr.join('\n'), /start the hub first/);
});

test('a hub that is not running is reported as unreachable, exit 1', async (t) => {
  const hub = await startTestHub(t);
  const dir = tempDir(t);
  // hub.json of a hub that has stopped: the file stays, nothing listens.
  const file = join(dir, 'hub.json');
  writeFileSync(file, JSON.stringify({
    hostName: hub.hostName,
    mqttPort: hub.mqttPort,
    httpsPort: hub.httpsPort,
    caFile: hub.caFile,
    serviceConnectionString: hub.serviceConnectionString,
  }));
  await hub.close();
  const sim = startSimulator(t, ['--hub-file', file]);
  assert.equal(await sim.exited, 1, sim.output());
  assert.match(sim.stderr.join('\n'), /is the hub running\? start it with npm run hub/);
});

test('a wrong key is reported as not authorized, exit 1', async (t) => {
  const hub = await startTestHub(t);
  await hub.createDevice('wrong-1');
  const cs = hub.deviceConnectionString('wrong-1', Buffer.alloc(32, 7).toString('base64'));
  const sim = startSimulator(t, ['--connection-string', cs, '--ca', hub.caFile]);
  assert.equal(await sim.exited, 1, sim.output());
  assert.match(sim.stderr.join('\n'), /not authorized/);
});

test("an untrusted hub CA says to trust it with --ca or NODE_EXTRA_CA_CERTS, exit 1", async (t) => {
  const hub = await startTestHub(t);
  const { connectionString } = await hub.createDevice('untrusted-1');
  const sim = startSimulator(t, ['--connection-string', connectionString]);
  assert.equal(await sim.exited, 1, sim.output());
  assert.match(sim.stderr.join('\n'), /trust the hub's CA with --ca <file> or NODE_EXTRA_CA_CERTS/);
});

test('a second simulator with the same --prefix refuses to start instead of fighting over the ids', async (t) => {
  const hub = await startTestHub(t);
  const first = startSimulator(t, ['--count', '2', '--hub-file', hubFile(hub)]);
  await first.waitForLine(/all 2 devices are connected/);
  const second = startSimulator(t, ['--count', '2', '--hub-file', hubFile(hub)]);
  assert.equal(await second.exited, 1, second.output());
  assert.match(second.stderr.join('\n'), /2 of these devices are already connected .*another simulator running with the same --prefix/);
  assert.doesNotMatch(first.output(), /connection lost/);
});

test('a device whose id another client takes over keeps it; the newcomer stops and exits 1', async (t) => {
  const hub = await startTestHub(t);
  const fleet = startSimulator(t, ['--count', '1', '--prefix', 'taken-', '--hub-file', hubFile(hub)]);
  await fleet.waitForLine(/the device is connected/);
  const { responseBody } = await hub.registry.get('taken-1');
  const key = responseBody.authentication?.symmetricKey?.primaryKey ?? '';
  const intruder = startSimulator(t, ['--connection-string', hub.deviceConnectionString('taken-1', key), '--ca', hub.caFile]);
  assert.equal(await intruder.exited, 1, intruder.output());
  assert.match(intruder.stderr.join('\n'), /DUPLICATE_CONNECTION/);
  await waitForState(hub, 'taken-1', 'Connected');
  assert.doesNotMatch(fleet.output(), /DUPLICATE_CONNECTION/);
});

test('--quiet prints fleet lines but no line per device event', async (t) => {
  const hub = await startTestHub(t);
  const sim = startSimulator(t, ['--count', '3', '--quiet', '--hub-file', hubFile(hub), '--reboot-seconds', '0']);
  await sim.waitForLine(/all 3 devices are connected/);
  const firstBoot = await rebootTimeOf(hub, 'sim-device-2');
  assert.equal((await invoke(hub, 'sim-device-2', 'rebootDevice')).status, 200);
  const deadline = Date.now() + TIMEOUT_MS;
  while ((await rebootTimeOf(hub, 'sim-device-2')) === firstBoot) {
    if (Date.now() > deadline) assert.fail('sim-device-2 did not report a new rebootTime');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  sim.child.kill('SIGINT');
  assert.equal(await sim.exited, 0, sim.output());
  assert.deepEqual(sim.lines.filter((line) => line.split(' ')[1] !== 'simulator'), []);
});
