import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import Database from 'better-sqlite3';
import { HISTORY_FILE, HistoryStore, toEntry } from '../../lib/history/store';

function tempDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'twinboard-history-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function openStore(t: TestContext, dir: string, now?: Date): HistoryStore {
  const store = HistoryStore.open(dir, now);
  t.after(() => store.close());
  return store;
}

const at = (seconds: number) => new Date(Date.UTC(2026, 10, 26, 12, 0, seconds));

test('entries come back newest first, per device', (t) => {
  const store = openStore(t, tempDir(t));
  const first = store.beginReboot('dev1', at(0), null);
  assert.ok(first.ok);
  store.update(first.entry.id, { phase: 'failed', error: { code: 'DEVICE_OFFLINE', message: 'offline' } }, at(1));
  const external = store.addExternal('dev1', '2026-11-26T12:00:05Z', at(5), null);
  const other = store.beginReboot('dev2', at(6), null);
  const second = store.beginReboot('dev1', at(7), '2026-11-26T12:00:05Z');
  assert.ok(other.ok && second.ok);

  const list = store.list('dev1');
  assert.deepEqual(list.map((e) => e.id), [second.entry.id, external.id, first.entry.id]);
  assert.equal(list[1]?.source, 'external');
  assert.equal(list[1]?.phase, 'confirmed');
  assert.deepEqual(list[2]?.error, { code: 'DEVICE_OFFLINE', message: 'offline' });
  assert.equal(store.latestByDevice().get('dev1')?.id, second.entry.id);
  assert.equal(store.latestByDevice().get('dev2')?.id, other.entry.id);
  // The browser's shape carries nothing internal.
  assert.deepEqual(Object.keys(toEntry(list[0]!)).sort(), [
    'answer', 'answeredAt', 'cameBackAt', 'deviceId', 'durationMs', 'error', 'id', 'phase', 'reportedRebootTime', 'requestedAt', 'source', 'wentOfflineAt',
  ]);
});

test('only one reboot per device can be in flight', (t) => {
  const store = openStore(t, tempDir(t));
  const first = store.beginReboot('dev1', at(0), null);
  const second = store.beginReboot('dev1', at(1), null);
  assert.ok(first.ok);
  assert.equal(second.ok, false);
  assert.equal((second as { inFlight: { id: string } }).inFlight.id, first.entry.id);
  // Still refused in later in-flight phases; allowed again once final.
  store.update(first.entry.id, { phase: 'answered' }, at(2));
  assert.equal(store.beginReboot('dev1', at(3), null).ok, false);
  store.update(first.entry.id, { phase: 'confirmed' }, at(4));
  assert.equal(store.beginReboot('dev1', at(5), null).ok, true);
});

test('a second process cannot slip a second in-flight reboot past the index', (t) => {
  const dir = tempDir(t);
  const store = openStore(t, dir);
  assert.ok(store.beginReboot('dev1', at(0), null).ok);
  const raw = new Database(join(dir, HISTORY_FILE));
  t.after(() => raw.close());
  assert.throws(
    () => raw.prepare("INSERT INTO reboots (id, device_id, source, phase, updated_at) VALUES ('x', 'dev1', 'dashboard', 'answered', 'now')").run(),
    /UNIQUE/,
  );
});

test('conditional updates only apply from the given phases', (t) => {
  const store = openStore(t, tempDir(t));
  const begun = store.beginReboot('dev1', at(0), null);
  assert.ok(begun.ok);
  assert.equal(store.update(begun.entry.id, { phase: 'offline' }, at(1), ['answered']), null);
  const answered = store.update(begun.entry.id, { phase: 'answered', answer: { status: 200, payload: { ok: 1 } } }, at(1), ['requested']);
  assert.equal(answered?.phase, 'answered');
  assert.deepEqual(answered?.answer, { status: 200, payload: { ok: 1 } });
});

test('history persists across reopen, and a stop mid-call leaves the entry unknown, not lost', (t) => {
  const dir = tempDir(t);
  const first = HistoryStore.open(dir, at(0));
  const cut = first.beginReboot('dev1', at(0), null);
  const done = first.beginReboot('dev2', at(1), null);
  assert.ok(cut.ok && done.ok);
  first.update(done.entry.id, { phase: 'answered' }, at(2));
  first.setDeviceState('dev1', 'Connected', '2026-11-26T11:00:00Z', at(2));
  first.close();

  const second = openStore(t, dir, at(10));
  const interrupted = second.get(cut.entry.id);
  assert.equal(interrupted?.phase, 'unknown');
  assert.match(interrupted?.error?.message ?? '', /stopped/);
  assert.equal(second.get(done.entry.id)?.phase, 'answered', 'entries past the call keep being tracked');
  assert.deepEqual(second.getDeviceState('dev1'), { deviceId: 'dev1', connectionState: 'Connected', rebootTime: '2026-11-26T11:00:00Z', seenAt: at(2).toISOString() });
  assert.equal(second.beginReboot('dev1', at(11), null).ok, true, 'an unknown entry does not block a new reboot');
});

test('damaged rows read as nulls and unknown phases instead of failing', (t) => {
  const dir = tempDir(t);
  const store = openStore(t, dir);
  const raw = new Database(join(dir, HISTORY_FILE));
  t.after(() => raw.close());
  raw
    .prepare("INSERT INTO reboots (id, device_id, source, phase, answer, error, duration_ms, updated_at) VALUES ('bad', 'dev1', 'weird', 'exploded', '{nope', '[1]', 'x', 'now')")
    .run();
  const [entry] = store.list('dev1');
  assert.equal(entry?.phase, 'unknown');
  assert.equal(entry?.source, 'dashboard');
  assert.equal(entry?.answer, null);
  assert.equal(entry?.error, null);
  assert.equal(entry?.durationMs, null);
});

test('a file that is not a database is set aside, not deleted, and a fresh history starts', (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, HISTORY_FILE), 'this is not sqlite '.repeat(100));
  const store = openStore(t, dir, at(0));
  assert.ok(store.setAside);
  assert.ok(existsSync(store.setAside as string));
  assert.ok(readdirSync(dir).some((name) => name.startsWith(`${HISTORY_FILE}.damaged-`)));
  assert.equal(store.beginReboot('dev1', at(1), null).ok, true);
});
