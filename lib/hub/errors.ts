/**
 * Turns what azure-iothub (or the socket under it) throws into a DashboardError with a stable code and words a
 * person can act on. Pure: looks only at the error's name, code, status and body, so it needs no SDK import.
 */
import { DashboardError } from '../dashboard/errors';

export interface HubErrorContext {
  deviceId?: string;
  methodName?: string;
  /** The responseTimeoutInSeconds the method call used. */
  responseTimeoutS?: number;
  /** How long the method call had been under way when it failed. */
  elapsedMs?: number;
  hub?: { kind: 'azure' | 'local'; hostName: string };
}

interface SdkLikeError {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  responseBody?: unknown;
  response?: { statusCode?: unknown };
  statusCode?: unknown;
  cause?: unknown;
}

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'ECONNRESET', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);
const TLS_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'CERT_UNTRUSTED',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);
const TLS_MESSAGES = [
  /unable to verify the first certificate/i,
  /self[- ]signed certificate/i,
  /unable to get local issuer certificate/i,
  /Hostname\/IP does not match certificate's altnames/i,
  /certificate has expired/i,
];

/**
 * The numeric IoT Hub error code inside a response body: the current shape nests a JSON string in `Message`
 * ({"Message":"{\"errorCode\":404103,...}"}); the classic one is "ErrorCode:<Name>;<text>" (wire §2.4).
 */
export function hubErrorCodeOf(responseBody: unknown): { numeric: number | null; name: string | null } {
  if (typeof responseBody !== 'string' || responseBody === '') return { numeric: null, name: null };
  let outer: unknown;
  try {
    outer = JSON.parse(responseBody);
  } catch {
    return { numeric: null, name: null };
  }
  const message = (outer as { Message?: unknown } | null)?.Message;
  if (typeof message !== 'string') {
    const direct = (outer as { errorCode?: unknown } | null)?.errorCode;
    return { numeric: typeof direct === 'number' ? direct : null, name: null };
  }
  const classic = /^ErrorCode:([A-Za-z]+);/.exec(message);
  if (classic) return { numeric: null, name: classic[1] ?? null };
  try {
    const inner = JSON.parse(message) as { errorCode?: unknown };
    return { numeric: typeof inner?.errorCode === 'number' ? inner.errorCode : null, name: null };
  } catch {
    return { numeric: null, name: null };
  }
}

function statusOf(err: SdkLikeError): number | null {
  const status = err.response?.statusCode ?? err.statusCode;
  return typeof status === 'number' ? status : null;
}

/** The socket- or TLS-level code, also when wrapped in `cause`. */
function systemCodeOf(err: SdkLikeError): string | null {
  for (let current: SdkLikeError | undefined = err, depth = 0; current && depth < 4; current = current.cause as SdkLikeError | undefined, depth++) {
    if (typeof current.code === 'string') return current.code;
  }
  return null;
}

/** A method call may end with 504101 this much before its response timeout without that being early. */
const TIMEOUT_SLACK_MS = 1000;

/** Whether a method call that ended without an answer ended well before the hub's response timeout could run out. */
export function endedEarly(context: HubErrorContext): boolean {
  return context.elapsedMs !== undefined && context.responseTimeoutS !== undefined && context.elapsedMs < context.responseTimeoutS * 1000 - TIMEOUT_SLACK_MS;
}

function formatSeconds(ms: number): string {
  const value = ms / 1000;
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} seconds`;
}

/** A method call the hub ended early, after which the hub could not be reached: it went away mid-call. */
export function hubGoneDuringCall(context: HubErrorContext): DashboardError {
  const call = context.methodName ? `the "${context.methodName}" call` : 'the call';
  const to = context.deviceId ? ` to "${context.deviceId}"` : '';
  const after = context.elapsedMs !== undefined ? ` after ${formatSeconds(context.elapsedMs)}` : '';
  return new DashboardError(
    'HUB_UNREACHABLE',
    `${capitalize(hubName(context))} stopped during ${call}${to}: it ended the call${after} without the device's answer and cannot be reached since.`,
    'Start the hub again (npm run hub, or check the IoT hub in Azure). Whether the device got the request is unknown and it may still reboot: look at it before trying again.',
  );
}

function device(context: HubErrorContext): string {
  return context.deviceId ? `"${context.deviceId}"` : 'The device';
}

function hubName(context: HubErrorContext): string {
  return context.hub ? `the IoT hub at ${context.hub.hostName}` : 'the IoT hub';
}

