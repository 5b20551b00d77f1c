/** `npm run hub`: starts, prints what a user needs, writes hub.json, stops cleanly, explains what is wrong. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRegistry } from '../../lib/hub/transport';
import { runHubCli } from '../helpers/hub-cli';

function tempDir(t: { after(fn: () => unknown): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'twinboard-cli-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('the hub starts, prints its endpoints, writes hub.json, serves, and exits 0 on SIGTERM', async (t) => {
  const dir = tempDir(t);
  const hub = runHubCli(t, ['--host', '127.0.0.1', '--mqtt-port', '0', '--https-port', '0', '--data-dir', dir]);
  await hub.waitFor('ready');
  const file = JSON.parse(readFileSync(join(dir, 'hub.json'), 'utf8'));
  assert.equal(file.hostName, '127.0.0.1');
  assert.ok(file.mqttPort > 0 && file.httpsPort > 0);
  assert.equal(file.caFile, join(dir, 'ca.pem'));
  assert.match(file.serviceConnectionString, /^HostName=127\.0\.0\.1;SharedAccessKeyName=iothubowner;SharedAccessKey=.+=$/);
  const out = hub.stdout();
  assert.ok(out.includes(file.serviceConnectionString));
  assert.ok(out.includes(file.caFile));
  assert.ok(out.includes(`mqtts://127.0.0.1:${file.mqttPort}`));
  assert.ok(out.includes(`https://127.0.0.1:${file.httpsPort}`));
  assert.ok(out.includes(`GatewayHostName=127.0.0.1:${file.mqttPort}`));
  assert.ok(out.includes('NODE_EXTRA_CA_CERTS='));

  const registry = createRegistry(file.serviceConnectionString, { httpsPort: file.httpsPort, ca: readFileSync(file.caFile, 'utf8') });
  await registry.create({ deviceId: 'cli-dev' });

  hub.child.kill('SIGTERM');
  assert.equal(await hub.exited, 0);
  assert.match(hub.stdout(), /stopped/);
});

test('SIGINT also stops it with exit code 0', async (t) => {
  const dir = tempDir(t);
  const hub = runHubCli(t, ['--mqtt-port', '0', '--https-port', '0', '--data-dir', dir, '--quiet']);
  await hub.waitFor('ready');
  hub.child.kill('SIGINT');
  assert.equal(await hub.exited, 0);
});

test('--help prints the usage and exits 0', async (t) => {
  const hub = runHubCli(t, ['--help']);
  assert.equal(await hub.exited, 0);
  assert.match(hub.stdout(), /Usage: npm run hub -- \[--host H\]/);
  assert.match(hub.stdout(), /--data-dir D/);
});

test('usage errors exit 2 with a pointer to --help', async (t) => {
  for (const args of [['--bogus'], ['--mqtt-port', 'abc'], ['--https-port', '70000'], ['--listen', 'not-an-ip'], ['--host', 'a b'], ['stray'], ['--mqtt-port', '9000', '--https-port', '9000']]) {
    const hub = runHubCli(t, args);
    assert.equal(await hub.exited, 2, args.join(' '));
    assert.match(hub.stderr(), /Run with --help/);
  }
});

test('a port in use exits 1 with a message that says what to do', async (t) => {
  const dir = tempDir(t);
  const blocker = createServer();
  t.after(() => blocker.close());
  await new Promise<void>((done) => blocker.listen(0, '127.0.0.1', done));
  const port = (blocker.address() as { port: number }).port;
  const https = runHubCli(t, ['--host', '127.0.0.1', '--mqtt-port', '0', '--https-port', String(port), '--data-dir', dir]);
  assert.equal(await https.exited, 1);
  assert.match(https.stderr(), new RegExp(`HTTPS port 127\\.0\\.0\\.1:${port} is already in use.*--https-port`));
  const mqtt = runHubCli(t, ['--host', '127.0.0.1', '--mqtt-port', String(port), '--https-port', '0', '--data-dir', dir]);
  assert.equal(await mqtt.exited, 1);
  assert.match(mqtt.stderr(), new RegExp(`MQTT port 127\\.0\\.0\\.1:${port} is already in use.*--mqtt-port`));
});

test('a data dir that is a file exits 1 with a message that says what to do', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'not-a-dir');
  writeFileSync(file, 'x');
  const hub = runHubCli(t, ['--mqtt-port', '0', '--https-port', '0', '--data-dir', file]);
  assert.equal(await hub.exited, 1);
  assert.match(hub.stderr(), /Cannot use the data dir .*not-a-dir.*writable directory/);
});
