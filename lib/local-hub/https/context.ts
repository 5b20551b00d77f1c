/**
 * What every REST handler gets: the store, the device side (through the DeviceGateway seam) and the parsed
 * request. Handlers return a Reply or a HubError value; the server turns either into a JSON response.
 */
import type { IncomingMessage } from 'node:http';
import type { HubError } from '../errors';
import type { HubStore } from '../store';
import type { ConnectionInfo, DeviceGateway } from '../types';

export interface ServiceContext {
  hostName: string;
  store: HubStore;
  gateway: DeviceGateway;
  log?: (line: string) => void;
}

export interface HandlerRequest {
  req: IncomingMessage;
  url: URL;
  /** Decoded path parameters (deviceId). */
  params: Record<string, string>;
  /** Parsed JSON body for routes that take one. */
  body: unknown;
  ctx: ServiceContext;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Handler = (request: HandlerRequest) => Reply | HubError | Promise<Reply | HubError>;

const NEVER_CONNECTED = '0001-01-01T00:00:00Z';

/** The device side's view of a connection; a fault there shows as "Disconnected" rather than failing a read. */
export function connectionOf(ctx: ServiceContext, deviceId: string): ConnectionInfo {
  try {
    return ctx.gateway.connection(deviceId);
  } catch {
    return { state: 'Disconnected', stateUpdatedTime: NEVER_CONNECTED, lastActivityTime: NEVER_CONNECTED };
  }
}

/** The etag from If-Match without its quotes (the SDK quotes it, wire §2.3); undefined when absent. */
export function ifMatchOf(req: IncomingMessage): string | undefined {
  const raw = req.headers['if-match'];
  if (raw === undefined) return undefined;
  const value = raw.trim().replace(/^W\//, '');
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
}
