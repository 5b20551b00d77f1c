/**
 * With IOTHUB_CONNECTION_STRING set, the dashboard reaches the hub exactly as it reaches Azure: HostName on port
 * 443, trusting Node's CA store plus NODE_EXTRA_CA_CERTS, no hub file. Proven with the local hub bound to 443 on
 * its own loopback address (wire §4 recipe A); skipped where port 443 cannot be bound.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import type { ApiErrorBody, DeviceListResponse } from '../../lib/dashboard/types';
import { startTestHub, type TestHub } from '../helpers/local-hub';

const run = promisify(execFile);
const CHILD = join(import.meta.dirname, '../helpers/dashboard-list-once.ts');

async function listInChild(env: Record<string, string>): Promise<DeviceListResponse | ApiErrorBody> {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('TWINBOARD_') && name !== 'IOTHUB_CONNECTION_STRING' && name !== 'NODE_EXTRA_CA_CERTS'),
  ) as Record<string, string>;
  const { stdout } = await run(process.execPath, ['--import', 'tsx', CHILD], { env: { ...base, ...env } as NodeJS.ProcessEnv, timeout: 60000, encoding: 'utf8' });
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as DeviceListResponse | ApiErrorBody;
}

test('IOTHUB_CONNECTION_STRING reaches the hub on 443 with NODE_EXTRA_CA_CERTS, and says what to do without it', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'twinboard-azure-'));
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  // An address of its own, so 443 is free even when something else uses it on 127.0.0.1.
  const address = `127.${100 + Math.floor(Math.random() * 100)}.${Math.floor(Math.random() * 250) + 1}.${Math.floor(Math.random() * 250) + 1}`;
  let hub: TestHub;
  try {
    hub = await startTestHub(t, { hostName: address, httpsPort: 443, mqttPort: 0 });
  } catch (err) {
    t.skip(`port 443 cannot be bound here (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    return;
  }
  await hub.createDevice('cloud-1');
  const env = { IOTHUB_CONNECTION_STRING: hub.serviceConnectionString, TWINBOARD_DATA_DIR: dataDir, TWINBOARD_LOCAL_HUB_FILE: join(dataDir, 'none.json') };

  const listed = await listInChild({ ...env, NODE_EXTRA_CA_CERTS: hub.caFile });
  assert.ok('devices' in listed, JSON.stringify(listed));
  assert.deepEqual(listed.devices.map((d) => d.deviceId), ['cloud-1']);

  const untrusted = await listInChild(env);
  assert.ok('error' in untrusted, JSON.stringify(untrusted));
  assert.equal(untrusted.error.code, 'HUB_CERT_UNTRUSTED');
  assert.match(untrusted.error.hint ?? '', /NODE_EXTRA_CA_CERTS/);
});
