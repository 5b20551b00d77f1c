import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hubErrorCodeOf, hubGoneDuringCall, mapHubError } from '../../lib/hub/errors';
import { DashboardError } from '../../lib/dashboard/errors';

function sdkError(name: string, status: number | null, responseBody?: string, message = 'x'): Error {
  const err = Object.assign(new Error(message), { responseBody, response: status === null ? undefined : { statusCode: status } });
  err.name = name;
  return err;
}

const offlineBody = JSON.stringify({
  Message: JSON.stringify({ errorCode: 404103, trackingId: 't', message: 'Timed out waiting for device to connect.', info: { timeout: '00:00:00' } }),
  ExceptionMessage: '',
});
const timeoutBody = JSON.stringify({ Message: JSON.stringify({ errorCode: 504101, message: 'Timed out waiting for the response from device.', info: {} }), ExceptionMessage: '' });

test('the numeric code nested as a JSON string in Message is found (wire §2.4)', () => {
  assert.deepEqual(hubErrorCodeOf(offlineBody), { numeric: 404103, name: null });
  assert.deepEqual(hubErrorCodeOf('{"Message":"ErrorCode:DeviceNotFound;dev1","ExceptionMessage":""}'), { numeric: null, name: 'DeviceNotFound' });
  assert.deepEqual(hubErrorCodeOf('not json'), { numeric: null, name: null });
  assert.deepEqual(hubErrorCodeOf(undefined), { numeric: null, name: null });
});

test('a plain "Not found" with a 404103 body is DEVICE_OFFLINE', () => {
  const mapped = mapHubError(sdkError('Error', 404, offlineBody, 'Not found'), { deviceId: 'dev1' });
  assert.equal(mapped.code, 'DEVICE_OFFLINE');
  assert.match(mapped.message, /offline/);
  assert.match(mapped.message, /dev1/);
});

test('the classic DeviceNotOnline body is DEVICE_OFFLINE too', () => {
  const body = '{"Message":"ErrorCode:DeviceNotOnline;Timed out waiting for device to connect.","ExceptionMessage":""}';
  assert.equal(mapHubError(sdkError('Error', 404, body), {}).code, 'DEVICE_OFFLINE');
});

test('504101 / GatewayTimeoutError is DEVICE_TIMEOUT naming the seconds', () => {
  const mapped = mapHubError(sdkError('GatewayTimeoutError', 504, timeoutBody), { deviceId: 'd', responseTimeoutS: 7, methodName: 'rebootDevice' });
  assert.equal(mapped.code, 'DEVICE_TIMEOUT');
  assert.match(mapped.message, /did not answer within 7 seconds/);
});

test('a 504101 long before the response timeout says the hub ended the call, not that the device took too long', () => {
  const context = { deviceId: 'd', responseTimeoutS: 120, methodName: 'rebootDevice', hub: { kind: 'local' as const, hostName: 'h' } };
  const early = mapHubError(sdkError('GatewayTimeoutError', 504, timeoutBody), { ...context, elapsedMs: 250 });
  assert.equal(early.code, 'DEVICE_TIMEOUT');
  assert.match(early.message, /The IoT hub at h ended the "rebootDevice" call after 0\.3 seconds, before "d" answered/);
  assert.doesNotMatch(early.message, /did not answer within/);
  assert.match(early.hint ?? '', /stopped or restarted/);
  for (const elapsedMs of [119_500, 121_000, undefined]) {
    const late = mapHubError(sdkError('GatewayTimeoutError', 504, timeoutBody), { ...context, elapsedMs });
    assert.match(late.message, /did not answer within 120 seconds/, `after ${elapsedMs} ms`);
  }
  const gone = hubGoneDuringCall({ ...context, elapsedMs: 12_400 });
  assert.equal(gone.code, 'HUB_UNREACHABLE');
  assert.match(gone.message, /The IoT hub at h stopped during the "rebootDevice" call to "d": it ended the call after 12 seconds/);
});

test('DeviceNotFoundError is DEVICE_NOT_FOUND', () => {
  const body = '{"Message":"ErrorCode:DeviceNotFound;nope","ExceptionMessage":""}';
  assert.equal(mapHubError(sdkError('DeviceNotFoundError', 404, body), { deviceId: 'nope' }).code, 'DEVICE_NOT_FOUND');
});

test('socket errors are HUB_UNREACHABLE', () => {
  for (const code of ['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT']) {
    const err = Object.assign(new Error(`connect ${code} 127.0.0.1:1`), { code });
    assert.equal(mapHubError(err, { hub: { kind: 'local', hostName: '127.0.0.1' } }).code, 'HUB_UNREACHABLE', code);
  }
  assert.equal(mapHubError(new Error('socket hang up')).code, 'HUB_UNREACHABLE');
});

test('401 is HUB_UNAUTHORIZED with a hint about the key or policy', () => {
  const mapped = mapHubError(sdkError('UnauthorizedError', 401, '{"Message":"ErrorCode:IotHubUnauthorizedAccess;Unauthorized"}'));
  assert.equal(mapped.code, 'HUB_UNAUTHORIZED');
  assert.match(mapped.hint ?? '', /SharedAccessKey|policy/);
});

test('TLS trust failures are HUB_CERT_UNTRUSTED with a NODE_EXTRA_CA_CERTS hint', () => {
  const cases: Array<[string | undefined, string]> = [
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unable to verify the first certificate'],
    ['SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in certificate chain'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames"],
    [undefined, 'unable to verify the first certificate'],
  ];
  for (const [code, message] of cases) {
    const mapped = mapHubError(Object.assign(new Error(message), code ? { code } : {}));
    assert.equal(mapped.code, 'HUB_CERT_UNTRUSTED', message);
    assert.match(mapped.hint ?? '', /NODE_EXTRA_CA_CERTS/);
  }
});

test('a DashboardError passes through unchanged and unknown errors become INTERNAL', () => {
  const original = new DashboardError('CONFIG_INVALID', 'bad');
  assert.equal(mapHubError(original), original);
  assert.equal(mapHubError(new Error('weird')).code, 'INTERNAL');
  assert.equal(mapHubError('a string').code, 'INTERNAL');
});
