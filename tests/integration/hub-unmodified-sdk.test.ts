/**
 * The promise of the local hub: programs written against the official SDKs, in the shape of Azure's
 * device-management tutorial (tests/fixtures/tutorial), work against it with only their connection strings
 * changed and the hub's CA trusted through NODE_EXTRA_CA_CERTS. The hub runs from its CLI on the standard ports
 * (443, 8883) of a loopback address of its own (wire §4 recipe A); skipped where those ports cannot be bound.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { runHubCli } from '../helpers/hub-cli';

const FIXTURES = fileURLToPath(new URL('../fixtures/tutorial/', import.meta.url));
const HOST = '127.0.0.57';

function runNode(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [join(FIXTURES, script), ...args], { env, timeout: 60_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${script} ${args[0]} failed: ${err.message}\n${stdout}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

test('the tutorial-shaped device and service apps run unmodified against the hub on 443 and 8883', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'twinboard-unmodified-'));
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));

  const hub = runHubCli(t, ['--host', HOST, '--https-port', '443', '--mqtt-port', '8883', '--data-dir', dataDir, '--quiet']);
  try {
    await hub.waitFor('ready', 30_000);
  } catch (err) {
    if (/in use|permission|EACCES|EADDRINUSE|EADDRNOTAVAIL/i.test(hub.stderr())) {
      t.skip(`ports 443/8883 cannot be bound on ${HOST} here: ${hub.stderr().trim().split('\n')[0]}`);
      return;
    }
    throw err;
  }
  const info = JSON.parse(readFileSync(join(dataDir, 'hub.json'), 'utf8')) as { caFile: string; serviceConnectionString: string };
  assert.match(info.serviceConnectionString, new RegExp(`^HostName=${HOST.replaceAll('.', '\\.')};`));
  // Nothing but the CA: no port, no GatewayHostName, no twinboard code in the apps.
  const env = { ...process.env, NODE_EXTRA_CA_CERTS: info.caFile };

  const created = await runNode('service.cjs', ['create', info.serviceConnectionString, 'tutorial-device'], env);
  const key = /^key (\S+)$/m.exec(created)?.[1];
  assert.ok(key, `the service app printed no key: ${created}`);

  const device = spawn(process.execPath, [join(FIXTURES, 'device.cjs'), `HostName=${HOST};DeviceId=tutorial-device;SharedAccessKey=${key}`], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.after(() => {
    if (device.exitCode === null && device.signalCode === null) device.kill('SIGKILL');
  });
  let deviceOut = '';
  device.stdout.setEncoding('utf8').on('data', (c: string) => (deviceOut += c));
  device.stderr.setEncoding('utf8').on('data', (c: string) => (deviceOut += c));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the device app did not get ready: ${deviceOut}`)), 30_000);
    device.stdout.on('data', () => {
      if (deviceOut.includes('device ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
    device.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the device app exited with ${code}: ${deviceOut}`));
    });
  });

  // The device subscribes to methods right after open; the hub counts it ready only once that SUBSCRIBE is in
  // (wire §1.6), so a call in that instant may get 404103. Retry briefly, as a person would.
  let rebooted = '';
  for (let attempt = 0; ; attempt++) {
    try {
      rebooted = await runNode('service.cjs', ['reboot', info.serviceConnectionString, 'tutorial-device'], env);
      break;
    } catch (err) {
      if (attempt >= 5) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  assert.match(rebooted, /^answer \{"status":200,"payload":\{"Response":"Rebooting"\}\}$/m);
  assert.match(rebooted, /^rebootTime \d{4}-\d\d-\d\dT/m);
  assert.match(deviceOut, /reboot requested/);

  device.kill('SIGTERM');
  hub.child.kill('SIGTERM');
  assert.equal(await hub.exited, 0);
});
