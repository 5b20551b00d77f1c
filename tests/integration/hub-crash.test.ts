/**
 * kill -9 in the middle of traffic: every write the hub acknowledged before it died is there after a restart
 * on the same data dir.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRegistry } from '../../lib/hub/transport';
import { runHubCli } from '../helpers/hub-cli';
import { startTestHub } from '../helpers/local-hub';

test('acknowledged device creations and twin patches survive kill -9', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'twinboard-crash-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const hub = runHubCli(t, ['--host', '127.0.0.1', '--mqtt-port', '0', '--https-port', '0', '--data-dir', dir, '--quiet']);
  await hub.waitFor('ready');
  const file = JSON.parse(readFileSync(join(dir, 'hub.json'), 'utf8'));
  const registry = createRegistry(file.serviceConnectionString, { httpsPort: file.httpsPort, ca: readFileSync(file.caFile, 'utf8') });

  const created = new Set<string>();
  const patched = new Map<string, number>();
  let acknowledged = 0;
  // Set just before the kill: from then on a failed request is expected, before it a failure is a bug.
  let dead = false;

  // Four writers, each creating devices and patching their twins until the hub dies under them.
  async function writer(w: number): Promise<void> {
    for (let i = 0; !dead; i++) {
      const id = `crash-${w}-${i}`;
      try {
        await registry.create({ deviceId: id });
        created.add(id);
        acknowledged++;
        for (let n = 1; n <= 3 && !dead; n++) {
          await registry.updateTwin(id, { tags: { n }, properties: { desired: { n } } }, '*');
          patched.set(id, n);
          acknowledged++;
        }
      } catch (err) {
        if (dead) return;
        throw new Error(`a write failed while the hub was still alive: ${(err as Error).message}`);
      }
    }
  }
  const writers = Array.from({ length: 4 }, (_, w) => writer(w));
  // Kill once enough writes were acknowledged that some are surely in flight.
  await new Promise<void>((done) => {
    const check = setInterval(() => {
      if (acknowledged >= 60) {
        clearInterval(check);
        done();
      }
    }, 5);
  });
  dead = true;
  hub.child.kill('SIGKILL');
  assert.equal(await hub.exited, 'SIGKILL');
  for (const outcome of await Promise.allSettled(writers)) {
    if (outcome.status === 'rejected') throw outcome.reason;
  }
  assert.ok(created.size > 0);

  const restarted = await startTestHub(t, { dataDir: dir });
  const { responseBody: devices } = await restarted.registry.list();
  const present = new Set(devices.map((d) => d.deviceId));
  for (const id of created) assert.ok(present.has(id), `device ${id} was acknowledged but is gone`);
  for (const [id, n] of patched) {
    const twin = JSON.parse(JSON.stringify((await restarted.registry.getTwin(id)).responseBody));
    assert.ok(twin.tags.n >= n, `twin ${id}: tags.n ${twin.tags.n} < acknowledged ${n}`);
    assert.ok(twin.properties.desired.n >= n, `twin ${id}: desired.n ${twin.properties.desired.n} < acknowledged ${n}`);
  }
});
