/**
 * The local hub's durable state in SQLite (`<dataDir>/hub.db`): shared access policies, device identities with
 * their keys, and twins. Implements the device side's DeviceDirectory. Every method that changes something
 * commits before it returns, so whatever the hub acknowledges has been handed to the database file.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { checkDeviceId } from './device-id';
import { HubError } from './errors';
import {
  applyTwinChange,
  checkSectionPatch,
  deviceTwinView,
  emptyTwin,
  etagOf,
  type TwinChange,
  type TwinDoc,
} from './twin-doc';
import type {
  DeviceDirectory,
  DeviceIdentity,
  DeviceStatus,
  DeviceTwinView,
  PolicyRight,
  SharedAccessPolicy,
} from './types';

/** The policies every IoT hub starts with (IoT Hub access-control docs), keys made on first start. */
export const DEFAULT_POLICIES: ReadonlyArray<{ keyName: string; rights: PolicyRight[] }> = [
  { keyName: 'iothubowner', rights: ['RegistryRead', 'RegistryWrite', 'ServiceConnect', 'DeviceConnect'] },
  { keyName: 'service', rights: ['ServiceConnect'] },
  { keyName: 'device', rights: ['DeviceConnect'] },
  { keyName: 'registryRead', rights: ['RegistryRead'] },
  { keyName: 'registryReadWrite', rights: ['RegistryRead', 'RegistryWrite'] },
];

/** What a caller may set on an identity; omitted keys are generated, omitted status means enabled. */
export interface IdentityInput {
  deviceId: string;
  status?: DeviceStatus;
  statusReason?: string | null;
  primaryKey?: string;
  secondaryKey?: string;
}

/** "*" or absent matches anything; otherwise the etag must be the current one (quotes already removed). */
export type IfMatch = string | undefined;

export function newKey(): string {
  return randomBytes(32).toString('base64');
}

/** A symmetric key must be base64 of 16 to 64 bytes (identity-registry devguide). */
function checkKey(name: string, key: string): HubError | null {
  const bytes = Buffer.from(key, 'base64');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(key) || bytes.toString('base64') !== key || bytes.length < 16 || bytes.length > 64) {
    return new HubError('ArgumentInvalid', `The ${name} must be base64 of 16 to 64 bytes.`);
  }
  return null;
}

/** Identity etags look like the real hub's: base64 of a random decimal fraction. */
function newIdentityEtag(): string {
  return Buffer.from(`0.${randomInt(1_000_000, 9_999_999)}`).toString('base64');
}

function newGenerationId(): string {
  return `638${randomInt(100_000_000, 999_999_999)}${randomInt(100_000, 999_999)}`;
}

function etagMatches(ifMatch: IfMatch, current: string): boolean {
  return ifMatch === undefined || ifMatch === '*' || ifMatch === current;
}

interface DeviceRow {
  device_id: string;
  generation_id: string;
  etag: string;
  status: DeviceStatus;
  status_reason: string | null;
  status_updated_time: string;
  primary_key: string;
  secondary_key: string;
}

function identityOf(row: DeviceRow): DeviceIdentity {
  return {
    deviceId: row.device_id,
    generationId: row.generation_id,
    etag: row.etag,
    status: row.status,
    statusReason: row.status_reason,
    statusUpdatedTime: row.status_updated_time,
    primaryKey: row.primary_key,
    secondaryKey: row.secondary_key,
  };
}

export interface TwinRecord {
  identity: DeviceIdentity;
  doc: TwinDoc;
}

function prepareStatements(db: Database.Database) {
return {
    policies: db.prepare('SELECT key_name, primary_key, secondary_key, rights FROM policies'),
    insertPolicy: db.prepare('INSERT INTO policies (key_name, primary_key, secondary_key, rights) VALUES (?, ?, ?, ?)'),
    device: db.prepare('SELECT * FROM devices WHERE device_id = ?'),
    devices: db.prepare('SELECT * FROM devices ORDER BY rowid'),
    countDevices: db.prepare("SELECT count(*) AS total, sum(status = 'enabled') AS enabled FROM devices"),
    insertDevice: db.prepare(
      `INSERT INTO devices (device_id, generation_id, etag, status, status_reason, status_updated_time, primary_key, secondary_key)
       VALUES (@device_id, @generation_id, @etag, @status, @status_reason, @status_updated_time, @primary_key, @secondary_key)`,
    ),
    updateDevice: db.prepare(
      `UPDATE devices SET etag = @etag, status = @status, status_reason = @status_reason,
       status_updated_time = @status_updated_time, primary_key = @primary_key, secondary_key = @secondary_key
       WHERE device_id = @device_id`,
    ),
    deleteDevice: db.prepare('DELETE FROM devices WHERE device_id = ?'),
    twin: db.prepare('SELECT doc FROM twins WHERE device_id = ?'),
    twins: db.prepare(
      'SELECT d.*, t.doc FROM devices d JOIN twins t ON t.device_id = d.device_id ORDER BY d.rowid',
    ),
    insertTwin: db.prepare('INSERT INTO twins (device_id, doc) VALUES (?, ?)'),
    updateTwin: db.prepare('UPDATE twins SET doc = ? WHERE device_id = ?'),
  };
}

