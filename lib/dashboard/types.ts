/**
 * What the dashboard's server sends to its browser: plain JSON, no SDK objects, no secrets. The GET route
 * handlers and the reboot server action return these shapes; the SWR hooks and components read them.
 *
 * Routes (all GET, JSON, `Cache-Control: no-store`):
 *   /api/devices                       -> DeviceListResponse
 *   /api/devices/{deviceId}            -> DeviceDetailResponse (404 with ApiErrorBody when unknown)
 *   /api/devices/{deviceId}/history    -> RebootHistoryResponse
 * Any failure answers with an HTTP error status and ApiErrorBody.
 */

export type ConnectionState = 'Connected' | 'Disconnected';

/** Where a reboot stands. The first four are in flight; the rest are final. */
export type RebootPhase =
  | 'requested' // recorded, direct method call under way
  | 'answered' // the device answered 2xx; waiting for it to go offline
  | 'offline' // the device went offline after answering
  | 'back' // the device is online again; waiting for the reported reboot time
  | 'confirmed' // a new reboot time was reported
  | 'failed' // the method call failed (see RebootEntry.error)
  | 'unconfirmed' // no new reboot time was reported in time
  | 'unknown'; // the dashboard stopped while the call was in flight

export type RebootSource = 'dashboard' | 'external';

export interface MethodAnswer {
  status: number;
  payload: unknown;
}

/** One reboot in a device's history. Times are ISO 8601 strings. */
export interface RebootEntry {
  id: string;
  deviceId: string;
  /** 'external': a reported reboot time that changed without the dashboard asking. */
  source: RebootSource;
  phase: RebootPhase;
  requestedAt: string | null;
  answeredAt: string | null;
  answer: MethodAnswer | null;
  wentOfflineAt: string | null;
  cameBackAt: string | null;
  reportedRebootTime: string | null;
  /** From the request to the new reported reboot time, when both are known. */
  durationMs: number | null;
  error: ErrorInfo | null;
}

export interface DeviceSummary {
  deviceId: string;
  status: 'enabled' | 'disabled';
  connectionState: ConnectionState;
  lastActivityTime: string | null;
  /** The reported reboot time (rebootTime, or the Node tutorial's iothubDM.reboot.lastReboot). */
  lastRebootTime: string | null;
  /** The newest reboot the dashboard is tracking for this device, if any is in flight or just finished. */
  reboot: RebootEntry | null;
}

export interface DeviceListResponse {
  devices: DeviceSummary[];
  /** When the hub was read. */
  fetchedAt: string;
}

export interface DeviceDetailResponse {
  device: DeviceSummary;
  /** The twin as the hub returns it (tags, desired and reported properties with $metadata). */
  twin: Record<string, unknown>;
}

export interface RebootHistoryResponse {
  deviceId: string;
  /** Newest first. */
  entries: RebootEntry[];
}

/** Stable codes the UI turns into words; `message` is already readable, `hint` says what to do. */
export type DashboardErrorCode =
  | 'DEVICE_OFFLINE' // 404103
  | 'DEVICE_TIMEOUT' // 504101
  | 'DEVICE_NOT_FOUND'
  | 'DEVICE_ERROR' // the device answered with a non-2xx status
  | 'REBOOT_IN_PROGRESS'
  | 'HUB_UNREACHABLE'
  | 'HUB_UNAUTHORIZED' // wrong key or policy
  | 'HUB_CERT_UNTRUSTED'
  | 'CONFIG_INVALID' // e.g. a malformed connection string
  | 'INVALID_INPUT'
  | 'INTERNAL';

export interface ErrorInfo {
  code: DashboardErrorCode;
  message: string;
  hint?: string;
}

export interface ApiErrorBody {
  error: ErrorInfo;
}

/** What the reboot server action returns (it never throws for an expected failure). */
export type RebootActionState =
  | { ok: true; message: string; entry: RebootEntry }
  | { ok: false; message: string; error: ErrorInfo; entry: RebootEntry | null }
  | null;

/** What the pages need to know about the dashboard's configuration (nothing secret). */
export interface DashboardSettings {
  /** How often the browser polls the GET routes. */
  pollIntervalMs: number;
  /** The direct method invoked to reboot a device. */
  methodName: string;
  /** The reported property path holding the reboot time. */
  rebootProperty: string;
  /** Host name of the hub the dashboard talks to (never the connection string); null when none is configured. */
  hubHostName: string | null;
  hubKind: 'azure' | 'local' | null;
  /** Set when the configuration is incomplete or invalid: the pages show it, and polling continues. */
  configError: ErrorInfo | null;
}
