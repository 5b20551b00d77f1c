import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isRoutineLogLine } from '../../lib/local-hub/index';
import { parseOptions } from '../../scripts/local-hub';
import { UsageError } from '../../scripts/_shared/cli';

test('defaults: localhost, 8883, 8443, .local-hub', () => {
  assert.deepEqual(parseOptions([]), { hostName: 'localhost', listen: undefined, mqttPort: 8883, httpsPort: 8443, dataDir: '.local-hub', quiet: false });
});

test('every flag is read', () => {
  assert.deepEqual(
    parseOptions(['--host', 'iothub.local', '--listen', '0.0.0.0', '--mqtt-port', '0', '--https-port', '0', '--data-dir', '/tmp/h', '-q']),
    { hostName: 'iothub.local', listen: '0.0.0.0', mqttPort: 0, httpsPort: 0, dataDir: '/tmp/h', quiet: true },
  );
});

test('bad values are usage errors that name the flag', () => {
  for (const [args, flag] of [
    [['--mqtt-port', '-1'], /--mqtt-port/],
    [['--https-port', '1.5'], /--https-port/],
    [['--listen', 'localhost'], /--listen/],
    [['--host', 'a;b'], /--host/],
    [['--data-dir', ''], /--data-dir/],
    [['--mqtt-port', '8443'], /must differ/],
    [['--nope'], /nope/],
  ] as const) {
    assert.throws(() => parseOptions([...args]), (err: Error) => err instanceof UsageError && flag.test(err.message));
  }
});

test('per-topic subscription lines are not printed; connects, disconnects and method calls are', () => {
  assert.equal(isRoutineLogLine('mqtt: dev-1 subscribed to $iothub/methods/POST/#'), true);
  assert.equal(isRoutineLogLine('mqtt: dev-1 connected'), false);
  assert.equal(isRoutineLogLine('mqtt: dev-1 disconnected'), false);
  assert.equal(isRoutineLogLine('https: method rebootDevice on dev-1: device answered 200 in 3 ms'), false);
});
