import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseHubFile, readHubFile } from '../../lib/simulator/hub-file';

const VALID = {
  hostName: 'localhost',
  mqttPort: 18883,
  httpsPort: 18443,
  caFile: '/abs/ca.pem',
  serviceConnectionString: 'HostName=localhost;SharedAccessKeyName=iothubowner;SharedAccessKey=YWJj',
};

test('a hub file is parsed; a relative caFile is resolved against the file', () => {
  assert.deepEqual(parseHubFile(JSON.stringify(VALID), '/data/hub.json'), VALID);
  const relative = parseHubFile(JSON.stringify({ ...VALID, caFile: 'ca.pem' }), '/data/hub.json');
  assert.equal('caFile' in relative && relative.caFile, '/data/ca.pem');
});

test('bad hub files are HUB_FILE_INVALID values naming the fields', () => {
  const notJson = parseHubFile('{', 'h.json');
  assert.ok('code' in notJson && notJson.code === 'HUB_FILE_INVALID');
  const badPort = parseHubFile(JSON.stringify({ ...VALID, mqttPort: 'x', caFile: undefined }), 'h.json');
  assert.ok('code' in badPort);
  assert.match(badPort.message, /mqttPort/);
  assert.match(badPort.message, /caFile/);
});

test('a missing hub file is HUB_FILE_MISSING and says to start the hub', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'twinboard-hubfile-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const missing = await readHubFile(join(dir, 'hub.json'));
  assert.ok('code' in missing && missing.code === 'HUB_FILE_MISSING');
  assert.match(missing.message, /start the hub first with "npm run hub"/);
  writeFileSync(join(dir, 'hub.json'), JSON.stringify(VALID));
  assert.deepEqual(await readHubFile(join(dir, 'hub.json')), VALID);
});
