/**
 * Checks a service connection string without the SDK (lib/hub is the only importer of azure-iothub). Parsing
 * follows the SDK's own rule: split on `;`, then on the first `=` (wire §1.1). Messages never echo the key.
 */

export interface ServiceConnectionStringParts {
  hostName: string;
  sharedAccessKeyName: string;
}

export type ConnectionStringCheck =
  | { ok: true; parts: ServiceConnectionStringParts }
  | { ok: false; problem: string };

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const HOST_NAME = /^[A-Za-z0-9.-]+$/;

export function parseServiceConnectionString(value: string): ConnectionStringCheck {
  const fields = new Map<string, string>();
  for (const part of value.trim().split(';')) {
    if (part === '') continue;
    const at = part.indexOf('=');
    if (at <= 0) return { ok: false, problem: `it has a part without "name=value" (near "${part.slice(0, 20)}")` };
    fields.set(part.slice(0, at), part.slice(at + 1));
  }
  // Service calls need all three (wire §2.2); a device connection string has DeviceId instead of a policy.
  const missing = ['HostName', 'SharedAccessKeyName', 'SharedAccessKey'].filter((name) => !fields.get(name));
  if (missing.length > 0) {
    const deviceHint = fields.has('DeviceId') ? ' (this looks like a device connection string; use a hub policy such as iothubowner or service)' : '';
    return { ok: false, problem: `it has no ${missing.map((m) => `${m}=...`).join(', ')}${deviceHint}` };
  }
  const hostName = fields.get('HostName') as string;
  if (!HOST_NAME.test(hostName)) {
    // HostName=host:port makes the SDK look up "host:port" in DNS (wire §2.1).
    return { ok: false, problem: `HostName "${hostName}" is not a plain host name (no port, scheme or path)` };
  }
  if (!BASE64.test(fields.get('SharedAccessKey') as string)) {
    return { ok: false, problem: 'SharedAccessKey is not base64' };
  }
  return { ok: true, parts: { hostName, sharedAccessKeyName: fields.get('SharedAccessKeyName') as string } };
}
