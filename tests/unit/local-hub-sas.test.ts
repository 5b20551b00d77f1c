import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SharedAccessSignature } from 'azure-iot-common/dist/shared_access_signature';
import {
  createDeviceToken,
  createServiceToken,
  parseSasToken,
  sign,
  strictEncode,
  verifyDeviceToken,
  verifyServiceToken,
} from '../../lib/local-hub/sas';

const KEY = Buffer.alloc(32, 7).toString('base64');
const OTHER = Buffer.alloc(32, 9).toString('base64');
const NOW = 1_800_000_000;
const policies = (name: string) => (name === 'iothubowner' ? [OTHER, KEY] : undefined);

test('a service token made by azure-iot-common verifies against the policy key', () => {
  const token = SharedAccessSignature.create('hub.local', 'iothubowner', KEY, NOW + 3600).extend(NOW + 3600);
  const check = verifyServiceToken(token, 'hub.local', policies, NOW);
  assert.equal(check.ok, true);
});

test('a device token made by azure-iot-common verifies: the HMAC covers the encoded sr', () => {
  const sr = strictEncode('127.0.0.1/devices/dev(1)');
  const token = SharedAccessSignature.create(sr, undefined as unknown as string, KEY, NOW + 60).extend(NOW + 60);
  const check = verifyDeviceToken(token, '127.0.0.1', 'dev(1)', () => [KEY], NOW);
  assert.deepEqual(check.ok, true);
  assert.equal(createDeviceToken('127.0.0.1', 'dev(1)', KEY, NOW + 60), token);
});

test('created service tokens have the SDK field order sr, sig, skn, se', () => {
  const token = createServiceToken('hub.local', 'service', KEY, NOW);
  assert.match(token, /^SharedAccessSignature sr=hub\.local&sig=[^&]+&skn=service&se=1800000000$/);
  const parsed = parseSasToken(token);
  assert.ok(!(parsed instanceof Error));
  assert.equal(parsed.signature, sign(KEY, 'hub.local', NOW));
});

test('service tokens are refused for the wrong key, host, policy, expiry or shape', () => {
  const reason = (header: string | undefined) => {
    const check = verifyServiceToken(header, 'hub.local', policies, NOW);
    assert.equal(check.ok, false);
    return (check as { reason: string }).reason;
  };
  assert.match(reason(createServiceToken('hub.local', 'iothubowner', Buffer.alloc(32, 1).toString('base64'), NOW + 60)), /signature/);
  assert.match(reason(createServiceToken('other.host', 'iothubowner', KEY, NOW + 60)), /not this hub/);
  assert.match(reason(createServiceToken('hub.local', 'nobody', KEY, NOW + 60)), /no shared access policy "nobody"/);
  assert.match(reason(createServiceToken('hub.local', 'iothubowner', KEY, NOW - 1)), /expired/);
  assert.match(reason(undefined), /no Authorization/);
  assert.match(reason('Bearer abc'), /SharedAccessSignature/);
  assert.match(reason('SharedAccessSignature sr=hub.local&se=1'), /no sig/);
  assert.match(reason('SharedAccessSignature sr=hub.local&sig=a&se=soon'), /whole number/);
});

test('host names compare case-insensitively, device ids do not', () => {
  assert.equal(verifyServiceToken(createServiceToken('HUB.local', 'iothubowner', KEY, NOW + 60), 'hub.LOCAL', policies, NOW).ok, true);
  const token = createDeviceToken('hub.local', 'Dev1', KEY, NOW + 60);
  assert.equal(verifyDeviceToken(token, 'HUB.LOCAL', 'Dev1', () => [KEY], NOW).ok, true);
  assert.equal(verifyDeviceToken(token, 'hub.local', 'dev1', () => [KEY], NOW).ok, false);
});

test('device tokens signed with a policy key name the policy in skn', () => {
  const token = createDeviceToken('hub.local', 'dev1', KEY, NOW + 60, 'device');
  const seen: Array<string | undefined> = [];
  const check = verifyDeviceToken(token, 'hub.local', 'dev1', (name) => (seen.push(name), [KEY]), NOW);
  assert.equal(check.ok, true);
  assert.deepEqual(seen, ['device']);
});

test('strictEncode escapes what encodeURIComponent leaves', () => {
  assert.equal(strictEncode("a/b!'()*"), 'a%2Fb%21%27%28%29%2A');
});
