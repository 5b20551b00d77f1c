import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveOptions, type SimulatorArgs } from '../../lib/simulator/options';
import { fleetDeviceIds } from '../../lib/simulator/device-ids';

function ok(args: SimulatorArgs) {
  const result = resolveOptions(args);
  if (!result.ok) assert.fail(result.message);
  return result.options;
}

function error(args: SimulatorArgs): string {
  const result = resolveOptions(args);
  if (result.ok) assert.fail(`accepted ${JSON.stringify(args)}`);
  return result.message;
}

test('no flags run one device, sim-device-1, on the local hub with the tutorial defaults', () => {
  assert.deepEqual(ok({}), {
    target: { kind: 'hub-file', hubFile: '.local-hub/hub.json', deviceIds: ['sim-device-1'] },
    methodName: 'rebootDevice',
    rebootSeconds: 10,
    answerAfterReboot: false,
    concurrency: 100,
    quiet: false,
  });
});

test('--count and --prefix name the devices <prefix>1..<prefix>N without padding', () => {
  const options = ok({ count: '12', prefix: 'dev-' });
  assert.equal(options.target.kind, 'hub-file');
  if (options.target.kind !== 'hub-file') return;
  assert.equal(options.target.deviceIds.length, 12);
  assert.equal(options.target.deviceIds[0], 'dev-1');
  assert.equal(options.target.deviceIds[11], 'dev-12');
});

test('--connection-string runs one device and excludes the fleet flags', () => {
  const options = ok({ 'connection-string': 'HostName=h;DeviceId=d;SharedAccessKey=YWJj', ca: 'ca.pem', 'reboot-seconds': '0' });
  assert.deepEqual(options.target, { kind: 'connection-string', connectionString: 'HostName=h;DeviceId=d;SharedAccessKey=YWJj' });
  assert.equal(options.caFile, 'ca.pem');
  assert.equal(options.rebootSeconds, 0);
  for (const flag of ['count', 'prefix', 'hub-file', 'concurrency'] as const) {
    assert.match(error({ 'connection-string': 'x', [flag]: '1' }), new RegExp(`--${flag} applies to a fleet`));
  }
});

test('numbers out of range or not whole are refused with the allowed range', () => {
  assert.match(error({ count: '0' }), /--count must be a whole number from 1 to 10000 \(got "0"\)/);
  assert.match(error({ count: '10001' }), /from 1 to 10000/);
  assert.match(error({ count: '2.5' }), /whole number/);
  assert.match(error({ count: '' }), /whole number/);
  assert.match(error({ 'reboot-seconds': '3601' }), /--reboot-seconds must be a whole number from 0 to 3600/);
  assert.match(error({ concurrency: '0' }), /--concurrency/);
});

test('method names must fit in one MQTT topic segment', () => {
  assert.equal(ok({ method: 'reboot' }).methodName, 'reboot');
  for (const bad of ['a/b', 'a+b', 'a#', 'has space', '']) {
    assert.match(error({ method: bad }), /not a usable method name/, bad);
  }
});

test('a prefix that cannot make IoT Hub device ids is refused', () => {
  assert.match(error({ prefix: 'bad prefix ' }), /does not make valid device ids/);
  assert.match(error({ prefix: 'x'.repeat(128) }), /does not make valid device ids/);
  const ids = fleetDeviceIds('p', 3);
  assert.deepEqual(ids, ['p1', 'p2', 'p3']);
});
