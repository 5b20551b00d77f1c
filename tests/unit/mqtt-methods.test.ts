import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isHubError } from '../../lib/local-hub/errors';
import {
  deviceNotOnline,
  formatTimeSpan,
  MAX_METHOD_PAYLOAD_BYTES,
  MethodCalls,
  parseMethodResponse,
} from '../../lib/local-hub/mqtt/methods';

test('a response body is JSON when it parses, text otherwise, null when empty', () => {
  assert.deepEqual(parseMethodResponse(200, Buffer.from('{"a":1}')), { status: 200, payload: { a: 1 } });
  assert.deepEqual(parseMethodResponse(200, Buffer.from('null')), { status: 200, payload: null });
  assert.deepEqual(parseMethodResponse(201, Buffer.from('"done"')), { status: 201, payload: 'done' });
  assert.deepEqual(parseMethodResponse(500, Buffer.from('not json')), { status: 500, payload: 'not json' });
  assert.deepEqual(parseMethodResponse(200, Buffer.alloc(0)), { status: 200, payload: null });
});

test('a response over 128 KB is a 4xx error that says so', () => {
  const result = parseMethodResponse(200, Buffer.alloc(MAX_METHOD_PAYLOAD_BYTES + 1, 0x20));
  assert.ok(isHubError(result));
  assert.ok(result.status >= 400 && result.status < 500);
  assert.match(result.message, /128 KB/);
  assert.ok(!isHubError(parseMethodResponse(200, Buffer.alloc(MAX_METHOD_PAYLOAD_BYTES, 0x20))));
});

test('404103 carries the connect timeout as hh:mm:ss', () => {
  assert.equal(formatTimeSpan(0), '00:00:00');
  assert.equal(formatTimeSpan(3725), '01:02:05');
  const error = deviceNotOnline(60);
  assert.equal(error.numeric, 404103);
  assert.equal(error.status, 404);
  assert.equal(error.message, 'Timed out waiting for device to connect.');
  assert.deepEqual(error.info, { timeout: '00:01:00' });
});

test('a call completes only from the device it went to', async () => {
  const calls = new MethodCalls();
  const { rid, result } = calls.start('dev1', 'm', 5000);
  assert.equal(calls.complete('dev2', rid, { status: 200, payload: 'wrong' }), false);
  assert.equal(calls.complete('dev1', 'nope', { status: 200, payload: 'wrong' }), false);
  assert.equal(calls.complete('dev1', rid, { status: 200, payload: 'right' }), true);
  assert.deepEqual(await result, { status: 200, payload: 'right' });
  assert.equal(calls.complete('dev1', rid, { status: 200, payload: 'again' }), false);
  assert.equal(calls.size, 0);
});

test('many calls are in flight at once, each with its own rid', async () => {
  const calls = new MethodCalls();
  const started = Array.from({ length: 50 }, (_, i) => ({ i, ...calls.start('dev1', 'm', 5000) }));
  assert.equal(new Set(started.map((s) => s.rid)).size, 50);
  for (const s of [...started].reverse()) calls.complete('dev1', s.rid, { status: 200, payload: s.i });
  const results = await Promise.all(started.map((s) => s.result));
  assert.deepEqual(results.map((r) => (isHubError(r) ? -1 : r.payload)), started.map((s) => s.i));
});

test('an unanswered call ends with 504101 after its response timeout', async () => {
  const calls = new MethodCalls();
  const { result } = calls.start('dev1', 'm', 10);
  const outcome = await result;
  assert.ok(isHubError(outcome));
  assert.equal(outcome.numeric, 504101);
  assert.equal(outcome.message, 'Timed out waiting for the response from device.');
  assert.equal(calls.size, 0);
});
