import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDeviceConnect } from '../../lib/local-hub/mqtt/authenticate';
import { createDeviceToken, strictEncode, sign } from '../../lib/local-hub/sas';
import { MemoryDirectory } from '../helpers/mqtt-memory-directory';

const HOST = 'hub.local';
const NOW = 1_800_000_000;
const USER = (id: string): string => `${HOST}/${id}/?api-version=2021-04-12&DeviceClientType=test`;

function setup(): { directory: MemoryDirectory; key: string; secondary: string } {
  const directory = new MemoryDirectory();
  const identity = directory.addDevice('dev1');
  directory.addDevice('off', 'disabled');
  return { directory, key: identity.primaryKey, secondary: identity.secondaryKey };
}

test('a token signed with the primary or the secondary key is accepted', () => {
  const { directory, key, secondary } = setup();
  for (const k of [key, secondary]) {
    const verdict = checkDeviceConnect(
      { clientId: 'dev1', username: USER('dev1'), password: Buffer.from(createDeviceToken(HOST, 'dev1', k, NOW + 60)) },
      HOST,
      directory,
      NOW,
    );
    assert.deepEqual(verdict, { ok: true, deviceId: 'dev1', expiresAt: NOW + 60 });
  }
});

test('the host compares case-insensitively in the username and the sr', () => {
  const { directory, key } = setup();
  const verdict = checkDeviceConnect(
    { clientId: 'dev1', username: 'HUB.LOCAL/dev1/?api-version=2021-04-12', password: createDeviceToken('HUB.LOCAL', 'dev1', key, NOW + 60) },
    HOST,
    directory,
    NOW,
  );
  assert.equal(verdict.ok, true);
});

test('a policy key works only when the policy grants DeviceConnect', () => {
  const { directory } = setup();
  const device = directory.addPolicy('device', ['DeviceConnect']);
  const service = directory.addPolicy('service', ['ServiceConnect']);
  const ok = checkDeviceConnect(
    { clientId: 'dev1', username: USER('dev1'), password: createDeviceToken(HOST, 'dev1', device.primaryKey, NOW + 60, 'device') },
    HOST,
    directory,
    NOW,
  );
  assert.equal(ok.ok, true);
  const refused = checkDeviceConnect(
    { clientId: 'dev1', username: USER('dev1'), password: createDeviceToken(HOST, 'dev1', service.primaryKey, NOW + 60, 'service') },
    HOST,
    directory,
    NOW,
  );
  assert.equal(refused.ok, false);
  assert.equal(!refused.ok && refused.returnCode, 5);
  assert.match(!refused.ok ? refused.reason : '', /DeviceConnect/);
});

function refusal(verdict: ReturnType<typeof checkDeviceConnect>): { returnCode: number; reason: string } {
  assert.equal(verdict.ok, false);
  return verdict as { returnCode: number; reason: string };
}

test('wrong key, expired token, wrong sr, unknown and disabled devices are not authorized (5)', () => {
  const { directory, key } = setup();
  const cases: Array<[string, string, string, RegExp]> = [
    ['dev1', createDeviceToken(HOST, 'dev1', Buffer.alloc(32, 1).toString('base64'), NOW + 60), 'wrong key', /signature/],
    ['dev1', createDeviceToken(HOST, 'dev1', key, NOW + 60, 'nosuchpolicy'), 'unknown policy', /nosuchpolicy/],
    ['dev1', createDeviceToken(HOST, 'dev1', key, NOW - 1), 'expired', /expired/],
    ['dev1', createDeviceToken(HOST, 'dev2', key, NOW + 60), 'sr for another device', /dev2/],
    ['dev1', createDeviceToken('other.hub', 'dev1', key, NOW + 60), 'sr for another hub', /other\.hub/],
    ['ghost', createDeviceToken(HOST, 'ghost', key, NOW + 60), 'unknown device', /not registered/],
    ['off', createDeviceToken(HOST, 'off', key, NOW + 60), 'disabled device', /disabled/],
  ];
  for (const [clientId, password, label, reason] of cases) {
    const r = refusal(checkDeviceConnect({ clientId, username: USER(clientId), password }, HOST, directory, NOW));
    assert.equal(r.returnCode, 5, label);
    assert.match(r.reason, reason, label);
  }
});

test('the signature covers the sr exactly as written in the token', () => {
  const { directory, key } = setup();
  const rawSr = `${HOST}/devices/dev1`;
  const sig = strictEncode(sign(key, strictEncode(rawSr), NOW + 60));
  const token = `SharedAccessSignature sr=${rawSr}&sig=${sig}&se=${NOW + 60}`;
  const r = refusal(checkDeviceConnect({ clientId: 'dev1', username: USER('dev1'), password: token }, HOST, directory, NOW));
  assert.equal(r.returnCode, 5);
});

test('malformed usernames and passwords are bad credentials (4)', () => {
  const { directory, key } = setup();
  const token = createDeviceToken(HOST, 'dev1', key, NOW + 60);
  const cases: Array<[string | undefined, string | undefined, string]> = [
    [undefined, token, 'no username'],
    ['dev1', token, 'username without host'],
    [`${HOST}/dev2/?api-version=2021-04-12`, token, 'username for another device'],
    [`${HOST}/dev1/`, token, 'username without api-version'],
    [USER('dev1'), undefined, 'no password'],
    [USER('dev1'), 'not a token', 'password not a token'],
    [USER('dev1'), `SharedAccessSignature sr=${HOST}&se=1`, 'token without sig'],
  ];
  for (const [username, password, label] of cases) {
    const r = refusal(checkDeviceConnect({ clientId: 'dev1', username, password }, HOST, directory, NOW));
    assert.equal(r.returnCode, 4, label);
  }
});

test('module identities and empty client ids are refused', () => {
  const { directory, key } = setup();
  const token = createDeviceToken(HOST, 'dev1', key, NOW + 60);
  assert.equal(refusal(checkDeviceConnect({ clientId: 'dev1/mod', username: USER('dev1/mod'), password: token }, HOST, directory, NOW)).returnCode, 5);
  assert.equal(refusal(checkDeviceConnect({ clientId: '', username: USER(''), password: token }, HOST, directory, NOW)).returnCode, 4);
});
