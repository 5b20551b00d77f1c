import { test } from 'node:test';
import assert from 'node:assert/strict';
import { answerReportedPatch, answerTwinGet, MAX_REPORTED_PATCH_BYTES } from '../../lib/local-hub/mqtt/twin-requests';
import { MemoryDirectory } from '../helpers/mqtt-memory-directory';

test('GET answers 200 with desired and reported, each with its $version', () => {
  const directory = new MemoryDirectory();
  directory.addDevice('d');
  const answer = answerTwinGet(directory, 'd', 'r1');
  assert.equal(answer.topic, '$iothub/twin/res/200/?$rid=r1');
  assert.deepEqual(JSON.parse(answer.payload), { desired: { $version: 1 }, reported: { $version: 1 } });
});

test('a reported PATCH answers 204 with the new $version and an empty body', () => {
  const directory = new MemoryDirectory();
  directory.addDevice('d');
  const answer = answerReportedPatch(directory, 'd', 'r2', Buffer.from('{"rebootTime":"now"}'));
  assert.deepEqual(answer, { topic: '$iothub/twin/res/204/?$rid=r2&$version=2', payload: '' });
});

test('failures carry errorCode and message, because the SDK ignores the status', () => {
  const directory = new MemoryDirectory();
  directory.addDevice('d');
  const cases: Array<[Buffer, number, number]> = [
    [Buffer.from('{not json'), 400, 400004],
    [Buffer.from('[1,2]'), 400, 400004],
    [Buffer.from('null'), 400, 400004],
    [Buffer.from(JSON.stringify({ big: 'x'.repeat(MAX_REPORTED_PATCH_BYTES) })), 413, 413001],
  ];
  for (const [body, status, errorCode] of cases) {
    const answer = answerReportedPatch(directory, 'd', 'r3', body);
    assert.equal(answer.topic, `$iothub/twin/res/${status}/?$rid=r3`);
    const parsed = JSON.parse(answer.payload) as { errorCode: number; message: string };
    assert.equal(parsed.errorCode, errorCode);
    assert.ok(parsed.message.length > 0);
  }
  assert.deepEqual(directory.getDeviceTwin('d'), { desired: { $version: 1 }, reported: { $version: 1 } }, 'nothing was applied');
});

test('directory errors, thrown or returned, still answer the rid', () => {
  const directory = new MemoryDirectory();
  const missing = answerTwinGet(directory, 'ghost', 'r4');
  assert.equal(missing.topic, '$iothub/twin/res/404/?$rid=r4');
  assert.equal(JSON.parse(missing.payload).errorCode, 404001);
  directory.patchReported = () => {
    throw new Error('disk full');
  };
  directory.addDevice('d');
  const thrown = answerReportedPatch(directory, 'd', 'r5', Buffer.from('{}'));
  assert.equal(thrown.topic, '$iothub/twin/res/500/?$rid=r5');
  assert.match(JSON.parse(thrown.payload).message, /disk full/);
});
