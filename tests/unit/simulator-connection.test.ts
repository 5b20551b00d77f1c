import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDeviceConnectionString, deviceConnectionString } from '../../lib/simulator/connection-string';
import { explainConnectionError } from '../../lib/simulator/connection-errors';

const KEY = Buffer.alloc(32, 3).toString('base64');

test('a local-hub device connection string carries GatewayHostName only off port 8883', () => {
  assert.equal(deviceConnectionString('localhost', 8883, 'd1', KEY), `HostName=localhost;DeviceId=d1;SharedAccessKey=${KEY}`);
  assert.equal(
    deviceConnectionString('localhost', 18883, 'd1', KEY),
    `HostName=localhost;DeviceId=d1;SharedAccessKey=${KEY};GatewayHostName=localhost:18883`,
  );
});

test('a valid device connection string gives the device id and where it dials', () => {
  assert.deepEqual(checkDeviceConnectionString(`HostName=hub.azure-devices.net;DeviceId=d1;SharedAccessKey=${KEY}`), {
    hostName: 'hub.azure-devices.net',
    endpoint: 'hub.azure-devices.net',
    deviceId: 'd1',
  });
  assert.deepEqual(checkDeviceConnectionString(deviceConnectionString('127.0.0.1', 4000, 'd2', KEY)), {
    hostName: '127.0.0.1',
    endpoint: '127.0.0.1:4000',
    deviceId: 'd2',
  });
});

test('malformed connection strings are values with a code and a message naming the problem', () => {
  const cases: Array<[string, RegExp]> = [
    ['', /empty/],
    ['nonsense', /not a Key=Value pair/],
    [`HostName=h;SharedAccessKeyName=iothubowner;SharedAccessKey=${KEY}`, /service \(hub policy\) connection string/],
    [`HostName=h;SharedAccessKey=${KEY}`, /DeviceId/],
    [`DeviceId=d;SharedAccessKey=${KEY}`, /HostName/],
    ['HostName=h;DeviceId=d', /SharedAccessKey/],
    ['HostName=h;DeviceId=d;SharedAccessKey=not base64!', /not base64/],
    ['HostName=h;DeviceId=d;x509=true', /x509/],
    [`HostName=h;DeviceId=d;SharedAccessKey=${KEY};GatewayHostName=h:70000`, /out of range/],
  ];
  for (const [value, message] of cases) {
    const result = checkDeviceConnectionString(value);
    assert.ok('code' in result, `accepted ${value}`);
    assert.equal(result.code, 'CONNECTION_STRING_MALFORMED');
    assert.match(result.message, message, value);
  }
});

function sdkError(name: string, message: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { name }, extra);
}

test('connection failures are explained with what to do', () => {
  const refused = explainConnectionError(sdkError('NotConnectedError', 'connect ECONNREFUSED 127.0.0.1:8883'), 'localhost:8883', true);
  assert.equal(refused.code, 'HUB_UNREACHABLE');
  assert.match(refused.message, /is the hub running\? start it with npm run hub/);
  assert.doesNotMatch(explainConnectionError(new Error('connect ECONNREFUSED'), 'x:1', false).message, /npm run hub/);

  // wire §1.1: an untrusted CA arrives as UnauthorizedError "Not authorized".
  const untrusted = explainConnectionError(
    sdkError('UnauthorizedError', 'mqtt.js returned Failure on first connection (Not authorized): unable to verify the first certificate error'),
    'localhost:8883',
    true,
  );
  assert.equal(untrusted.code, 'CA_NOT_TRUSTED');
  assert.match(untrusted.message, /--ca <file> or NODE_EXTRA_CA_CERTS/);
  assert.equal(explainConnectionError(new Error('self-signed certificate in certificate chain'), 'h', false).code, 'CA_NOT_TRUSTED');

  const refusedKey = explainConnectionError(
    sdkError('UnauthorizedError', 'mqtt.js returned Failure on first connection (Not authorized): Connection refused: Not authorized'),
    'localhost:8883',
    true,
  );
  assert.equal(refusedKey.code, 'NOT_AUTHORIZED');
  assert.match(refusedKey.message, /not authorized/);

  assert.equal(explainConnectionError(new Error('getaddrinfo ENOTFOUND nohost'), 'nohost', false).code, 'HOST_NOT_FOUND');
  assert.equal(
    explainConnectionError(Object.assign(new Error('Hostname/IP does not match certificate\'s altnames'), { code: 'ERR_TLS_CERT_ALTNAME_INVALID' }), 'h', false).code,
    'CERT_HOST_MISMATCH',
  );
  assert.equal(explainConnectionError(sdkError('DeviceNotFoundError', 'Not found'), 'h', false).code, 'DEVICE_NOT_FOUND');
  const other = explainConnectionError('boom', 'h:1', false);
  assert.equal(other.code, 'UNKNOWN');
  assert.match(other.message, /boom/);
});

test('a cause or transport error inside the SDK error is looked at too', () => {
  const wrapped = sdkError('NotConnectedError', 'Failure', { transportError: new Error('connect ECONNREFUSED 127.0.0.1:1') });
  assert.equal(explainConnectionError(wrapped, 'h:1', true).code, 'HUB_UNREACHABLE');
});
