/**
 * How the local hub answers over REST. Every body is JSON with `Content-Type: application/json`, errors
 * included, because the SDK parses a body only with that content type and `Registry.getTwin` throws
 * synchronously on anything else (wire §2.1). Errors come in the two shapes the real hub uses (wire §2.4).
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { HubError } from '../errors';

export const JSON_TYPE = 'application/json; charset=utf-8';

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': JSON_TYPE,
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

function trackingId(): string {
  return randomUUID().replace(/-/g, '').toUpperCase();
}

/** The real hub's "MM/dd/yyyy HH:mm:ss" UTC timestamp inside ExceptionMessage. */
function hubTimestamp(date: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(date.getUTCMonth() + 1)}/${p(date.getUTCDate())}/${date.getUTCFullYear()} ${p(date.getUTCHours())}:${p(date.getUTCMinutes())}:${p(date.getUTCSeconds())}`;
}

/**
 * Classic registry error (wire §2.4): `Message` is "ErrorCode:<Code>;<text>", which the SDK splits into
 * code and message to pick its error class (DeviceNotFoundError, DeviceAlreadyExistsError, ...).
 */
export function classicErrorBody(err: HubError): { Message: string; ExceptionMessage: string } {
  return {
    Message: `ErrorCode:${err.code};${err.message}`,
    ExceptionMessage: `Tracking ID:${trackingId()}-G:0-TimeStamp:${hubTimestamp(new Date())}`,
  };
}

export function sendClassicError(res: ServerResponse, err: HubError, headers: Record<string, string> = {}): void {
  sendJson(res, err.status, classicErrorBody(err), { 'iothub-errorcode': err.code, ...headers });
}

/**
 * Direct-method error (wire §2.4, 404103 / 504101): `Message` holds a JSON *string* with the numeric code,
 * the header `iothub-errorcode` names it, and `ExceptionMessage` is empty.
 */
export function methodErrorBody(err: HubError): { Message: string; ExceptionMessage: string } {
  const inner = {
    errorCode: err.numeric,
    trackingId: trackingId(),
    message: err.message,
    info: err.info,
    timestampUtc: new Date().toISOString(),
  };
  return { Message: JSON.stringify(inner), ExceptionMessage: '' };
}

export function sendMethodError(res: ServerResponse, err: HubError): void {
  sendJson(res, err.status, methodErrorBody(err), { 'iothub-errorcode': err.code });
}
