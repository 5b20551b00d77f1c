/**
 * CONNECT checks for a device (wire §1.2, §1.3, §4 "Emulator implementation rules"): the clientId is the device
 * id, the username starts with `<hostName>/<clientId>/?api-version=`, the password is a SAS token for
 * `<hostName>/devices/<clientId>` that has not expired and is signed with one of the device's keys or with a key
 * of a policy that grants DeviceConnect. Pure: the directory is read, nothing is written.
 */
import type { DeviceDirectory } from '../types';
import { nowSeconds, parseSasToken, verifyDeviceToken } from '../sas';

/** CONNACK return codes of MQTT 3.1.1 §3.2.2.3 that a refusal uses. */
export const CONNACK_BAD_CREDENTIALS = 4;
export const CONNACK_NOT_AUTHORIZED = 5;

export type ConnectVerdict =
  | { ok: true; deviceId: string; expiresAt: number; keyName?: string }
  | { ok: false; returnCode: typeof CONNACK_BAD_CREDENTIALS | typeof CONNACK_NOT_AUTHORIZED; reason: string };

export interface ConnectAttempt {
  clientId: string;
  username: string | undefined;
  password: Buffer | string | undefined;
}

function malformed(reason: string): ConnectVerdict {
  return { ok: false, returnCode: CONNACK_BAD_CREDENTIALS, reason };
}

function refused(reason: string): ConnectVerdict {
  return { ok: false, returnCode: CONNACK_NOT_AUTHORIZED, reason };
}

/** Decides whether a CONNECT may proceed. `now` is Unix seconds. */
export function checkDeviceConnect(
  attempt: ConnectAttempt,
  hostName: string,
  directory: DeviceDirectory,
  now: number = nowSeconds(),
): ConnectVerdict {
  const { clientId } = attempt;
  if (!clientId) return malformed('the client id is empty; it must be the device id');
  if (clientId.includes('/')) return refused(`module identities are not supported ("${clientId}")`);

  const username = attempt.username;
  if (typeof username !== 'string') return malformed('no username');
  const prefix = `${hostName}/${clientId}/`;
  if (username.slice(0, prefix.length).toLowerCase() !== prefix.toLowerCase() || !username.startsWith(`/${clientId}/`, hostName.length)) {
    return malformed(`the username does not start with "${prefix}"`);
  }
  const query = username.slice(prefix.length);
  if (!/^\?(?:.*&)?api-version=[^&]+/.test(query)) return malformed('the username has no ?api-version=');

  if (attempt.password === undefined) return malformed('no password (a SAS token is required)');
  const password = typeof attempt.password === 'string' ? attempt.password : attempt.password.toString('utf8');
  const token = parseSasToken(password);
  if (token instanceof Error) return malformed(`the password is not a SAS token: ${token.message}`);

  const identity = directory.getIdentity(clientId);
  if (!identity) return refused(`device "${clientId}" is not registered`);
  if (identity.status !== 'enabled') return refused(`device "${clientId}" is disabled`);

  const check = verifyDeviceToken(
    password,
    hostName,
    clientId,
    (keyName) => {
      if (keyName === undefined) return [identity.primaryKey, identity.secondaryKey];
      const policy = directory.getPolicy(keyName);
      if (!policy || !policy.rights.includes('DeviceConnect')) return undefined;
      return [policy.primaryKey, policy.secondaryKey];
    },
    now,
  );
  if (!check.ok) {
    const policyReason =
      token.keyName !== undefined && check.reason.startsWith('there is no policy')
        ? `there is no policy "${token.keyName}" with the DeviceConnect right`
        : check.reason;
    return refused(policyReason);
  }
  return { ok: true, deviceId: clientId, expiresAt: token.expiry, ...(token.keyName ? { keyName: token.keyName } : {}) };
}
