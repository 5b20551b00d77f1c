/**
 * POST /twins/{id}/methods (wire §2.3): validates the call, hands it to the device side and answers 200
 * `{status, payload}` with the device's own status. Errors keep the real hub's shapes (wire §2.4): 404103 and
 * 504101 with the inner JSON string. This route never answers 429, 500 or 503: Client.invokeDeviceMethod
 * retries those and would run the method (a reboot) again, so internal failures become 504101.
 */
import { HubError } from '../errors';
import { formatTimeSpan, MAX_METHOD_PAYLOAD_BYTES } from '../mqtt/methods';
import { isPlainObject } from '../twin-doc';
import type { MethodCall } from '../types';
import type { HandlerRequest, Reply } from './context';

/** The payload limit plus room for the other fields of the body. */
export const METHOD_BODY_LIMIT = MAX_METHOD_PAYLOAD_BYTES + 8 * 1024;

const MAX_METHOD_NAME = 256;

/** A whole number of seconds within [min, max], or the default when absent (behaviour §1.1). */
function seconds(body: Record<string, unknown>, field: string, fallback: number, min: number, max: number): number | HubError {
  const value = body[field];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    return new HubError('ArgumentInvalid', `${field} must be a whole number of seconds from ${min} to ${max}.`);
  }
  return value;
}

/** Reads the call; unknown body keys (such as the tutorial's timeoutInSeconds) are ignored (behaviour §0). */
export function methodCallOf(body: unknown): MethodCall | HubError {
  if (!isPlainObject(body)) return new HubError('ArgumentInvalid', 'The body must be a JSON object with methodName.');
  const { methodName } = body;
  if (typeof methodName !== 'string' || methodName.trim() === '') {
    return new HubError('ArgumentNull', 'methodName is required.');
  }
  if (methodName.length > MAX_METHOD_NAME || /[/#+$\s]/.test(methodName)) {
    return new HubError('ArgumentInvalid', `methodName must be at most ${MAX_METHOD_NAME} characters without /, #, +, $ or spaces.`);
  }
  const responseTimeoutInSeconds = seconds(body, 'responseTimeoutInSeconds', 30, 5, 300);
  if (responseTimeoutInSeconds instanceof HubError) return responseTimeoutInSeconds;
  const connectTimeoutInSeconds = seconds(body, 'connectTimeoutInSeconds', 0, 0, 300);
  if (connectTimeoutInSeconds instanceof HubError) return connectTimeoutInSeconds;
  const payload = body.payload === undefined ? null : body.payload;
  const size = Buffer.byteLength(JSON.stringify(payload));
  if (size > MAX_METHOD_PAYLOAD_BYTES) {
    return new HubError('MessageTooLarge', `The method payload is ${size} bytes; the limit is ${MAX_METHOD_PAYLOAD_BYTES} bytes.`);
  }
  return { methodName, payload, responseTimeoutInSeconds, connectTimeoutInSeconds };
}

/** Errors the device side may return, normalised so that none of them is retried by the SDK. */
export function methodError(err: HubError, call: MethodCall | undefined): HubError {
  if (err.code === 'DeviceNotOnline') {
    return new HubError('DeviceNotOnline', err.message || 'Timed out waiting for device to connect.', {
      timeout: formatTimeSpan(call?.connectTimeoutInSeconds ?? 0),
      ...err.info,
    });
  }
  if (err.status === 429 || err.status >= 500) {
    return new HubError('GatewayTimeout', err.code === 'GatewayTimeout' ? err.message : 'Timed out waiting for the response from device.', {});
  }
  return err;
}

export async function invokeMethod({ params, body, ctx }: HandlerRequest): Promise<Reply | HubError> {
  const deviceId = params.deviceId as string;
  const call = methodCallOf(body);
  if (call instanceof HubError) return call;
  const identity = ctx.store.getIdentity(deviceId);
  // A disabled device is answered like an unregistered one (behaviour §1.1, 404001).
  if (!identity || identity.status === 'disabled') return new HubError('DeviceNotFound', deviceId);
  const started = Date.now();
  const done = (outcome: string) =>
    ctx.log?.(`https: method ${call.methodName} on ${deviceId}: ${outcome} in ${Date.now() - started} ms`);
  let result;
  try {
    result = await ctx.gateway.invokeMethod(deviceId, call);
  } catch (err) {
    done(`failed inside the hub (${(err as Error).message})`);
    return methodError(new HubError('ServerError', 'Timed out waiting for the response from device.'), call);
  }
  if (result instanceof HubError) {
    const answer = methodError(result, call);
    done(`${answer.numeric} ${answer.code}`);
    return answer;
  }
  done(`device answered ${result.status}`);
  return { status: 200, body: { status: result.status, payload: result.payload ?? null } };
}
