/**
 * Twin routes (wire §2.3): GET /twins/{id}, PATCH /twins/{id} (merge tags and desired), PUT /twins/{id}
 * (replace tags and desired), POST /devices/query. A desired change is pushed to the device as a delta with
 * its `$version` (wire §1.4) after it is committed.
 */
import { HubError } from '../errors';
import { compileQuery } from '../query';
import type { TwinRecord } from '../store';
import { checkSectionPatch, isPlainObject, type TwinChange } from '../twin-doc';
import type { JsonObject } from '../types';
import { connectionOf, ifMatchOf, type Handler, type ServiceContext } from './context';
import { twinJson } from './views';

const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 1000;

function render(ctx: ServiceContext, record: TwinRecord): JsonObject {
  return twinJson(record.identity, record.doc, connectionOf(ctx, record.identity.deviceId));
}

export const getTwin: Handler = ({ params, ctx }) => {
  const record = ctx.store.getTwin(params.deviceId as string);
  if (!record) return new HubError('DeviceNotFound', params.deviceId as string);
  return { status: 200, body: render(ctx, record) };
};

/** Reads `{tags?, properties: {desired?}}`; other top-level fields (deviceId, etag, ...) are ignored. */
function twinChange(body: unknown, mode: 'patch' | 'replace'): TwinChange | HubError {
  if (!isPlainObject(body)) return new HubError('ArgumentInvalid', 'The twin must be a JSON object.');
  const change: TwinChange = {};
  const properties = body.properties;
  if (properties !== undefined && properties !== null && !isPlainObject(properties)) {
    return new HubError('ArgumentInvalid', 'properties must be an object.');
  }
  if (isPlainObject(properties) && properties.reported !== undefined) {
    return new HubError('ArgumentInvalid', 'Reported properties can only be written by the device.');
  }
  const tags = body.tags;
  const desired = isPlainObject(properties) ? properties.desired : undefined;
  if (tags !== undefined && tags !== null) {
    const clean = checkSectionPatch('tags', tags);
    if (clean instanceof HubError) return clean;
    change.tags = { mode, value: clean };
  } else if (mode === 'replace') change.tags = { mode, value: {} };
  if (desired !== undefined && desired !== null) {
    const clean = checkSectionPatch('desired', desired);
    if (clean instanceof HubError) return clean;
    change.desired = { mode, value: clean };
  } else if (mode === 'replace') change.desired = { mode, value: {} };
  return change;
}

/** The delta a device gets for a desired change: the patch, or for a replace the new doc plus nulls for removed keys. */
function desiredDelta(change: TwinChange, before: JsonObject, after: TwinRecord): JsonObject | null {
  if (!change.desired) return null;
  const delta: JsonObject = {};
  if (change.desired.mode === 'replace') {
    for (const key of Object.keys(before)) delta[key] = null;
    Object.assign(delta, after.doc.desired.props);
  } else Object.assign(delta, change.desired.value);
  return { ...delta, $version: after.doc.desired.version };
}

function writeTwin(mode: 'patch' | 'replace'): Handler {
  return ({ req, params, body, ctx }) => {
    const deviceId = params.deviceId as string;
    const change = twinChange(body, mode);
    if (change instanceof HubError) return change;
    const before = ctx.store.getTwin(deviceId);
    if (!before) return new HubError('DeviceNotFound', deviceId);
    const after = ctx.store.changeTwin(deviceId, change, ifMatchOf(req));
    if (after instanceof HubError) return after;
    const delta = desiredDelta(change, before.doc.desired.props, after);
    if (delta) {
      try {
        ctx.gateway.pushDesired(deviceId, delta);
      } catch (err) {
        // The change is committed; a device that misses the push reads it with its next twin GET.
        ctx.log?.(`desired push to ${deviceId} failed: ${(err as Error).message}`);
      }
    }
    return { status: 200, body: render(ctx, after) };
  };
}

export const patchTwin = writeTwin('patch');
export const replaceTwin = writeTwin('replace');

function pageSizeOf(header: string | string[] | undefined): number | HubError {
  if (header === undefined) return DEFAULT_PAGE_SIZE;
  const n = Number(header);
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE_SIZE) {
    return new HubError('ArgumentInvalid', `x-ms-max-item-count must be a whole number from 1 to ${MAX_PAGE_SIZE}.`);
  }
  return n;
}

function offsetOf(header: string | string[] | undefined): number | HubError {
  if (header === undefined || header === '') return 0;
  const match = /^offset:(\d{1,9})$/.exec(Buffer.from(String(header), 'base64').toString('utf8'));
  if (!match) return new HubError('ArgumentInvalid', 'x-ms-continuation is not a token this hub issued.');
  return Number(match[1]);
}

/**
 * POST /devices/query with paging: `x-ms-continuation` is sent back only when another page exists, because
 * the SDK treats any header value, even an empty one, as "more results" (wire §2.3 pitfall).
 */
export const queryDevices: Handler = ({ req, body, ctx }) => {
  if (!isPlainObject(body)) return new HubError('ArgumentInvalid', 'The body must be {"query": "SELECT * FROM devices ..."}.');
  const predicate = compileQuery(body.query);
  if (predicate instanceof HubError) return predicate;
  const pageSize = pageSizeOf(req.headers['x-ms-max-item-count']);
  if (pageSize instanceof HubError) return pageSize;
  const offset = offsetOf(req.headers['x-ms-continuation']);
  if (offset instanceof HubError) return offset;
  const matches = ctx.store.allTwins().map((record) => render(ctx, record)).filter(predicate);
  const page = matches.slice(offset, offset + pageSize);
  const next = offset + pageSize;
  const headers: Record<string, string> = { 'x-ms-item-type': 'Twin' };
  if (next < matches.length) headers['x-ms-continuation'] = Buffer.from(`offset:${next}`).toString('base64');
  return { status: 200, body: page, headers };
};
