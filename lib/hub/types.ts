/** What lib/hub hands to the rest of the dashboard: plain JSON, never an SDK object. */
import type { ConnectionState, MethodAnswer } from '../dashboard/types';

export interface HubTwin {
  deviceId: string;
  status: 'enabled' | 'disabled';
  connectionState: ConnectionState;
  /** null when the hub reports none (it sends 0001-01-01T00:00:00Z for "never"). */
  lastActivityTime: string | null;
  /** properties.reported without $metadata / $version. */
  reported: Record<string, unknown>;
  /** The twin as the hub returned it. */
  raw: Record<string, unknown>;
}

export interface MethodCall {
  methodName: string;
  payload?: unknown;
  responseTimeoutInSeconds: number;
  connectTimeoutInSeconds: number;
}

export type { MethodAnswer };
