/**
 * The local hub's errors: values with a stable code, the HTTP status and numeric IoT Hub error code the real
 * hub answers with (iothub-behaviour.md §1.1, troubleshoot-error-codes), and a message a person can act on.
 */

export const HUB_ERRORS = {
  ArgumentInvalid: { status: 400, numeric: 400004 },
  ArgumentNull: { status: 400, numeric: 400005 },
  InvalidProtocolVersion: { status: 400, numeric: 400001 },
  DeviceDefinedMultipleTimes: { status: 400, numeric: 400021 },
  IotHubUnauthorizedAccess: { status: 401, numeric: 401002 },
  IotHubUnauthorized: { status: 401, numeric: 401003 },
  Forbidden: { status: 403, numeric: 403000 },
  DeviceNotFound: { status: 404, numeric: 404001 },
  DeviceNotOnline: { status: 404, numeric: 404103 },
  NotFound: { status: 404, numeric: 404000 },
  MethodNotAllowed: { status: 405, numeric: 405000 },
  DeviceAlreadyExists: { status: 409, numeric: 409001 },
  PreconditionFailed: { status: 412, numeric: 412001 },
  MessageTooLarge: { status: 413, numeric: 413001 },
  UnsupportedMediaType: { status: 415, numeric: 415000 },
  GatewayTimeout: { status: 504, numeric: 504101 },
  ServerError: { status: 500, numeric: 500001 },
} as const;

export type HubErrorCode = keyof typeof HUB_ERRORS;

export class HubError extends Error {
  readonly code: HubErrorCode;
  readonly status: number;
  readonly numeric: number;
  readonly info: Record<string, unknown>;

  constructor(code: HubErrorCode, message: string, info: Record<string, unknown> = {}) {
    super(message);
    this.name = 'HubError';
    this.code = code;
    this.status = HUB_ERRORS[code].status;
    this.numeric = HUB_ERRORS[code].numeric;
    this.info = info;
  }
}

export function isHubError(value: unknown): value is HubError {
  return value instanceof HubError;
}
