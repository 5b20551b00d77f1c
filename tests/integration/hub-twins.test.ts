/** Twins and queries over HTTPS through the real azure-iothub Registry (wire §2.3, §3). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hubRequest, startTestHub } from '../helpers/local-hub';

test('getTwin has the wire §3 shape', async (t) => {
  const hub = await startTestHub(t);
  await hub.createDevice('dev-1');
  const { responseBody: twin } = await hub.registry.getTwin('dev-1');
  const raw = JSON.parse(JSON.stringify(twin));
  assert.equal(raw.deviceId, 'dev-1');
  assert.match(raw.etag, /^[A-Za-z0-9+/]+=*$/);
  assert.equal(raw.status, 'enabled');
  assert.equal(raw.connectionState, 'Disconnected');
  assert.equal(raw.authenticationType, 'sas');
  assert.equal(typeof raw.version, 'number');
  assert.deepEqual(raw.tags, {});
  assert.equal(raw.properties.desired.$version, 1);
  assert.equal(raw.properties.reported.$version, 1);
  assert.ok(raw.properties.desired.$metadata.$lastUpdated);
});

test('updateTwin merges tags and desired with the etag, and a stale etag is InvalidEtagError (412)', async (t) => {
  const hub = await startTestHub(t);
  await hub.createDevice('dev-1');
  const { responseBody: first } = await hub.registry.getTwin('dev-1');
  const { responseBody: patched } = await hub.registry.updateTwin('dev-1', { tags: { site: 'north' }, properties: { desired: { window: '02:00', mode: 'auto' } } }, first.etag);
  const after = JSON.parse(JSON.stringify(patched));
  assert.deepEqual(after.tags, { site: 'north' });
  assert.equal(after.properties.desired.window, '02:00');
  assert.equal(after.properties.desired.$version, 2);
  assert.equal(after.properties.desired.$metadata.window.$lastUpdatedVersion, 2);
  assert.notEqual(after.etag, first.etag);

  try {
    await hub.registry.updateTwin('dev-1', { properties: { desired: { window: '03:00' } } }, first.etag);
    assert.fail('a stale etag must be refused');
  } catch (err) {
    assert.equal((err as Error).name, 'InvalidEtagError');
  }
  const { responseBody: star } = await hub.registry.updateTwin('dev-1', { properties: { desired: { mode: null } } }, '*');
  const final = JSON.parse(JSON.stringify(star));
  assert.equal(final.properties.desired.mode, undefined);
  assert.equal(final.properties.desired.window, '02:00');
  assert.equal(final.properties.desired.$version, 3);
});

test('the Twin object API (get, update) works against the hub', async (t) => {
  const hub = await startTestHub(t);
  await hub.createDevice('dev-1');
  const { responseBody: twin } = await hub.registry.getTwin('dev-1');
  const { result } = await twin.update({ tags: { a: 1 } });
  assert.deepEqual(JSON.parse(JSON.stringify(result)).tags, { a: 1 });
});

test('PUT /twins replaces tags and desired', async (t) => {
  const hub = await startTestHub(t);
  await hub.createDevice('dev-1');
  await hub.registry.updateTwin('dev-1', { tags: { a: 1, b: 2 }, properties: { desired: { x: 1 } } }, '*');
  const res = await hubRequest(hub, 'PUT', '/twins/dev-1', { body: { tags: { b: 3 }, properties: { desired: { y: 2 } } } });
  assert.equal(res.status, 200);
  const twin = res.json as { tags: unknown; properties: { desired: Record<string, unknown> } };
  assert.deepEqual(twin.tags, { b: 3 });
  assert.equal(twin.properties.desired.x, undefined);
  assert.equal(twin.properties.desired.y, 2);
});

test('twin rule violations are 400 ArgumentError naming the problem, and the twin is unchanged', async (t) => {
  const hub = await startTestHub(t);
  await hub.createDevice('dev-1');
  for (const [patch, pattern] of [
    [{ properties: { desired: { 'a.b': 1 } } }, /contains "\."/],
    [{ tags: { big: 'x'.repeat(4000), more: 'y'.repeat(4000), extra: 'z'.repeat(400) } }, /tags would be/],
    [{ properties: { reported: { a: 1 } } }, /only be written by the device/],
  ] as const) {
    try {
      await hub.registry.updateTwin('dev-1', patch as never, '*');
      assert.fail('expected a 400');
    } catch (err) {
      assert.equal((err as Error).name, 'ArgumentError');
      assert.match((err as Error).message, pattern);
    }
  }
  const { responseBody } = await hub.registry.getTwin('dev-1');
  assert.equal(JSON.parse(JSON.stringify(responseBody)).properties.desired.$version, 1);
});

test('createQuery pages with x-ms-max-item-count and continues only while more pages exist', async (t) => {
  const hub = await startTestHub(t);
  for (let i = 0; i < 7; i++) await hub.createDevice(`q-${i}`);
  await hub.registry.update({ deviceId: 'q-3', status: 'disabled' });
  const query = hub.registry.createQuery('SELECT * FROM devices', 3);
  const seen: string[] = [];
  let pages = 0;
  while (query.hasMoreResults) {
    const { result } = await query.nextAsTwin();
    seen.push(...result.map((twin) => twin.deviceId));
    pages++;
    assert.ok(pages <= 3, 'paging must end');
  }
  assert.equal(pages, 3);
  assert.deepEqual(seen, Array.from({ length: 7 }, (_, i) => `q-${i}`));

  const filtered = hub.registry.createQuery("SELECT * FROM devices WHERE status = 'disabled' OR deviceId = 'q-5'");
  const { result } = await filtered.next();
  assert.deepEqual((result as Array<{ deviceId: string }>).map((d) => d.deviceId), ['q-3', 'q-5']);
  assert.equal(filtered.hasMoreResults, false);

  const lastPage = await hubRequest(hub, 'POST', '/devices/query', { body: { query: 'SELECT * FROM devices' }, headers: { 'x-ms-max-item-count': 7 } });
  assert.equal(lastPage.headers['x-ms-continuation'], undefined);
});

test('a query the hub does not understand is ArgumentError, not an empty page', async (t) => {
  const hub = await startTestHub(t);
  const query = hub.registry.createQuery('SELECT COUNT() FROM devices');
  await assert.rejects(query.next(), (err: Error) => err.name === 'ArgumentError' && /only SELECT \*/.test(err.message));
});
