/**
 * Turns what the device SDK or the service SDK reports when a connection fails into one sentence that says what is
 * wrong and what to do. The SDK's own wording is misleading in places (wire §1.1: an untrusted CA surfaces as
 * "UnauthorizedError ... Not authorized").
 */

export type ConnectionProblemCode =
  | 'HUB_UNREACHABLE'
  | 'HOST_NOT_FOUND'
  | 'CA_NOT_TRUSTED'
  | 'CERT_HOST_MISMATCH'
  | 'NOT_AUTHORIZED'
  | 'DEVICE_NOT_FOUND'
  | 'TIMEOUT'
  | 'DUPLICATE_CONNECTION'
  | 'UNKNOWN';

export interface ConnectionProblem {
  code: ConnectionProblemCode;
  message: string;
}

function errorText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const parts = [err.name, err.message];
  const withCode = err as Error & { code?: unknown; cause?: unknown; transportError?: unknown; responseBody?: unknown };
  if (typeof withCode.code === 'string') parts.push(withCode.code);
  for (const inner of [withCode.cause, withCode.transportError]) {
    if (inner !== undefined && inner !== err) parts.push(errorText(inner));
  }
  if (typeof withCode.responseBody === 'string') parts.push(withCode.responseBody);
  return parts.join(' ');
}

/**
 * `where` names the endpoint in the message (e.g. "localhost:8883"); `local` says whether the hub is our local
 * one, which decides whether "npm run hub" is the advice.
 */
export function explainConnectionError(err: unknown, where: string, local: boolean): ConnectionProblem {
  const text = errorText(err);
  if (/ECONNREFUSED/.test(text)) {
    return {
      code: 'HUB_UNREACHABLE',
      message: local
        ? `cannot reach the hub at ${where} (connection refused): is the hub running? start it with npm run hub`
        : `cannot reach the hub at ${where} (connection refused): check the host name and port`,
    };
  }
  if (/ENOTFOUND|EAI_AGAIN/.test(text)) {
    return { code: 'HOST_NOT_FOUND', message: `the hub host in ${where} does not resolve: check HostName/GatewayHostName` };
  }
  if (/unable to verify the first certificate|self[- ]signed certificate|unable to get (local )?issuer certificate|UNABLE_TO_VERIFY_LEAF_SIGNATURE|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN/i.test(text)) {
    return {
      code: 'CA_NOT_TRUSTED',
      message:
        `the hub's TLS certificate at ${where} is not trusted: trust the hub's CA with --ca <file> or NODE_EXTRA_CA_CERTS=<file>` +
        (local ? ' (the local hub writes it to .local-hub/; see caFile in hub.json)' : ''),
    };
  }
  if (/ERR_TLS_CERT_ALTNAME_INVALID|does not match certificate's altnames|Hostname\/IP does not match/i.test(text)) {
    return {
      code: 'CERT_HOST_MISMATCH',
      message: `the hub's certificate does not cover the host name in ${where}: use a host name the certificate names (e.g. localhost or 127.0.0.1)`,
    };
  }
  if (/DeviceNotFound/i.test(text)) {
    return { code: 'DEVICE_NOT_FOUND', message: `the device is not registered on the hub at ${where}` };
  }
  if (/Not authorized|Unauthorized|Bad username or password|IotHubUnauthorizedAccess/i.test(text)) {
    return {
      code: 'NOT_AUTHORIZED',
      message: `the hub at ${where} refused the credentials (not authorized): check the device id and SharedAccessKey`,
    };
  }
  if (/timeout|timed out|ETIMEDOUT/i.test(text)) {
    return { code: 'TIMEOUT', message: `no answer from the hub at ${where} (timed out): check the host, the port and any firewall` };
  }
  return { code: 'UNKNOWN', message: `connection to ${where} failed: ${err instanceof Error ? err.message : String(err)}` };
}
