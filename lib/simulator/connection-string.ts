/**
 * Device connection strings: building one for a local-hub device, and checking one a user typed before the SDK
 * sees it, so that a malformed string gets a message naming what is wrong instead of an SDK stack trace.
 */
// Named imports from the package index fail under Node's ESM loader; the dist module works.
import * as ConnectionString from 'azure-iot-device/dist/connection_string';

/** The MQTT port the device SDK dials when the connection string names no port (wire §1.1). */
export const DEFAULT_MQTT_PORT = 8883;

/** Same rule as the local hub's deviceConnectionString: a non-default port travels in GatewayHostName (wire §1.1). */
export function deviceConnectionString(hostName: string, mqttPort: number, deviceId: string, key: string): string {
  const base = `HostName=${hostName};DeviceId=${deviceId};SharedAccessKey=${key}`;
  return mqttPort === DEFAULT_MQTT_PORT ? base : `${base};GatewayHostName=${hostName}:${mqttPort}`;
}

export interface DeviceConnectionInfo {
  hostName: string;
  /** Where the device dials: GatewayHostName (may carry a port) or HostName. */
  endpoint: string;
  deviceId: string;
}

export type ConnectionStringCheck = DeviceConnectionInfo | { code: 'CONNECTION_STRING_MALFORMED'; message: string };

/** Checks a device connection string; the SDK splits on ";" then on the first "=" (wire §1.1). */
export function checkDeviceConnectionString(value: string): ConnectionStringCheck {
  const malformed = (why: string) => ({
    code: 'CONNECTION_STRING_MALFORMED' as const,
    message:
      `the connection string is malformed: ${why}. A device connection string looks like ` +
      `"HostName=<hub>;DeviceId=<id>;SharedAccessKey=<base64 key>" (add ";GatewayHostName=<host>:<port>" for a hub on another MQTT port)`,
  });
  if (!value.trim()) return malformed('it is empty');
  const fields = new Map<string, string>();
  for (const part of value.split(';')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    if (eq <= 0) return malformed(`"${part.slice(0, 40)}" is not a Key=Value pair`);
    fields.set(part.slice(0, eq), part.slice(eq + 1));
  }
  if (!fields.has('DeviceId') && fields.has('SharedAccessKeyName')) {
    return malformed('it is a service (hub policy) connection string with no DeviceId; use a device connection string');
  }
  if (fields.get('x509')?.toLowerCase() === 'true') {
    return malformed('x509=true needs a device certificate, which the simulator does not take; use SharedAccessKey');
  }
  const key = fields.get('SharedAccessKey');
  if (key !== undefined && (!key || !/^[A-Za-z0-9+/]+={0,2}$/.test(key) || key.length % 4 !== 0)) {
    return malformed('SharedAccessKey is not base64');
  }
  let parsed: ReturnType<typeof ConnectionString.parse>;
  try {
    parsed = ConnectionString.parse(value);
  } catch (err) {
    return malformed((err as Error).message.replace(/^The connection string /, 'it '));
  }
  const hostName = parsed.HostName as string;
  const gateway = parsed.GatewayHostName;
  if (gateway !== undefined) {
    const port = /:(\d+)$/.exec(gateway)?.[1];
    if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) {
      return malformed(`GatewayHostName port ${port} is out of range`);
    }
  }
  return { hostName, endpoint: gateway || hostName, deviceId: parsed.DeviceId as string };
}

export function isConnectionStringError(value: ConnectionStringCheck): value is Extract<ConnectionStringCheck, { code: string }> {
  return 'code' in value;
}