export function mapHubError(error: unknown, context: HubErrorContext = {}): DashboardError {
  if (error instanceof DashboardError) return error;
  const err: SdkLikeError = typeof error === 'object' && error !== null ? (error as SdkLikeError) : { message: String(error) };
  const name = typeof err.name === 'string' ? err.name : '';
  const message = typeof err.message === 'string' ? err.message : '';
  const status = statusOf(err);
  const code = systemCodeOf(err);
  const body = hubErrorCodeOf(err.responseBody);

  // Offline: 404 with errorCode 404103 (DeviceNotOnline); the SDK reports a plain Error('Not found') (wire §2.4).
  if (body.numeric === 404103 || body.name === 'DeviceNotOnline') {
    return new DashboardError(
      'DEVICE_OFFLINE',
      `The device is offline: ${hubName(context)} could not reach ${context.deviceId ? `"${context.deviceId}"` : 'it'}, so nothing was sent.`,
      'Start the device (for the simulator: npm run simulate) and try again once it shows as Connected.',
    );
  }
  // No answer in time: 504 with errorCode 504101, surfaced as GatewayTimeoutError (wire §2.4).
  if (body.numeric === 504101 || name === 'GatewayTimeoutError' || name === 'DeviceTimeoutError' || status === 504 || status === 408) {
    if (endedEarly(context)) {
      // The hub's own timer cannot have run out yet: it gave up for another reason (a hub shutting down answers
      // its pending calls with 504101), so "did not answer within N seconds" would be untrue.
      return new DashboardError(
        'DEVICE_TIMEOUT',
        `${capitalize(hubName(context))} ended the${context.methodName ? ` "${context.methodName}"` : ''} call after ${formatSeconds(context.elapsedMs as number)}, before ${device(context).replace(/^The/, 'the')} answered and long before the ${context.responseTimeoutS} seconds it may wait.`,
        'The hub may have stopped or restarted. Whether the device got the request is unknown and it may still reboot: check the hub and the device before trying again.',
      );
    }
    const seconds = context.responseTimeoutS !== undefined ? `${context.responseTimeoutS} seconds` : 'the allowed time';
    return new DashboardError(
      'DEVICE_TIMEOUT',
      `${device(context)} did not answer within ${seconds}.`,
      `The device is connected but did not respond${context.methodName ? ` to the "${context.methodName}" method` : ''}: it may be busy, or it may not handle that method (see TWINBOARD_METHOD_NAME). It may still reboot.`,
    );
  }
  if (name === 'DeviceNotFoundError' || body.numeric === 404001 || body.name === 'DeviceNotFound') {
    return new DashboardError(
      'DEVICE_NOT_FOUND',
      `No device ${context.deviceId ? `"${context.deviceId}" ` : ''}is registered in ${hubName(context)}.`,
      'Check the device id, or register the device in the hub first.',
    );
  }
  if (status === 401 || name === 'UnauthorizedError') {
    return new DashboardError(
      'HUB_UNAUTHORIZED',
      `${capitalize(hubName(context))} refused the dashboard's credentials.`,
      'The SharedAccessKey is wrong or the policy lacks permissions: use the connection string of a policy with RegistryRead and ServiceConnect (e.g. iothubowner or service).',
    );
  }
  if (status === 403) {
    return new DashboardError(
      'HUB_UNAUTHORIZED',
      `${capitalize(hubName(context))} refused the request (403 Forbidden).`,
      'The policy may lack the RegistryRead or ServiceConnect permission, or the hub has reached a quota.',
    );
  }
  if ((code && TLS_CODES.has(code)) || TLS_MESSAGES.some((pattern) => pattern.test(message))) {
    const caFile = context.hub?.kind === 'local' ? 'the local hub\'s CA file (.local-hub/ca.pem)' : 'the PEM file of the CA that signed the hub\'s certificate';
    return new DashboardError(
      'HUB_CERT_UNTRUSTED',
      `The TLS certificate of ${hubName(context)} is not trusted${code ? ` (${code})` : ''}.`,
      `Set NODE_EXTRA_CA_CERTS to ${caFile} and restart the dashboard.`,
    );
  }
  if ((code && UNREACHABLE_CODES.has(code)) || /socket hang up/i.test(message)) {
    const hint =
      context.hub?.kind === 'local'
        ? 'Start the local hub with npm run hub (or npm run dev); the dashboard reconnects by itself.'
        : 'Check the HostName in IOTHUB_CONNECTION_STRING and this machine\'s network access to port 443.';
    return new DashboardError('HUB_UNREACHABLE', `${capitalize(hubName(context))} cannot be reached${code ? ` (${code})` : ''}.`, hint);
  }
  if (status === 429 || name === 'ThrottlingError') {
    return new DashboardError('HUB_UNREACHABLE', `${capitalize(hubName(context))} is throttling requests.`, 'Wait a moment; the dashboard retries on its own. A higher poll interval (TWINBOARD_POLL_INTERVAL_MS) costs fewer requests.');
  }
  if (status !== null && status >= 500) {
    return new DashboardError('HUB_UNREACHABLE', `${capitalize(hubName(context))} had an internal error (HTTP ${status}).`, 'Try again in a moment.');
  }
  return new DashboardError(
    'INTERNAL',
    status !== null ? `${capitalize(hubName(context))} answered with HTTP ${status}.` : `Talking to ${hubName(context)} failed.`,
    'Check the server log for details.',
    { cause: error },
  );
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
