import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decidePublish, isDeviceToHubTopic, isSubscriptionAllowed } from '../../lib/local-hub/mqtt/authorize';

test('a device publishes twin requests, method responses and its own telemetry', () => {
  assert.deepEqual(decidePublish('dev1', '$iothub/twin/GET/?$rid=1', 0), { action: 'twin-get', rid: '1' });
  assert.deepEqual(decidePublish('dev1', '$iothub/twin/PATCH/properties/reported/?$rid=2', 0), {
    action: 'twin-patch-reported',
    rid: '2',
  });
  assert.deepEqual(decidePublish('dev1', '$iothub/methods/res/200/?$rid=3', 0), { action: 'method-response', status: 200, rid: '3' });
  assert.deepEqual(decidePublish('dev1', 'devices/dev1/messages/events/a=b', 1), { action: 'telemetry' });
});

test("another device's telemetry topic, hub-to-device topics and unknown topics are refused", () => {
  for (const topic of [
    'devices/dev2/messages/events/',
    '$iothub/methods/POST/reboot/?$rid=1',
    '$iothub/twin/res/200/?$rid=1',
    '$iothub/twin/PATCH/properties/desired/?$version=1',
    'devices/dev1/messages/devicebound/',
    'anything/else',
  ]) {
    assert.equal(decidePublish('dev1', topic, 0).action, 'reject', topic);
  }
});

test('QoS 2 is refused even on an allowed topic', () => {
  const decision = decidePublish('dev1', 'devices/dev1/messages/events/', 2);
  assert.equal(decision.action, 'reject');
  assert.match((decision as { reason: string }).reason, /QoS 2/);
});

test('only the documented subscriptions are allowed', () => {
  assert.ok(isSubscriptionAllowed('dev1', '$iothub/methods/POST/#'));
  assert.ok(isSubscriptionAllowed('dev1', '$iothub/twin/res/#'));
  assert.ok(isSubscriptionAllowed('dev1', '$iothub/twin/PATCH/properties/desired/#'));
  assert.ok(isSubscriptionAllowed('dev1', 'devices/dev1/messages/devicebound/#'));
  assert.ok(!isSubscriptionAllowed('dev1', 'devices/dev2/messages/devicebound/#'));
  assert.ok(!isSubscriptionAllowed('dev1', '#'));
  assert.ok(!isSubscriptionAllowed('dev1', '$iothub/#'));
  assert.ok(!isSubscriptionAllowed('dev1', 'devices/+/messages/events/#'));
});

test('device-to-hub topics are recognised so the broker never forwards them', () => {
  assert.ok(isDeviceToHubTopic('devices/x/messages/events/'));
  assert.ok(isDeviceToHubTopic('$iothub/methods/res/200/?$rid=1'));
  assert.ok(!isDeviceToHubTopic('$iothub/methods/POST/m/?$rid=1'));
});
