/**
 * Shared access signature tokens, as IoT Hub and its SDKs build them. Pure functions: parsing and verifying
 * return a value or an Error and never throw; nothing here touches the clock except through `nowSeconds`.
 *
 * Rules (iothub-wire-protocol.md):
 * - Format `SharedAccessSignature sr=<sr>&sig=<sig>[&skn=<keyName>]&se=<expiry>` (wire §1.3, §2.2).
 * - sig = urlencode(base64(HMAC-SHA256(base64decode(key), <sr as it appears in the token> + "\n" + se))).
 *   The HMAC covers the sr exactly as written in the token, encoded or not (wire §1.3).
 * - Service tokens carry the raw HostName as sr and the policy name as skn (wire §2.2).
 * - Device tokens carry strict-urlencode(`<host>/devices/<deviceId>`) as sr (wire §1.3).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface SasToken {
  /** The resource URI exactly as written in the token (the HMAC input). */
  sr: string;
  /** The resource URI, URL-decoded. */
  resource: string;
  /** The signature, URL-decoded (base64). */
  signature: string;
  /** The policy name, when the token was signed with a hub-level policy key. */
  keyName?: string;
  /** Expiry in Unix seconds. */
  expiry: number;
}

const PREFIX = 'SharedAccessSignature ';

/** encodeURIComponent plus the characters it leaves alone but the SDK escapes: ! ' ( ) * (wire §1.3). */
export function strictEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

function safeDecode(value: string): string | null {
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}

/** Parses a token; an Error says which part is missing or malformed. */
export function parseSasToken(token: string): SasToken | Error {
  if (typeof token !== 'string' || !token.startsWith(PREFIX)) {
    return new Error('the token does not start with "SharedAccessSignature "');
  }
  const fields = new Map<string, string>();
  for (const part of token.slice(PREFIX.length).trim().split('&')) {
    const eq = part.indexOf('=');
    if (eq <= 0) return new Error(`the token has a malformed field "${part.slice(0, 40)}"`);
    const name = part.slice(0, eq);
    if (fields.has(name)) return new Error(`the token has field "${name}" twice`);
    fields.set(name, part.slice(eq + 1));
  }
  const sr = fields.get('sr');
  const sig = fields.get('sig');
  const se = fields.get('se');
  if (!sr) return new Error('the token has no sr (resource URI)');
  if (!sig) return new Error('the token has no sig (signature)');
  if (!se) return new Error('the token has no se (expiry)');
  if (!/^\d{1,12}$/.test(se)) return new Error('the token expiry (se) is not a whole number of seconds');
  const resource = safeDecode(sr);
  const signature = safeDecode(sig);
  if (resource === null || signature === null) return new Error('the token is not properly URL-encoded');
  const skn = fields.get('skn');
  const keyName = skn === undefined ? undefined : safeDecode(skn);
  if (keyName === null) return new Error('the token is not properly URL-encoded');
  return { sr, resource, signature, ...(keyName ? { keyName } : {}), expiry: Number(se) };
}

/** base64(HMAC-SHA256(base64decode(key), sr + "\n" + se)), not URL-encoded. */
export function sign(keyBase64: string, sr: string, expiry: number): string {
  return createHmac('sha256', Buffer.from(keyBase64, 'base64')).update(`${sr}\n${expiry}`).digest('base64');
}

/** True when the token's signature was made with one of `keys` (constant-time per key). */
export function signedWithOneOf(token: SasToken, keys: readonly string[]): boolean {
  const given = Buffer.from(token.signature, 'utf8');
  let match = false;
  for (const key of keys) {
    if (!key) continue;
    const expected = Buffer.from(sign(key, token.sr, token.expiry), 'utf8');
    if (expected.length === given.length && timingSafeEqual(expected, given)) match = true;
  }
  return match;
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** Why a token is refused: its shape, its resource, its expiry or its signature. */
export type SasCheck = { ok: true; token: SasToken } | { ok: false; reason: string };

/**
 * Checks a service token (wire §2.2): sr names this hub (host names compare case-insensitively), it has not
 * expired, and it was signed with a key of the policy it names. `policyKeys` returns the policy's keys or
 * undefined for an unknown policy.
 */
export function verifyServiceToken(
  header: string | undefined,
  hostName: string,
  policyKeys: (keyName: string) => readonly string[] | undefined,
  now = nowSeconds(),
): SasCheck {
  if (!header) return { ok: false, reason: 'no Authorization header' };
  const token = parseSasToken(header);
  if (token instanceof Error) return { ok: false, reason: token.message };
  if (token.resource.toLowerCase() !== hostName.toLowerCase()) {
    return { ok: false, reason: `the token is for "${token.resource}", not this hub "${hostName}"` };
  }
  if (token.expiry <= now) return { ok: false, reason: 'the token has expired' };
  if (!token.keyName) return { ok: false, reason: 'the token names no policy (skn)' };
  const keys = policyKeys(token.keyName);
  if (!keys) return { ok: false, reason: `there is no shared access policy "${token.keyName}"` };
  if (!signedWithOneOf(token, keys)) return { ok: false, reason: `the signature does not match policy "${token.keyName}"` };
  return { ok: true, token };
}

/**
 * Checks a device token (wire §1.3): the decoded sr is `<hostName>/devices/<deviceId>`, it has not expired,
 * and it was signed with one of `keys` (the device's keys, or those of the policy named by skn).
 */
export function verifyDeviceToken(
  password: string,
  hostName: string,
  deviceId: string,
  keys: (keyName: string | undefined) => readonly string[] | undefined,
  now = nowSeconds(),
): SasCheck {
  const token = parseSasToken(password);
  if (token instanceof Error) return { ok: false, reason: token.message };
  const expected = `${hostName}/devices/${deviceId}`;
  if (token.resource.toLowerCase() !== expected.toLowerCase() || !token.resource.endsWith(`/devices/${deviceId}`)) {
    return { ok: false, reason: `the token is for "${token.resource}", not "${expected}"` };
  }
  if (token.expiry <= now) return { ok: false, reason: 'the token has expired' };
  const candidates = keys(token.keyName);
  if (!candidates) return { ok: false, reason: token.keyName ? `there is no policy "${token.keyName}"` : 'unknown device' };
  if (!signedWithOneOf(token, candidates)) return { ok: false, reason: 'the signature does not match' };
  return { ok: true, token };
}

function build(sr: string, keyBase64: string, expiry: number, keyName?: string): string {
  const sig = strictEncode(sign(keyBase64, sr, expiry));
  return `${PREFIX}sr=${sr}&sig=${sig}${keyName ? `&skn=${strictEncode(keyName)}` : ''}&se=${expiry}`;
}

/** A service token as azure-iothub makes it: raw host name as sr (wire §2.2). */
export function createServiceToken(hostName: string, keyName: string, keyBase64: string, expiry = nowSeconds() + 3600): string {
  return build(hostName, keyBase64, expiry, keyName);
}

/** A device token as azure-iot-device makes it: strictly encoded `<host>/devices/<id>` as sr (wire §1.3). */
export function createDeviceToken(
  hostName: string,
  deviceId: string,
  keyBase64: string,
  expiry = nowSeconds() + 3600,
  keyName?: string,
): string {
  return build(strictEncode(`${hostName}/devices/${deviceId}`), keyBase64, expiry, keyName);
}
