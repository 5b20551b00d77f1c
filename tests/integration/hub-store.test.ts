/** The SQLite store on its own: policies kept, identities and twins, the DeviceDirectory the MQTT side uses. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HubError } from '../../lib/local-hub/errors';
import { DEFAULT_POLICIES, HubStore } from '../../lib/local-hub/store';

function openTemp(t: { after(fn: () => unknown): void }): { dir: string; open(): HubStore } {
  const dir = mkdtempSync(join(tmpdir(), 'twinboard-store-'));
  const opened: HubStore[] = [];
  t.after(() => {
    for (const store of opened) store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    dir,
    open() {
      const store = HubStore.open(dir);
      opened.push(store);
      return store;
    },
  };
}

test('the five standard policies get keys on first open and keep them', (t) => {
  const temp = openTemp(t);
  const first = temp.open();
  const keys = DEFAULT_POLICIES.map((p) => first.getPolicy(p.keyName)?.primaryKey);
  assert.ok(keys.every((k) => k && Buffer.from(k, 'base64').length === 32));
  assert.deepEqual(first.getPolicy('service')?.rights, ['ServiceConnect']);
  first.close();
  const second = temp.open();
  assert.deepEqual(DEFAULT_POLICIES.map((p) => second.getPolicy(p.keyName)?.primaryKey), keys);
});

test('patchReported merges, deletes with null, returns the new $version, and the device twin view shows it', (t) => {
  const store = openTemp(t).open();
  store.createIdentity({ deviceId: 'd' });
  assert.deepEqual(store.patchReported('d', { rebootTime: 'a', fw: { v: 1 } }), { version: 2 });
  assert.deepEqual(store.patchReported('d', { fw: null }), { version: 3 });
  assert.deepEqual(store.getDeviceTwin('d'), { desired: { $version: 1 }, reported: { rebootTime: 'a', $version: 3 } });
});

test('patchReported refuses bad patches, unknown devices and oversized sections with HubError values', (t) => {
  const store = openTemp(t).open();
  store.createIdentity({ deviceId: 'd' });
  const code = (result: unknown) => (result instanceof HubError ? result.code : 'ok');
  assert.equal(code(store.patchReported('d', 'text')), 'ArgumentInvalid');
  assert.equal(code(store.patchReported('d', { 'a.b': 1 })), 'ArgumentInvalid');
  assert.equal(code(store.patchReported('nobody', { a: 1 })), 'DeviceNotFound');
  const big = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`k${i}`, 'x'.repeat(4000)]));
  assert.equal(code(store.patchReported('d', big)), 'ArgumentInvalid');
  assert.equal(code(store.getDeviceTwin('nobody')), 'DeviceNotFound');
  assert.deepEqual(store.getDeviceTwin('d'), { desired: { $version: 1 }, reported: { $version: 1 } });
});

test('deleting an identity deletes its twin; recreating starts fresh with new keys', (t) => {
  const store = openTemp(t).open();
  const first = store.createIdentity({ deviceId: 'd' });
  store.patchReported('d', { a: 1 });
  assert.ok(!(store.deleteIdentity('d', '*') instanceof HubError));
  assert.equal(store.getTwin('d'), undefined);
  const second = store.createIdentity({ deviceId: 'd' });
  assert.ok(!(first instanceof HubError) && !(second instanceof HubError));
  assert.notEqual(second.primaryKey, first.primaryKey);
  assert.deepEqual(store.getDeviceTwin('d'), { desired: { $version: 1 }, reported: { $version: 1 } });
});
