import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseServiceConnectionString } from '../../lib/config/connection-string';
import { azureTarget, localTarget, resolveHubTarget } from '../../lib/config/hub-target';
import { parseSettings } from '../../lib/config/settings';
import { DashboardError } from '../../lib/dashboard/errors';

const GOOD = 'HostName=myhub.azure-devices.net;SharedAccessKeyName=iothubowner;SharedAccessKey=c2VjcmV0a2V5MTIzNA==';

function configError(fn: () => unknown): DashboardError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof DashboardError, 'a DashboardError');
    assert.equal(err.code, 'CONFIG_INVALID');
    return err;
  }
  assert.fail('expected a CONFIG_INVALID error');
}

test('defaults apply when nothing is set', () => {
  const settings = parseSettings({}, '/srv/app');
  assert.deepEqual(settings, {
    dataDir: '/srv/app/.data',
    methodName: 'rebootDevice',
    rebootProperty: 'rebootTime',
    pollIntervalMs: 2000,
    methodResponseTimeoutS: 30,
    methodConnectTimeoutS: 0,
    rebootConfirmTimeoutS: 120,
    localHubFile: '/srv/app/.local-hub/hub.json',
    connectionString: null,
  });
});

test('valid values are read, dotted property paths included', () => {
  const settings = parseSettings(
    {
      TWINBOARD_DATA_DIR: '/var/twinboard',
      TWINBOARD_METHOD_NAME: 'reboot',
      TWINBOARD_REBOOT_PROPERTY: 'iothubDM.reboot.lastReboot',
      TWINBOARD_POLL_INTERVAL_MS: '5000',
      TWINBOARD_METHOD_RESPONSE_TIMEOUT_S: '300',
      TWINBOARD_METHOD_CONNECT_TIMEOUT_S: '10',
      TWINBOARD_REBOOT_CONFIRM_TIMEOUT_S: '60',
      IOTHUB_CONNECTION_STRING: ` ${GOOD} `,
    },
    '/srv/app',
  );
  assert.equal(settings.dataDir, '/var/twinboard');
  assert.equal(settings.methodName, 'reboot');
  assert.equal(settings.rebootProperty, 'iothubDM.reboot.lastReboot');
  assert.equal(settings.pollIntervalMs, 5000);
  assert.equal(settings.methodResponseTimeoutS, 300);
  assert.equal(settings.methodConnectTimeoutS, 10);
  assert.equal(settings.rebootConfirmTimeoutS, 60);
  assert.equal(settings.connectionString, GOOD);
});

test('out-of-range and malformed values are refused, naming the variable and the range', () => {
  const err = configError(() =>
    parseSettings({ TWINBOARD_METHOD_RESPONSE_TIMEOUT_S: '4', TWINBOARD_METHOD_CONNECT_TIMEOUT_S: '301', TWINBOARD_POLL_INTERVAL_MS: 'fast' }),
  );
  assert.match(err.message, /TWINBOARD_METHOD_RESPONSE_TIMEOUT_S must be a whole number of seconds from 5 to 300 \(got "4"\)/);
  assert.match(err.message, /TWINBOARD_METHOD_CONNECT_TIMEOUT_S .* from 0 to 300/);
  assert.match(err.message, /TWINBOARD_POLL_INTERVAL_MS/);
  configError(() => parseSettings({ TWINBOARD_REBOOT_PROPERTY: 'a..b' }));
  configError(() => parseSettings({ TWINBOARD_REBOOT_PROPERTY: '$version' }));
  configError(() => parseSettings({ TWINBOARD_METHOD_NAME: 'reboot now' }));
});

test('connection strings: the three service fields are required and the key never echoes', () => {
  assert.deepEqual(parseServiceConnectionString(GOOD), { ok: true, parts: { hostName: 'myhub.azure-devices.net', sharedAccessKeyName: 'iothubowner' } });
  const device = parseServiceConnectionString('HostName=h;DeviceId=d;SharedAccessKey=c2VjcmV0');
  assert.equal(device.ok, false);
  assert.match((device as { problem: string }).problem, /SharedAccessKeyName.*device connection string/);
  assert.equal(parseServiceConnectionString('HostName=h:8443;SharedAccessKeyName=p;SharedAccessKey=c2VjcmV0').ok, false);
  assert.equal(parseServiceConnectionString('garbage').ok, false);
  const err = configError(() => azureTarget('HostName=h;SharedAccessKeyName=p;SharedAccessKey=not base64!'));
  assert.doesNotMatch(err.message, /not base64!/);
});

test('IOTHUB_CONNECTION_STRING targets the hub exactly like Azure: no port, no extra CA', () => {
  const target = resolveHubTarget(parseSettings({ IOTHUB_CONNECTION_STRING: GOOD }));
  assert.equal(target.kind, 'azure');
  assert.equal(target.hostName, 'myhub.azure-devices.net');
  assert.deepEqual(target.endpoint, {});
});

test('without a connection string the local hub file gives the port and CA; a missing file says what to do', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'twinboard-config-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const hubFile = join(dir, 'hub.json');
  const missing = configError(() => localTarget(hubFile));
  assert.match(missing.message, /start the local hub with npm run hub, or set IOTHUB_CONNECTION_STRING/);

  writeFileSync(hubFile, '{ not json');
  assert.match(configError(() => localTarget(hubFile)).message, /not valid JSON/);

  writeFileSync(hubFile, JSON.stringify({ hostName: 'localhost', mqttPort: 8883 }));
  assert.match(configError(() => localTarget(hubFile)).message, /httpsPort/);

  writeFileSync(join(dir, 'ca.pem'), '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
  const conn = 'HostName=localhost;SharedAccessKeyName=iothubowner;SharedAccessKey=c2VjcmV0a2V5MTIzNA==';
  writeFileSync(hubFile, JSON.stringify({ hostName: 'localhost', mqttPort: 18883, httpsPort: 18443, caFile: 'ca.pem', serviceConnectionString: conn }));
  const target = localTarget(hubFile);
  assert.equal(target.kind, 'local');
  assert.equal(target.hostName, 'localhost');
  assert.equal(target.endpoint.httpsPort, 18443);
  assert.match(target.endpoint.ca ?? '', /BEGIN CERTIFICATE/);

  writeFileSync(hubFile, JSON.stringify({ hostName: 'localhost', mqttPort: 18883, httpsPort: 18443, caFile: 'gone.pem', serviceConnectionString: conn }));
  assert.match(configError(() => localTarget(hubFile)).message, /CA file/);
});
