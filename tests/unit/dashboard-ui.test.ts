/**
 * The dashboard's pure display logic: time and duration wording, reboot phase and failure labels, poll
 * intervals, which reboot a row shows, and how the fetcher turns API errors into values.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describePhase, errorHint, errorTitle, failureLabel } from '../../app/_components/describe';
import { formatDuration, formatOffset, formatPayload, formatRelative, parseTime } from '../../app/_components/format';
import { ACTION_BRIDGE_MS, newestEntry } from '../../app/_components/newest-entry';
import type { RebootEntry } from '../../lib/dashboard/types';
import { fetcher, FetchError } from '../../lib/swr/fetcher';
import { deviceKey, FAST_POLL_MS, historyKey, isInFlight, pollInterval } from '../../lib/swr/keys';

function entry(overrides: Partial<RebootEntry> = {}): RebootEntry {
  return {
    id: 'r1',
    deviceId: 'sim-device-1',
    source: 'dashboard',
    phase: 'requested',
    requestedAt: '2026-11-26T10:00:00.000Z',
    answeredAt: null,
    answer: null,
    wentOfflineAt: null,
    cameBackAt: null,
    reportedRebootTime: null,
    durationMs: null,
    error: null,
    ...overrides,
  };
}

test('durations read as ms, seconds with one decimal below ten, then minutes', () => {
  assert.equal(formatDuration(850), '850 ms');
  assert.equal(formatDuration(4200), '4.2 s');
  assert.equal(formatDuration(42_000), '42 s');
  assert.equal(formatDuration(125_000), '2 min 5 s');
  assert.equal(formatDuration(120_000), '2 min');
  assert.equal(formatDuration(null), null);
  assert.equal(formatDuration(-1), null);
});

test('relative times: past in words, a little in the future still counts as now', () => {
  const now = Date.parse('2026-11-26T10:00:00Z');
  assert.equal(formatRelative(new Date(now - 2000), now), 'just now');
  assert.equal(formatRelative(new Date(now + 30_000), now), 'just now');
  assert.equal(formatRelative(new Date(now - 12_000), now), '12 seconds ago');
  assert.equal(formatRelative(new Date(now - 3 * 60_000), now), '3 minutes ago');
  assert.equal(formatRelative(new Date(now - 26 * 3600_000), now), 'yesterday');
});

test('offsets from the request, and unparseable times are treated as missing', () => {
  assert.equal(formatOffset(parseTime('2026-11-26T10:00:00Z'), parseTime('2026-11-26T10:00:01.900Z')), '+1.9 s');
  assert.equal(formatOffset(null, parseTime('2026-11-26T10:00:00Z')), null);
  assert.equal(parseTime('not a time'), null);
  assert.equal(parseTime(null), null);
});

test('payloads print as compact JSON', () => {
  assert.equal(formatPayload({ message: 'Rebooting' }), '{"message":"Rebooting"}');
  assert.equal(formatPayload('ok'), '"ok"');
  assert.equal(formatPayload(null), 'no payload');
});

test('in-flight phases say what is happening; "Rebooting" while offline or back', () => {
  assert.equal(describePhase(entry({ phase: 'requested' })).label, 'Sending reboot…');
  const answered = describePhase(entry({ phase: 'answered', answer: { status: 200, payload: { ok: true } } }));
  assert.equal(answered.label, 'Answered');
  assert.match(answered.detail, /answered 200 \{"ok":true\}/);
  assert.equal(describePhase(entry({ phase: 'offline' })).label, 'Rebooting…');
  assert.equal(describePhase(entry({ phase: 'back' })).label, 'Rebooting…');
  for (const phase of ['requested', 'answered', 'offline', 'back'] as const) assert.equal(describePhase(entry({ phase })).tone, 'progress');
});

test('final phases: confirmed with its duration, external, not confirmed, unknown', () => {
  assert.equal(describePhase(entry({ phase: 'confirmed', durationMs: 3100 })).label, 'Confirmed in 3.1 s');
  assert.equal(describePhase(entry({ phase: 'confirmed' })).label, 'Confirmed');
  assert.equal(describePhase(entry({ phase: 'confirmed', source: 'external', requestedAt: null })).label, 'External reboot');
  assert.equal(describePhase(entry({ phase: 'unconfirmed' })).label, 'Not confirmed in time');
  assert.equal(describePhase(entry({ phase: 'unknown' })).label, 'Unknown');
});

test('failures name their reason', () => {
  const failed = (code: NonNullable<RebootEntry['error']>['code'], answer: RebootEntry['answer'] = null) =>
    entry({ phase: 'failed', answer, error: { code, message: 'm' } });
  assert.equal(failureLabel(failed('DEVICE_OFFLINE')), 'Failed: device offline');
  assert.equal(failureLabel(failed('DEVICE_TIMEOUT')), 'Failed: timed out');
  assert.equal(failureLabel(failed('DEVICE_ERROR', { status: 500, payload: null })), 'Failed: device answered 500');
  assert.equal(describePhase(failed('DEVICE_OFFLINE')).tone, 'danger');
  assert.equal(describePhase(failed('DEVICE_OFFLINE')).detail, 'm');
});

test('error titles per code, and a fallback hint only when the server gave none', () => {
  assert.equal(errorTitle({ code: 'HUB_CERT_UNTRUSTED', message: 'x' }), 'Hub certificate not trusted');
  assert.equal(errorHint({ code: 'HUB_UNREACHABLE', message: 'x', hint: 'server hint' }), 'server hint');
  assert.match(errorHint({ code: 'HUB_CERT_UNTRUSTED', message: 'x' }) ?? '', /NODE_EXTRA_CA_CERTS/);
  assert.equal(errorHint({ code: 'INTERNAL', message: 'x' }), undefined);
});

test('SWR keys share the /api/devices prefix and encode the device id', () => {
  assert.equal(deviceKey('a b/c'), '/api/devices/a%20b%2Fc');
  assert.equal(historyKey('dev-1'), '/api/devices/dev-1/history');
});

test('polling is fast while any reboot is in flight and idle otherwise', () => {
  assert.equal(pollInterval([null, entry({ phase: 'confirmed' })], 5000), 5000);
  assert.equal(pollInterval([null, entry({ phase: 'offline' })], 5000), FAST_POLL_MS);
  assert.equal(pollInterval([entry({ phase: 'answered' })], 500), 500);
  assert.equal(isInFlight(entry({ phase: 'back' })), true);
  assert.equal(isInFlight(entry({ phase: 'failed' })), false);
  assert.equal(isInFlight(null), false);
});

test("a row shows the action's answer until polling catches up, then the poll", () => {
  const answered = entry({ phase: 'answered', answer: { status: 200, payload: null } });
  // Same reboot: the further phase wins, whichever side has it.
  assert.equal(newestEntry(entry({ phase: 'requested' }), answered, 0), answered);
  const offline = entry({ phase: 'offline' });
  assert.equal(newestEntry(offline, answered, 0), offline);
  // The poll has not seen the new reboot yet.
  assert.equal(newestEntry(null, answered, 0), answered);
  const older = entry({ id: 'r0', phase: 'confirmed', requestedAt: '2026-11-26T09:00:00.000Z' });
  assert.equal(newestEntry(older, answered, 0), answered);
  // Long after the action, only the poll counts.
  assert.equal(newestEntry(null, answered, ACTION_BRIDGE_MS + 1), null);
  assert.equal(newestEntry(older, answered, ACTION_BRIDGE_MS + 1), older);
  assert.equal(newestEntry(older, null, 0), older);
});

test('the fetcher returns JSON, and turns an ApiErrorBody or a dead server into a FetchError', async (t) => {
  const realFetch = globalThis.fetch;
  t.after(() => {
    globalThis.fetch = realFetch;
  });

  globalThis.fetch = async () => Response.json({ devices: [] });
  assert.deepEqual(await fetcher('/api/devices'), { devices: [] });

  globalThis.fetch = async () =>
    Response.json({ error: { code: 'HUB_UNREACHABLE', message: 'The hub did not answer.', hint: 'Start it.' } }, { status: 503 });
  await assert.rejects(fetcher('/api/devices'), (err: unknown) => {
    assert.ok(err instanceof FetchError);
    assert.equal(err.status, 503);
    assert.deepEqual(err.info, { code: 'HUB_UNREACHABLE', message: 'The hub did not answer.', hint: 'Start it.' });
    return true;
  });

  globalThis.fetch = async () => new Response('<html>bad gateway</html>', { status: 502, statusText: 'Bad Gateway' });
  await assert.rejects(fetcher('/api/devices'), (err: unknown) => err instanceof FetchError && err.status === 502 && err.info.code === 'INTERNAL');

  globalThis.fetch = async () => {
    throw new TypeError('fetch failed');
  };
  await assert.rejects(fetcher('/api/devices'), (err: unknown) => err instanceof FetchError && err.status === 0 && /did not answer/.test(err.message));
});
