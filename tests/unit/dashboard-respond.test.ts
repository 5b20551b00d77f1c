import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DashboardError, ERROR_STATUS } from '../../lib/dashboard/errors';
import { errorResponse, jsonResponse, respond } from '../../lib/dashboard/respond';

test('answers are JSON and never cached', async () => {
  const response = jsonResponse({ a: 1 });
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('cache-control'), 'no-store');
  assert.deepEqual(await response.json(), { a: 1 });
});

test('a DashboardError answers with its status and ApiErrorBody', async () => {
  const response = errorResponse(new DashboardError('DEVICE_NOT_FOUND', 'No device "x".', 'Check the id.'));
  assert.equal(response.status, 404);
  assert.equal(response.headers.get('cache-control'), 'no-store');
  assert.deepEqual(await response.json(), { error: { code: 'DEVICE_NOT_FOUND', message: 'No device "x".', hint: 'Check the id.' } });
});

test('an unexpected error answers 500 INTERNAL without its text', async (t) => {
  t.mock.method(console, 'error', () => undefined);
  const response = await respond(async () => {
    throw new Error('HostName=h;SharedAccessKey=secret');
  });
  assert.equal(response.status, 500);
  const text = await response.text();
  assert.doesNotMatch(text, /secret/);
  assert.equal(JSON.parse(text).error.code, 'INTERNAL');
});

test('every error code has an HTTP error status', () => {
  for (const [code, status] of Object.entries(ERROR_STATUS)) assert.ok(status >= 400 && status < 600, code);
});
