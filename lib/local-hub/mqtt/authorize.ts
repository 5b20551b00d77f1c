/**
 * What a connected device may publish and subscribe to (wire §1.4, §4 "Emulator implementation rules";
 * behaviour §1.10). Pure decisions; the endpoint acts on them.
 */
import { allowedSubscriptions, parseDeviceTopic } from './topics';

export type PublishDecision =
  | { action: 'twin-get'; rid: string }
  | { action: 'twin-patch-reported'; rid: string }
  | { action: 'method-response'; status: number; rid: string }
  | { action: 'telemetry' }
  | { action: 'reject'; reason: string };

/**
 * A device publishes only twin GET, reported PATCH, method responses and its own telemetry. Anything else,
 * another device's topics and QoS 2 included, is refused and the connection closed, as the real hub does.
 */
export function decidePublish(deviceId: string, topic: string, qos: number): PublishDecision {
  // behaviour §1.10: IoT Hub does not support QoS 2 and closes the connection.
  if (qos === 2) return { action: 'reject', reason: `QoS 2 publish to "${topic}" (IoT Hub supports QoS 0 and 1)` };
  const parsed = parseDeviceTopic(topic);
  switch (parsed.kind) {
    case 'twin-get':
      return { action: 'twin-get', rid: parsed.rid };
    case 'twin-patch-reported':
      return { action: 'twin-patch-reported', rid: parsed.rid };
    case 'method-response':
      return { action: 'method-response', status: parsed.status, rid: parsed.rid };
    case 'telemetry':
      return parsed.deviceId === deviceId
        ? { action: 'telemetry' }
        : { action: 'reject', reason: `telemetry on another device's topic "${topic}"` };
    case 'unknown':
      return { action: 'reject', reason: `${parsed.reason}: "${topic}"` };
  }
}

/** The topic filter is one of the documented ones for this device (wire §1.4); others are negated (SUBACK 128). */
export function isSubscriptionAllowed(deviceId: string, filter: string): boolean {
  return allowedSubscriptions(deviceId).includes(filter);
}

/**
 * Topics a device publishes to the hub. The hub consumes them itself; the broker must never forward them to
 * another connection (wire §1.4: topic names carry no device scope).
 */
export function isDeviceToHubTopic(topic: string): boolean {
  return parseDeviceTopic(topic).kind !== 'unknown';
}
