/**
 * The dashboard server's errors: values with a stable DashboardErrorCode, a message a person can read and a hint
 * that says what to do. Route handlers turn them into an HTTP status and ApiErrorBody; the reboot action returns
 * them as ErrorInfo. Anything that is not a DashboardError becomes INTERNAL with a generic message, so internals
 * (stack traces, connection strings) never reach the browser.
 */
import type { ApiErrorBody, DashboardErrorCode, ErrorInfo } from './types';

/** The HTTP status a route handler answers with for each code. */
export const ERROR_STATUS: Record<DashboardErrorCode, number> = {
  INVALID_INPUT: 400,
  DEVICE_NOT_FOUND: 404,
  REBOOT_IN_PROGRESS: 409,
  DEVICE_OFFLINE: 409,
  DEVICE_ERROR: 502,
  HUB_UNAUTHORIZED: 502,
  HUB_CERT_UNTRUSTED: 502,
  HUB_UNREACHABLE: 503,
  CONFIG_INVALID: 503,
  DEVICE_TIMEOUT: 504,
  INTERNAL: 500,
};

// Next bundles server components and route handlers separately, so one process can hold two copies of this
// class while sharing errors through globalThis caches; the registry symbol is the same in both copies.
const DASHBOARD_ERROR = Symbol.for('twinboard.DashboardError');

export class DashboardError extends Error {
  readonly [DASHBOARD_ERROR] = true;
  readonly code: DashboardErrorCode;
  readonly hint: string | undefined;

  constructor(code: DashboardErrorCode, message: string, hint?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DashboardError';
    this.code = code;
    this.hint = hint;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }

  toInfo(): ErrorInfo {
    return this.hint ? { code: this.code, message: this.message, hint: this.hint } : { code: this.code, message: this.message };
  }
}

export function isDashboardError(value: unknown): value is DashboardError {
  return value instanceof DashboardError || (value instanceof Error && (value as unknown as Record<symbol, unknown>)[DASHBOARD_ERROR] === true);
}

/** Any thrown value as a DashboardError; unexpected ones become INTERNAL without leaking their text. */
export function asDashboardError(value: unknown): DashboardError {
  if (isDashboardError(value)) return value;
  return new DashboardError(
    'INTERNAL',
    'Something went wrong in the dashboard server.',
    'Check the server log for details; the page keeps retrying.',
    { cause: value },
  );
}

export function errorBody(error: DashboardError): ApiErrorBody {
  return { error: error.toInfo() };
}
