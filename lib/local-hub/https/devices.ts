/**
 * Identity registry routes (wire §2.3): PUT/GET/DELETE /devices/{id}, GET /devices/ (list), POST /devices
 * (bulk add/update/delete) and GET /statistics/devices. Disabling or deleting a device drops its connection.
 */
import { HubError } from '../errors';
import { isPlainObject } from '../twin-doc';
import type { IdentityInput, IfMatch } from '../store';
import type { DeviceIdentity, DeviceStatus, JsonObject } from '../types';
import { connectionOf, ifMatchOf, type Handler, type ServiceContext } from './context';
import { deviceJson } from './views';

const MAX_BULK = 100;

/** Reads the identity fields a client may set; the SDK sends empty keys when it wants them generated (wire §2.3). */
function identityInput(deviceId: string, body: unknown): IdentityInput | HubError {
  if (!isPlainObject(body)) return new HubError('ArgumentInvalid', 'The device must be a JSON object.');
  const input: IdentityInput = { deviceId };
  if (body.status !== undefined && body.status !== null) {
    if (body.status !== 'enabled' && body.status !== 'disabled') {
      return new HubError('ArgumentInvalid', 'status must be "enabled" or "disabled".');
    }
    input.status = body.status as DeviceStatus;
  }
  if (body.statusReason !== undefined) {
    if (body.statusReason !== null && typeof body.statusReason !== 'string') {
      return new HubError('ArgumentInvalid', 'statusReason must be a string.');
    }
    input.statusReason = body.statusReason as string | null;
  }
  const auth = body.authentication;
  if (auth !== undefined && auth !== null) {
    if (!isPlainObject(auth)) return new HubError('ArgumentInvalid', 'authentication must be an object.');
    const type = auth.type ?? 'sas';
    if (typeof type !== 'string' || type.toLowerCase() !== 'sas') {
      return new HubError('ArgumentInvalid', `authentication type "${String(type)}" is not supported by the local hub; use "sas".`);
    }
    const sym = auth.symmetricKey;
    if (sym !== undefined && sym !== null) {
      if (!isPlainObject(sym)) return new HubError('ArgumentInvalid', 'authentication.symmetricKey must be an object.');
      for (const [field, key] of [['primaryKey', 'primaryKey'], ['secondaryKey', 'secondaryKey']] as const) {
        const value = sym[field];
        if (value === undefined || value === null || value === '') continue;
        if (typeof value !== 'string') return new HubError('ArgumentInvalid', `authentication.symmetricKey.${field} must be a string.`);
        input[key] = value;
      }
    }
  }
  return input;
}

function afterStatusChange(ctx: ServiceContext, before: DeviceIdentity | undefined, after: DeviceIdentity): void {
  if (after.status === 'disabled' && before?.status !== 'disabled') ctx.gateway.disconnect(after.deviceId);
}

export const putDevice: Handler = ({ req, params, body, ctx }) => {
  const deviceId = params.deviceId as string;
  if (isPlainObject(body) && body.deviceId !== undefined && body.deviceId !== deviceId) {
    return new HubError('ArgumentInvalid', `The device id in the body (${String(body.deviceId)}) differs from the one in the path (${deviceId}).`);
  }
  const input = identityInput(deviceId, body);
  if (input instanceof HubError) return input;
  const ifMatch = ifMatchOf(req);
  // No If-Match means create (409 if it exists); If-Match means update (wire §2.3).
  if (ifMatch === undefined) {
    const created = ctx.store.createIdentity(input);
    if (created instanceof HubError) return created;
    if (created.status === 'disabled') ctx.gateway.disconnect(deviceId);
    return { status: 200, body: deviceJson(created, connectionOf(ctx, deviceId)) };
  }
  const before = ctx.store.getIdentity(deviceId);
  const updated = ctx.store.updateIdentity(input, ifMatch);
  if (updated instanceof HubError) return updated;
  afterStatusChange(ctx, before, updated);
  return { status: 200, body: deviceJson(updated, connectionOf(ctx, deviceId)) };
};

export const getDevice: Handler = ({ params, ctx }) => {
  const deviceId = params.deviceId as string;
  const identity = ctx.store.getIdentity(deviceId);
  if (!identity) return new HubError('DeviceNotFound', deviceId);
  return { status: 200, body: deviceJson(identity, connectionOf(ctx, deviceId)) };
};

