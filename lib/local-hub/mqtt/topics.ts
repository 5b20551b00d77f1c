/**
 * IoT Hub MQTT topic names, parsed and formatted. Pure functions, no I/O.
 *
 * Device → hub (wire §1.4):
 * - `$iothub/twin/GET/?$rid=<rid>`                              twin read
 * - `$iothub/twin/PATCH/properties/reported/?$rid=<rid>`        reported-properties merge patch
 * - `$iothub/methods/res/<status>/?$rid=<rid>`                  direct-method response
 * - `devices/<id>/messages/events/<property bag>`               telemetry
 * Hub → device: method requests, twin responses and desired patches (formatters below).
 * Every `$iothub/...` name is the same for all devices, so the hub delivers each one to one connection.
 */

export type DeviceTopic =
  | { kind: 'twin-get'; rid: string }
  | { kind: 'twin-patch-reported'; rid: string }
  | { kind: 'method-response'; status: number; rid: string }
  | { kind: 'telemetry'; deviceId: string }
  | { kind: 'unknown'; reason: string };

const TWIN_GET = '$iothub/twin/GET/';
const TWIN_PATCH_REPORTED = '$iothub/twin/PATCH/properties/reported/';
const METHOD_RESPONSE = '$iothub/methods/res/';

/** The `?a=b&c=d` part of a topic as a map; values are URL-decoded, undecodable ones are kept as written. */
export function parseTopicQuery(query: string): Map<string, string> {
  const fields = new Map<string, string>();
  const body = query.startsWith('?') ? query.slice(1) : query;
  if (body === '') return fields;
  for (const part of body.split('&')) {
    const eq = part.indexOf('=');
    const name = eq < 0 ? part : part.slice(0, eq);
    const raw = eq < 0 ? '' : part.slice(eq + 1);
    let value = raw;
    try {
      value = decodeURIComponent(raw);
    } catch {
      // keep the raw text: a $rid is echoed back, not interpreted
    }
    if (name !== '' && !fields.has(name)) fields.set(name, value);
  }
  return fields;
}

/** Splits `<prefix>?<query>` where the query must follow directly (a trailing slash is part of the prefix). */
function ridAfter(topic: string, prefix: string): string | null {
  const rest = topic.slice(prefix.length);
  if (!rest.startsWith('?')) return null;
  const rid = parseTopicQuery(rest).get('$rid');
  return rid === undefined || rid === '' ? null : rid;
}

/** Classifies a topic a device published to. `unknown` carries why it is not one of the four. */
export function parseDeviceTopic(topic: string): DeviceTopic {
  if (topic.startsWith(TWIN_GET)) {
    const rid = ridAfter(topic, TWIN_GET);
    return rid === null ? { kind: 'unknown', reason: 'twin GET without a $rid' } : { kind: 'twin-get', rid };
  }
  if (topic.startsWith(TWIN_PATCH_REPORTED)) {
    const rid = ridAfter(topic, TWIN_PATCH_REPORTED);
    return rid === null
      ? { kind: 'unknown', reason: 'reported PATCH without a $rid' }
      : { kind: 'twin-patch-reported', rid };
  }
  if (topic.startsWith(METHOD_RESPONSE)) {
    const rest = topic.slice(METHOD_RESPONSE.length);
    const slash = rest.indexOf('/');
    const statusText = slash < 0 ? '' : rest.slice(0, slash);
    if (!/^-?\d{1,9}$/.test(statusText)) return { kind: 'unknown', reason: 'method response without a numeric status' };
    const rid = ridAfter(rest, `${statusText}/`);
    if (rid === null) return { kind: 'unknown', reason: 'method response without a $rid' };
    return { kind: 'method-response', status: Number(statusText), rid };
  }
  const telemetry = /^devices\/([^/]+)\/messages\/events(?:\/|$)/.exec(topic);
  if (telemetry?.[1] !== undefined) return { kind: 'telemetry', deviceId: telemetry[1] };
  return { kind: 'unknown', reason: 'not a topic a device may publish to' };
}

/** The topic filters a device may subscribe to (wire §1.4); module inputs are out of scope. */
export function allowedSubscriptions(deviceId: string): readonly string[] {
  return [
    METHODS_SUBSCRIPTION,
    TWIN_RESPONSES_SUBSCRIPTION,
    DESIRED_SUBSCRIPTION,
    `devices/${deviceId}/messages/devicebound/#`,
  ];
}

export const METHODS_SUBSCRIPTION = '$iothub/methods/POST/#';
export const TWIN_RESPONSES_SUBSCRIPTION = '$iothub/twin/res/#';
export const DESIRED_SUBSCRIPTION = '$iothub/twin/PATCH/properties/desired/#';

/** `$iothub/methods/POST/<name>/?$rid=<rid>`; the SDK takes the name from segment 4 (wire §1.4). */
export function methodRequestTopic(methodName: string, rid: string): string {
  return `$iothub/methods/POST/${methodName}/?$rid=${encodeURIComponent(rid)}`;
}

/** `$iothub/twin/res/<status>/?$rid=<rid>[&$version=<n>]` (wire §1.4). */
export function twinResponseTopic(status: number, rid: string, version?: number): string {
  const versionPart = version === undefined ? '' : `&$version=${version}`;
  return `$iothub/twin/res/${status}/?$rid=${encodeURIComponent(rid)}${versionPart}`;
}

/** `$iothub/twin/PATCH/properties/desired/?$version=<n>` (wire §1.4). */
export function desiredPatchTopic(version: number | undefined): string {
  return version === undefined
    ? '$iothub/twin/PATCH/properties/desired/'
    : `$iothub/twin/PATCH/properties/desired/?$version=${version}`;
}