export class HubStore implements DeviceDirectory {
  private readonly db: Database.Database;
  private readonly policyCache = new Map<string, SharedAccessPolicy>();
  private readonly stmt: ReturnType<typeof prepareStatements>;
  private closed = false;

  /** Opens (and on first use creates) `<dataDir>/hub.db`. Throws if the directory cannot be used. */
  static open(dataDir: string): HubStore {
    mkdirSync(dataDir, { recursive: true });
    return new HubStore(new Database(join(dataDir, 'hub.db')));
  }

  private constructor(db: Database.Database) {
    this.db = db;
    db.pragma('journal_mode = WAL');
    // synchronous=NORMAL in WAL mode: each commit is written to the WAL file before the statement returns,
    // so a crash of this process (kill -9) cannot lose an acknowledged write; only an OS crash or power
    // loss could drop the last commits before a checkpoint. FULL would fsync every commit (every reported
    // patch of a whole fleet) to also cover power loss, which a local development hub does not need.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.exec(`
      CREATE TABLE IF NOT EXISTS policies (
        key_name TEXT PRIMARY KEY, primary_key TEXT NOT NULL, secondary_key TEXT NOT NULL, rights TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS devices (
        device_id TEXT PRIMARY KEY, generation_id TEXT NOT NULL, etag TEXT NOT NULL, status TEXT NOT NULL,
        status_reason TEXT, status_updated_time TEXT NOT NULL, primary_key TEXT NOT NULL, secondary_key TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS twins (
        device_id TEXT PRIMARY KEY REFERENCES devices(device_id) ON DELETE CASCADE, doc TEXT NOT NULL);
    `);
    this.stmt = prepareStatements(db);
    this.ensurePolicies();
  }

  private ensurePolicies(): void {
    this.db.transaction(() => {
      const existing = new Set((this.stmt.policies.all() as Array<{ key_name: string }>).map((r) => r.key_name));
      for (const policy of DEFAULT_POLICIES) {
        if (existing.has(policy.keyName)) continue;
        this.stmt.insertPolicy.run(policy.keyName, newKey(), newKey(), JSON.stringify(policy.rights));
      }
    })();
    for (const row of this.stmt.policies.all() as Array<Record<string, string>>) {
      this.policyCache.set(row.key_name as string, {
        keyName: row.key_name as string,
        primaryKey: row.primary_key as string,
        secondaryKey: row.secondary_key as string,
        rights: JSON.parse(row.rights as string) as PolicyRight[],
      });
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }

  /* Policies */

  getPolicy(keyName: string): SharedAccessPolicy | undefined {
    return this.policyCache.get(keyName);
  }

  /* Identities */

  getIdentity(deviceId: string): DeviceIdentity | undefined {
    const row = this.stmt.device.get(deviceId) as DeviceRow | undefined;
    return row ? identityOf(row) : undefined;
  }

  listIdentities(): DeviceIdentity[] {
    return (this.stmt.devices.all() as DeviceRow[]).map(identityOf);
  }

  statistics(): { totalDeviceCount: number; enabledDeviceCount: number; disabledDeviceCount: number } {
    const row = this.stmt.countDevices.get() as { total: number; enabled: number | null };
    const enabled = row.enabled ?? 0;
    return { totalDeviceCount: row.total, enabledDeviceCount: enabled, disabledDeviceCount: row.total - enabled };
  }

  private checkInput(input: IdentityInput): HubError | null {
    const idError = checkDeviceId(input.deviceId);
    if (idError) return idError;
    if (input.status !== undefined && input.status !== 'enabled' && input.status !== 'disabled') {
      return new HubError('ArgumentInvalid', 'status must be "enabled" or "disabled".');
    }
    if (input.primaryKey) {
      const err = checkKey('primary key', input.primaryKey);
      if (err) return err;
    }
    if (input.secondaryKey) {
      const err = checkKey('secondary key', input.secondaryKey);
      if (err) return err;
    }
    return null;
  }

  /** Creates an identity and its empty twin; 409 DeviceAlreadyExists if the id is taken. */
  createIdentity(input: IdentityInput): DeviceIdentity | HubError {
    const err = this.checkInput(input);
    if (err) return err;
    return this.db.transaction((): DeviceIdentity | HubError => {
      if (this.stmt.device.get(input.deviceId)) {
        return new HubError('DeviceAlreadyExists', `A device with id ${input.deviceId} already exists.`);
      }
      const now = new Date().toISOString();
      const row: DeviceRow = {
        device_id: input.deviceId,
        generation_id: newGenerationId(),
        etag: newIdentityEtag(),
        status: input.status ?? 'enabled',
        status_reason: input.statusReason ?? null,
        status_updated_time: now,
        primary_key: input.primaryKey || newKey(),
        secondary_key: input.secondaryKey || newKey(),
      };
      this.stmt.insertDevice.run(row);
      this.stmt.insertTwin.run(input.deviceId, JSON.stringify(emptyTwin(now)));
      return identityOf(row);
    })();
  }

  /** Updates status and keys (empty keys keep the current ones); 404 if missing, 412 on an etag mismatch. */
  updateIdentity(input: IdentityInput, ifMatch: IfMatch): DeviceIdentity | HubError {
    const err = this.checkInput(input);
    if (err) return err;
    return this.db.transaction((): DeviceIdentity | HubError => {
      const current = this.stmt.device.get(input.deviceId) as DeviceRow | undefined;
      if (!current) return new HubError('DeviceNotFound', input.deviceId);
      if (!etagMatches(ifMatch, current.etag)) {
        return new HubError('PreconditionFailed', `The etag ${ifMatch} does not match the device's etag ${current.etag}.`);
      }
      const status = input.status ?? current.status;
      const row: DeviceRow = {
        ...current,
        etag: newIdentityEtag(),
        status,
        status_reason: input.statusReason === undefined ? current.status_reason : input.statusReason,
        status_updated_time: status === current.status ? current.status_updated_time : new Date().toISOString(),
        primary_key: input.primaryKey || current.primary_key,
        secondary_key: input.secondaryKey || current.secondary_key,
      };
      this.stmt.updateDevice.run(row);
      return identityOf(row);
    })();
  }

  /** Deletes an identity and its twin; 404 if missing, 412 on an etag mismatch. */
  deleteIdentity(deviceId: string, ifMatch: IfMatch): DeviceIdentity | HubError {
    return this.db.transaction((): DeviceIdentity | HubError => {
      const current = this.stmt.device.get(deviceId) as DeviceRow | undefined;
      if (!current) return new HubError('DeviceNotFound', deviceId);
      if (!etagMatches(ifMatch, current.etag)) {
        return new HubError('PreconditionFailed', `The etag ${ifMatch} does not match the device's etag ${current.etag}.`);
      }
      this.stmt.deleteDevice.run(deviceId);
      return identityOf(current);
    })();
  }

  /** Runs `fn` in one transaction (bulk registry operations commit together). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  /* Twins */

  getTwin(deviceId: string): TwinRecord | undefined {
    const row = this.stmt.device.get(deviceId) as DeviceRow | undefined;
    if (!row) return undefined;
    const twin = this.stmt.twin.get(deviceId) as { doc: string } | undefined;
    return { identity: identityOf(row), doc: twin ? (JSON.parse(twin.doc) as TwinDoc) : emptyTwin(row.status_updated_time) };
  }

  allTwins(): TwinRecord[] {
    return (this.stmt.twins.all() as Array<DeviceRow & { doc: string }>).map((row) => ({
      identity: identityOf(row),
      doc: JSON.parse(row.doc) as TwinDoc,
    }));
  }

  /**
   * Applies an already validated change to a twin: 404 if the device is missing, 412 if `ifMatch` is not the
   * twin's current etag, 400 if a size limit would be exceeded.
   */
  changeTwin(deviceId: string, change: TwinChange, ifMatch?: IfMatch): TwinRecord | HubError {
    return this.db.transaction((): TwinRecord | HubError => {
      const current = this.getTwin(deviceId);
      if (!current) return new HubError('DeviceNotFound', deviceId);
      const etag = etagOf(current.doc.etagVersion);
      if (!etagMatches(ifMatch, etag)) {
        return new HubError('PreconditionFailed', `The etag ${ifMatch} does not match the twin's etag ${etag}.`);
      }
      const next = applyTwinChange(current.doc, change, new Date().toISOString());
      if (next instanceof HubError) return next;
      this.stmt.updateTwin.run(JSON.stringify(next), deviceId);
      return { identity: current.identity, doc: next };
    })();
  }

  /* DeviceDirectory (the device side) */

  getDeviceTwin(deviceId: string): DeviceTwinView | HubError {
    const twin = this.getTwin(deviceId);
    if (!twin) return new HubError('DeviceNotFound', deviceId);
    return deviceTwinView(twin.doc);
  }

  patchReported(deviceId: string, patch: unknown): { version: number } | HubError {
    const clean = checkSectionPatch('reported', patch);
    if (clean instanceof HubError) return clean;
    const result = this.changeTwin(deviceId, { reported: { mode: 'patch', value: clean } });
    if (result instanceof HubError) return result;
    return { version: result.doc.reported.version };
  }
}
