/**
 * Device twins from the hub as plain HubTwin values: the whole fleet with one paged query, or one twin by id.
 */
import { getHubClients, type HubClients } from './clients';
import { mapHubError } from './errors';
import { countHubRequest } from './metrics';
import type { HubTwin } from './types';

/** The hub's own maximum page size for twin queries (behaviour §1.3). */
export const QUERY_PAGE_SIZE = 1000;
/** A stop for a hub that keeps sending continuation tokens: 1000 pages of 1000 is the hub's device limit. */
const MAX_PAGES = 1000;
const NEVER = /^0001-01-01/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reshapes one twin JSON; null for items without a deviceId (the hub never sends those for this query). */
export function toHubTwin(json: unknown): HubTwin | null {
  if (!isRecord(json) || typeof json.deviceId !== 'string' || json.deviceId === '') return null;
  const properties = isRecord(json.properties) ? json.properties : {};
  const reported: Record<string, unknown> = {};
  if (isRecord(properties.reported)) {
    for (const [key, value] of Object.entries(properties.reported)) {
      if (!key.startsWith('$')) reported[key] = value;
    }
  }
  const lastActivity = typeof json.lastActivityTime === 'string' && !NEVER.test(json.lastActivityTime) ? json.lastActivityTime : null;
  return {
    deviceId: json.deviceId,
    status: json.status === 'disabled' ? 'disabled' : 'enabled',
    // The twin spells it Connected/Disconnected; the deprecated Device class lowercases it (wire §3).
    connectionState: typeof json.connectionState === 'string' && json.connectionState.toLowerCase() === 'connected' ? 'Connected' : 'Disconnected',
    lastActivityTime: lastActivity,
    reported,
    raw: json,
  };
}

/** Every twin with `SELECT * FROM devices`, page by page; one hub request per page. */
export async function queryTwins(clients?: HubClients): Promise<HubTwin[]> {
  const { registry, target } = clients ?? getHubClients();
  const context = { hub: { kind: target.kind, hostName: target.hostName } };
  const query = registry.createQuery('SELECT * FROM devices', QUERY_PAGE_SIZE);
  const twins: HubTwin[] = [];
  let token: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    countHubRequest('queryPages');
    let items: unknown;
    try {
      // The token must be passed: Query.next() without arguments sends none and restarts at page 1, although
      // it remembers the token the hub sent (azure-iothub 1.16 dist/query.js).
      items = (await (token === undefined ? query.next() : query.next(token))).result;
    } catch (err) {
      throw mapHubError(err, context);
    }
    if (Array.isArray(items)) {
      for (const item of items) {
        const twin = toHubTwin(item);
        if (twin) twins.push(twin);
      }
    }
    // An empty continuation header restarts the query from page 1 (wire §2.3), so it also ends the loop.
    if (!query.hasMoreResults || !query.continuationToken) break;
    token = query.continuationToken;
  }
  twins.sort((a, b) => a.deviceId.localeCompare(b.deviceId));
  return twins;
}

/** One twin, fresh from the hub (GET /twins/{id}). */
export async function readTwin(deviceId: string, clients?: HubClients): Promise<HubTwin> {
  const { registry, target } = clients ?? getHubClients();
  countHubRequest('twinReads');
  let json: unknown;
  try {
    const { responseBody } = await registry.getTwin(deviceId);
    // The SDK's Twin carries a registry reference; its toJSON leaves that out.
    json = JSON.parse(JSON.stringify(responseBody));
  } catch (err) {
    throw mapHubError(err, { deviceId, hub: { kind: target.kind, hostName: target.hostName } });
  }
  const twin = toHubTwin(json);
  if (!twin) throw mapHubError(new Error('The hub returned a twin without a deviceId.'), { deviceId });
  return twin;
}
