import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  allowedSubscriptions,
  desiredPatchTopic,
  methodRequestTopic,
  parseDeviceTopic,
  parseTopicQuery,
  twinResponseTopic,
} from '../../lib/local-hub/mqtt/topics';

test('twin GET and reported PATCH topics yield their $rid', () => {
  assert.deepEqual(parseDeviceTopic('$iothub/twin/GET/?$rid=0b1c'), { kind: 'twin-get', rid: '0b1c' });
  assert.deepEqual(parseDeviceTopic('$iothub/twin/PATCH/properties/reported/?$rid=7&$version=3'), {
    kind: 'twin-patch-reported',
    rid: '7',
  });
});

test('twin topics without a $rid are not accepted', () => {
  assert.equal(parseDeviceTopic('$iothub/twin/GET/').kind, 'unknown');
  assert.equal(parseDeviceTopic('$iothub/twin/GET/?$rid=').kind, 'unknown');
  assert.equal(parseDeviceTopic('$iothub/twin/PATCH/properties/reported/?x=1').kind, 'unknown');
  assert.equal(parseDeviceTopic('$iothub/twin/GET/extra?$rid=1').kind, 'unknown');
});

test('method responses carry a numeric status and a $rid, extra properties are ignored', () => {
  assert.deepEqual(parseDeviceTopic('$iothub/methods/res/200/?$rid=a1'), { kind: 'method-response', status: 200, rid: 'a1' });
  assert.deepEqual(parseDeviceTopic('$iothub/methods/res/404/?$rid=a%201&foo=bar'), {
    kind: 'method-response',
    status: 404,
    rid: 'a 1',
  });
  assert.equal(parseDeviceTopic('$iothub/methods/res/ok/?$rid=1').kind, 'unknown');
  assert.equal(parseDeviceTopic('$iothub/methods/res/200?$rid=1').kind, 'unknown');
  assert.equal(parseDeviceTopic('$iothub/methods/res/200/').kind, 'unknown');
});

test('telemetry topics name their device, with or without a property bag', () => {
  assert.deepEqual(parseDeviceTopic('devices/dev1/messages/events/'), { kind: 'telemetry', deviceId: 'dev1' });
  assert.deepEqual(parseDeviceTopic('devices/dev1/messages/events/%24.mid=m-1&a=b'), { kind: 'telemetry', deviceId: 'dev1' });
  assert.deepEqual(parseDeviceTopic('devices/dev1/messages/events'), { kind: 'telemetry', deviceId: 'dev1' });
  assert.equal(parseDeviceTopic('devices/dev1/messages/eventsx').kind, 'unknown');
});

test('hub-to-device and unrelated topics are not device topics', () => {
  for (const topic of [
    '$iothub/methods/POST/reboot/?$rid=1',
    '$iothub/twin/res/200/?$rid=1',
    '$iothub/twin/PATCH/properties/desired/?$version=2',
    'devices/dev1/messages/devicebound/x',
    '$SYS/anything',
    'random',
  ]) {
    assert.equal(parseDeviceTopic(topic).kind, 'unknown', topic);
  }
});

test('query strings decode values and keep the first of repeated names', () => {
  const fields = parseTopicQuery('?$rid=a%2Fb&$rid=2&flag&bad=%E0%A4%A');
  assert.equal(fields.get('$rid'), 'a/b');
  assert.equal(fields.get('flag'), '');
  assert.equal(fields.get('bad'), '%E0%A4%A');
});

test('hub-to-device topics are formatted as the SDK parses them', () => {
  assert.equal(methodRequestTopic('rebootDevice', '1f'), '$iothub/methods/POST/rebootDevice/?$rid=1f');
  assert.equal(twinResponseTopic(200, 'r1'), '$iothub/twin/res/200/?$rid=r1');
  assert.equal(twinResponseTopic(204, 'r1', 7), '$iothub/twin/res/204/?$rid=r1&$version=7');
  assert.equal(desiredPatchTopic(4), '$iothub/twin/PATCH/properties/desired/?$version=4');
  const parsed = parseDeviceTopic(twinResponseTopic(400, 'a b').replace('twin/res/400', 'methods/res/400'));
  assert.deepEqual(parsed, { kind: 'method-response', status: 400, rid: 'a b' });
});

test('a device may subscribe to the four documented filters, its own devicebound only', () => {
  assert.deepEqual(allowedSubscriptions('dev1'), [
    '$iothub/methods/POST/#',
    '$iothub/twin/res/#',
    '$iothub/twin/PATCH/properties/desired/#',
    'devices/dev1/messages/devicebound/#',
  ]);
});
