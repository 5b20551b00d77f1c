/**
 * Direct-method correlation: each call gets its own `$rid`; the device's answer on
 * `$iothub/methods/res/<status>/?$rid=<rid>` completes it, or the response timeout does (behaviour §1.1).
 * Only the device the call went to can complete it; a reconnected connection of that device still can.
 */
import { HubError } from '../errors';
import type { MethodResult } from '../types';

/** Direct-method request and response payloads are limited to 128 KB (behaviour §1.1). */
export const MAX_METHOD_PAYLOAD_BYTES = 128 * 1024;

interface PendingCall {
  deviceId: string;
  methodName: string;
  timer: NodeJS.Timeout;
  resolve: (result: MethodResult | HubError) => void;
}

export function responseTimeout(): HubError {
  return new HubError('GatewayTimeout', 'Timed out waiting for the response from device.');
}

/** `hh:mm:ss`, as the real hub writes `info.timeout` in 404103 (behaviour §1.1). */
export function formatTimeSpan(seconds: number): string {
  const total = Math.max(0, Math.floor(seconds));
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(Math.floor(total / 3600))}:${pad(Math.floor((total % 3600) / 60))}:${pad(total % 60)}`;
}

export function deviceNotOnline(connectTimeoutInSeconds: number): HubError {
  return new HubError('DeviceNotOnline', 'Timed out waiting for device to connect.', {
    timeout: formatTimeSpan(connectTimeoutInSeconds),
  });
}

/** 413 for the caller of a method whose response exceeds 128 KB (behaviour §1.1). */
export function methodResponseTooLarge(size: number): HubError {
  return new HubError(
    'MessageTooLarge',
    `The device's method response is ${size} bytes; a direct-method response may be at most ${MAX_METHOD_PAYLOAD_BYTES} bytes (128 KB).`,
    { size, limit: MAX_METHOD_PAYLOAD_BYTES },
  );
}

/**
 * The device's response body: JSON when it parses, else the text itself; empty means null. Over 128 KB is a
 * 413 for the caller (never 5xx or 429: the service SDK would retry and run the method twice, wire §2.4).
 */
export function parseMethodResponse(status: number, body: Buffer): MethodResult | HubError {
  if (body.length > MAX_METHOD_PAYLOAD_BYTES) return methodResponseTooLarge(body.length);
  const text = body.toString('utf8');
  if (text.trim() === '') return { status, payload: null };
  try {
    return { status, payload: JSON.parse(text) as unknown };
  } catch {
    return { status, payload: text };
  }
}

export class MethodCalls {
  private readonly pending = new Map<string, PendingCall>();
  private counter = 0;

  get size(): number {
    return this.pending.size;
  }

  /** Registers a call and starts its response timer; the caller publishes the request with the returned rid. */
  start(deviceId: string, methodName: string, responseTimeoutMs: number): { rid: string; result: Promise<MethodResult | HubError> } {
    this.counter += 1;
    const rid = this.counter.toString(16);
    const result = new Promise<MethodResult | HubError>((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(rid);
        resolve(responseTimeout());
      }, responseTimeoutMs);
      this.pending.set(rid, { deviceId, methodName, timer, resolve });
    });
    return { rid, result };
  }

  /**
   * Completes the call `rid` if it went to `deviceId`. Returns false for an unknown rid or another device's
   * call (which stays pending).
   */
  complete(deviceId: string, rid: string, outcome: MethodResult | HubError): boolean {
    const call = this.pending.get(rid);
    if (!call || call.deviceId !== deviceId) return false;
    this.pending.delete(rid);
    clearTimeout(call.timer);
    call.resolve(outcome);
    return true;
  }

  /** Ends every call with `outcome` (the endpoint is closing). */
  cancelAll(outcome: () => HubError): void {
    for (const [rid, call] of this.pending) {
      this.pending.delete(rid);
      clearTimeout(call.timer);
      call.resolve(outcome());
    }
  }
}