export const deleteDevice: Handler = ({ req, params, ctx }) => {
  const deviceId = params.deviceId as string;
  const deleted = ctx.store.deleteIdentity(deviceId, ifMatchOf(req));
  if (deleted instanceof HubError) return deleted;
  ctx.gateway.disconnect(deviceId);
  return { status: 204 };
};

export const listDevices: Handler = ({ url, ctx }) => {
  const top = url.searchParams.get('top');
  let limit = Infinity;
  if (top !== null) {
    const n = Number(top);
    if (!Number.isInteger(n) || n < 1 || n > 1000) return new HubError('ArgumentInvalid', 'top must be a whole number from 1 to 1000.');
    limit = n;
  }
  const devices = ctx.store.listIdentities().slice(0, limit);
  return { status: 200, body: devices.map((d) => deviceJson(d, connectionOf(ctx, d.deviceId))) };
};

export const deviceStatistics: Handler = ({ ctx }) => ({ status: 200, body: ctx.store.statistics() });

type ImportMode = 'create' | 'update' | 'updateifmatchetag' | 'delete' | 'deleteifmatchetag';
const IMPORT_MODES: readonly string[] = ['create', 'update', 'updateifmatchetag', 'delete', 'deleteifmatchetag'];

interface BulkError {
  deviceId: string;
  errorCode: string;
  errorStatus: string;
}

/**
 * POST /devices: 1–100 entries `{id, importMode, status?, authentication?, eTag?}` (wire §2.3). Entries are
 * applied in one transaction; an entry that fails is reported in `errors` and the others still apply.
 */
export const bulkDevices: Handler = ({ body, ctx }) => {
  if (!Array.isArray(body)) return new HubError('ArgumentInvalid', 'The body must be a JSON array of devices.');
  if (body.length < 1 || body.length > MAX_BULK) {
    return new HubError('ArgumentInvalid', `A bulk request takes 1 to ${MAX_BULK} devices; it had ${body.length}.`);
  }
  const entries: Array<{ id: string; mode: ImportMode; entry: JsonObject }> = [];
  const seen = new Set<string>();
  for (const [index, entry] of body.entries()) {
    if (!isPlainObject(entry)) return new HubError('ArgumentInvalid', `Entry ${index} is not a JSON object.`);
    const id = entry.id ?? entry.deviceId;
    if (typeof id !== 'string') return new HubError('ArgumentNull', `Entry ${index} has no id.`);
    if (seen.has(id)) return new HubError('DeviceDefinedMultipleTimes', `The device ${id} appears more than once in the request.`);
    seen.add(id);
    const mode = typeof entry.importMode === 'string' ? entry.importMode.toLowerCase() : 'create';
    if (!IMPORT_MODES.includes(mode)) {
      return new HubError('ArgumentInvalid', `Entry ${index} has importMode "${String(entry.importMode)}"; use Create, Update, UpdateIfMatchETag, Delete or DeleteIfMatchETag.`);
    }
    entries.push({ id, mode: mode as ImportMode, entry });
  }

  const errors: BulkError[] = [];
  const disconnects: string[] = [];
  ctx.store.transaction(() => {
    for (const { id, mode, entry } of entries) {
      const etag: IfMatch = mode.endsWith('ifmatchetag') ? String(entry.eTag ?? entry.etag ?? '') : '*';
      let result: DeviceIdentity | HubError;
      if (mode === 'delete' || mode === 'deleteifmatchetag') {
        result = ctx.store.deleteIdentity(id, etag);
        if (!(result instanceof HubError)) disconnects.push(id);
      } else {
        const input = identityInput(id, entry);
        if (input instanceof HubError) result = input;
        else if (mode === 'create') result = ctx.store.createIdentity(input);
        else {
          const before = ctx.store.getIdentity(id);
          result = ctx.store.updateIdentity(input, etag);
          if (!(result instanceof HubError) && result.status === 'disabled' && before?.status !== 'disabled') disconnects.push(id);
        }
      }
      if (result instanceof HubError) errors.push({ deviceId: id, errorCode: result.code, errorStatus: result.message });
    }
  });
  for (const id of disconnects) ctx.gateway.disconnect(id);
  return { status: 200, body: { isSuccessful: errors.length === 0, errors, warnings: [] } };
};
