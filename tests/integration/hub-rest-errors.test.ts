/** Bad requests get a clear JSON 4xx and the hub keeps serving (wire §2.1: JSON with the right content type). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { createServiceToken } from '../../lib/local-hub/sas';
import { hubRequest, startTestHub, type RawResponse, type TestHub } from '../helpers/local-hub';

function assertJsonError(res: RawResponse, status: number, code: string): void {
  assert.equal(res.status, status, res.text);
  assert.match(String(res.headers['content-type']), /^application\/json/);
  assert.match((res.json as { Message: string }).Message, new RegExp(`^ErrorCode:${code};.+`));
  assert.equal(res.headers['iothub-errorcode'], code);
}

async function stillServing(hub: TestHub): Promise<void> {
  const { responseBody } = await hub.registry.list();
  assert.ok(Array.isArray(responseBody));
}

test('malformed JSON, a non-JSON content type and an empty body are 4xx JSON errors', async (t) => {
  const hub = await startTestHub(t);
  await hub.createDevice('dev-1');
  assertJsonError(await hubRequest(hub, 'PATCH', '/twins/dev-1', { body: '{"tags": {', headers: { 'If-Match': '*' } }), 400, 'ArgumentInvalid');
  assertJsonError(await hubRequest(hub, 'PUT', '/devices/x', { body: 'deviceId=x', headers: { 'Content-Type': 'text/plain' } }), 415, 'UnsupportedMediaType');
  assertJsonError(await hubRequest(hub, 'POST', '/devices/query', { body: '' }), 400, 'ArgumentNull');
  assertJsonError(await hubRequest(hub, 'PATCH', '/twins/dev-1', { body: '"just a string"' }), 400, 'ArgumentInvalid');
  await stillServing(hub);
});

test('an oversized body is refused by Content-Length and while streaming', async (t) => {
  const hub = await startTestHub(t);
  await hub.createDevice('dev-1');
  const big = JSON.stringify({ tags: { a: 'x'.repeat(300 * 1024) } });
  assertJsonError(await hubRequest(hub, 'PATCH', '/twins/dev-1', { body: big }), 413, 'MessageTooLarge');

  // Chunked, so the server only finds out while reading.
  const key = /SharedAccessKey=([^;]+)/.exec(hub.serviceConnectionString)?.[1] as string;
  const streamed = await new Promise<RawResponse>((done, fail) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: hub.httpsPort,
        method: 'PUT',
        path: '/devices/streamed?api-version=2021-04-12',
        ca: hub.caPem,
        agent: false,
        headers: { Authorization: createServiceToken(hub.hostName, 'iothubowner', key), 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' },
      },
      (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, text, json: JSON.parse(text) }));
      },
    );
    req.on('error', fail);
    req.write('{"deviceId":"streamed","pad":"');
    const chunk = 'y'.repeat(16 * 1024);
    let sent = 0;
    const pump = () => {
      while (sent < 64) {
        sent++;
        if (!req.write(chunk)) return req.once('drain', pump);
      }
      req.end('"}');
    };
    pump();
  }).catch((err: NodeJS.ErrnoException) => {
    // The server may close before the client finishes writing; the answer must still have been a 413.
    assert.fail(`the 413 was lost: ${err.code ?? err.message}`);
  });
  assertJsonError(streamed, 413, 'MessageTooLarge');
  await assert.rejects(hub.registry.get('streamed'), (err: Error) => err.name === 'DeviceNotFoundError');
  await stillServing(hub);
});

test('invalid device ids are a 400 that names the offending character', async (t) => {
  const hub = await startTestHub(t);
  const space = await hubRequest(hub, 'PUT', '/devices/a%20b', { body: {} });
  assertJsonError(space, 400, 'ArgumentInvalid');
  assert.match(space.text, /contains \\" \\"/);
  assertJsonError(await hubRequest(hub, 'GET', `/twins/${'x'.repeat(129)}`), 400, 'ArgumentInvalid');
  assertJsonError(await hubRequest(hub, 'GET', '/devices/%E0%A4%A'), 400, 'ArgumentInvalid');
  await assert.rejects(hub.registry.create({ deviceId: 'bad#id' }), (err: Error) => err.name === 'ArgumentError');
  await stillServing(hub);
});

test('unknown routes are 404, wrong methods 405 with Allow, a missing api-version 400', async (t) => {
  const hub = await startTestHub(t);
  assertJsonError(await hubRequest(hub, 'GET', '/nothing/here'), 404, 'NotFound');
  assertJsonError(await hubRequest(hub, 'GET', '/twins/a/modules/m/methods'), 404, 'NotFound');
  const wrong = await hubRequest(hub, 'PATCH', '/devices/dev-1', { body: {} });
  assertJsonError(wrong, 405, 'MethodNotAllowed');
  assert.equal(wrong.headers.allow, 'GET, PUT, DELETE');
  assertJsonError(await hubRequest(hub, 'GET', '/devices/', { apiVersion: false }), 400, 'InvalidProtocolVersion');
  await stillServing(hub);
});

test('a garbage request line gets 400 and the hub keeps serving', async (t) => {
  const hub = await startTestHub(t);
  const { connect } = await import('node:tls');
  const reply = await new Promise<string>((done, fail) => {
    const socket = connect({ host: '127.0.0.1', port: hub.httpsPort, ca: hub.caPem }, () => socket.write('NOT HTTP AT ALL\r\n\r\n'));
    let text = '';
    socket.on('data', (c) => (text += c));
    socket.on('end', () => done(text));
    socket.on('error', fail);
  });
  assert.match(reply, /^HTTP\/1\.1 400/);
  assert.match(reply, /Content-Type: application\/json/);
  assert.match(reply, /ErrorCode:ArgumentInvalid;/);
  await stillServing(hub);
});
