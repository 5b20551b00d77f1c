import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FrameGuard } from '../../lib/local-hub/mqtt/frame-guard';

/** An MQTT PUBLISH (QoS 0) with the given topic and body size. */
function publish(topic: string, bodySize: number): Buffer {
  const topicBytes = Buffer.from(topic);
  const remaining = 2 + topicBytes.length + bodySize;
  const length: number[] = [];
  let n = remaining;
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    length.push(byte);
  } while (n > 0);
  return Buffer.concat([
    Buffer.from([0x30, ...length, topicBytes.length >> 8, topicBytes.length & 0xff]),
    topicBytes,
    Buffer.alloc(bodySize, 0x61),
  ]);
}

test('packets within the limit pass, however they are split into chunks', () => {
  const stream = Buffer.concat([publish('a/b', 10), publish('c', 1000), Buffer.from([0xc0, 0x00]), publish('d', 1024)]);
  for (const size of [1, 2, 3, 7, 100, stream.length]) {
    const guard = new FrameGuard(1100);
    for (let i = 0; i < stream.length; i += size) assert.deepEqual(guard.feed(stream.subarray(i, i + size)), { ok: true }, `chunk ${size}`);
  }
});

test('a packet declaring more than the limit is reported from its header, with its topic', () => {
  const guard = new FrameGuard(1024);
  assert.deepEqual(guard.feed(publish('x', 10)), { ok: true });
  const big = publish('$iothub/methods/res/200/?$rid=1', 10 * 1024 * 1024);
  const verdict = guard.feed(big.subarray(0, 64));
  assert.equal(verdict.ok, false);
  assert.ok(!verdict.ok);
  assert.equal(verdict.packetType, 3);
  assert.equal(verdict.declaredLength, 2 + 31 + 10 * 1024 * 1024);
  assert.equal(verdict.topic, '$iothub/methods/res/200/?$rid=1');
});

test('the topic is omitted when the chunk ends before it', () => {
  const guard = new FrameGuard(10);
  const verdict = guard.feed(publish('a/long/topic', 100).subarray(0, 5));
  assert.ok(!verdict.ok);
  assert.equal(verdict.topic, undefined);
});

test('a remaining length longer than four bytes is malformed', () => {
  const guard = new FrameGuard(1 << 30);
  const verdict = guard.feed(Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01]));
  assert.ok(!verdict.ok);
  assert.match(verdict.reason, /malformed/);
});
