import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HubError } from '../../lib/local-hub/errors';
import { applyTwinChange, checkSectionPatch, deviceTwinView, emptyTwin, etagOf, type TwinDoc } from '../../lib/local-hub/twin-doc';

const T0 = '2026-01-01T00:00:00.000Z';
const T1 = '2026-01-01T00:00:01.000Z';

function apply(doc: TwinDoc, change: Parameters<typeof applyTwinChange>[1], now = T1): TwinDoc {
  const next = applyTwinChange(doc, change, now);
  assert.ok(!(next instanceof HubError), next instanceof HubError ? next.message : '');
  return next;
}

test('a desired merge patch adds, replaces and deletes (null), and grows $version and version', () => {
  let doc = apply(emptyTwin(T0), { desired: { mode: 'patch', value: { a: 1, b: { c: 2, d: 3 } } } });
  doc = apply(doc, { desired: { mode: 'patch', value: { a: null, b: { c: 5 }, e: 'x' } } });
  assert.deepEqual(doc.desired.props, { b: { c: 5, d: 3 }, e: 'x' });
  assert.equal(doc.desired.version, 3);
  assert.equal(doc.version, 3);
  assert.equal(doc.etagVersion, 3);
});

test('desired metadata stamps each leaf with $lastUpdated and $lastUpdatedVersion; deletes drop it', () => {
  let doc = apply(emptyTwin(T0), { desired: { mode: 'patch', value: { a: 1, b: { c: 2 } } } }, T0);
  doc = apply(doc, { desired: { mode: 'patch', value: { a: null, b: { d: 4 } } } }, T1);
  const meta = doc.desired.metadata as Record<string, any>;
  assert.equal(meta.$lastUpdated, T1);
  assert.equal(meta.$lastUpdatedVersion, 3);
  assert.equal(meta.a, undefined);
  assert.deepEqual(meta.b.c, { $lastUpdated: T0, $lastUpdatedVersion: 2 });
  assert.deepEqual(meta.b.d, { $lastUpdated: T1, $lastUpdatedVersion: 3 });
  assert.equal(meta.b.$lastUpdated, T1);
});

test('reported changes grow version but not the etag, and carry no $lastUpdatedVersion', () => {
  const doc = apply(emptyTwin(T0), { reported: { mode: 'patch', value: { rebootTime: T1 } } });
  assert.equal(doc.etagVersion, 1);
  assert.equal(doc.version, 2);
  assert.equal(doc.reported.version, 2);
  assert.deepEqual((doc.reported.metadata as Record<string, unknown>).rebootTime, { $lastUpdated: T1 });
  assert.deepEqual(deviceTwinView(doc), { desired: { $version: 1 }, reported: { rebootTime: T1, $version: 2 } });
});

test('replace drops everything that is not in the new document', () => {
  let doc = apply(emptyTwin(T0), { tags: { mode: 'patch', value: { a: 1, b: { c: 1 } } } });
  doc = apply(doc, { tags: { mode: 'replace', value: { b: { d: 2 }, z: null } } });
  assert.deepEqual(doc.tags, { b: { d: 2 } });
});

test('size limits: desired over 32 KB and tags over 8 KB are refused and nothing changes', () => {
  const doc = emptyTwin(T0);
  const big = applyTwinChange(doc, { desired: { mode: 'patch', value: { a: 'x'.repeat(4000), b: 'y'.repeat(4000), ...Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`k${i}`, 'z'.repeat(4000)])) } } }, T1);
  assert.ok(big instanceof HubError);
  assert.equal(big.status, 400);
  assert.match(big.message, /desired would be \d+ bytes.*32768/);
  const tags = applyTwinChange(doc, { tags: { mode: 'patch', value: { a: 'x'.repeat(4000), b: 'y'.repeat(4000), c: 'z'.repeat(500) } } }, T1);
  assert.ok(tags instanceof HubError);
  assert.match(tags.message, /tags would be/);
  assert.deepEqual(doc.tags, {});
});

test('key rules: no ".", "$" or space, at most 1 KB, depth at most 10, each named in the error', () => {
  const message = (value: unknown) => {
    const result = checkSectionPatch('desired', value);
    assert.ok(result instanceof HubError);
    assert.equal(result.status, 400);
    return result.message;
  };
  assert.match(message({ 'a.b': 1 }), /"a\.b".*contains "\."/);
  assert.match(message({ a: { $x: 1 } }), /"\$x" in "a" contains "\$"/);
  assert.match(message({ 'a b': 1 }), /contains " "/);
  assert.match(message({ ['k'.repeat(1025)]: 1 }), /longer than 1024 bytes/);
  let deep: Record<string, unknown> = { leaf: 1 };
  for (let i = 0; i < 10; i++) deep = { n: deep };
  assert.match(message(deep), /deeper than 10/);
  assert.match(message([1]), /must be a JSON object/);
  assert.match(message({ s: 'x'.repeat(4097) }), /longer than 4096 bytes/);
});

test('read-only $version and $metadata at the top of a section are ignored, not refused', () => {
  assert.deepEqual(checkSectionPatch('desired', { a: 1, $version: 4, $metadata: {} }), { a: 1 });
});

test('etags look like the real hub: base64 of a 64-bit counter', () => {
  assert.equal(etagOf(1), 'AAAAAAAAAAE=');
});
