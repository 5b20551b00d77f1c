/**
 * The reboot history of one hub: one SQLite database (better-sqlite3, WAL) in the dashboard's data directory
 * (lib/history/file-name.ts names the file of each hub).
 * - reboots: every reboot the dashboard asked for or noticed, newest first per device. A reboot is written before
 *   the hub is called and updated as it progresses; rows are never deleted.
 * - device_state: what each device looked like at the last poll (connection state, reported reboot time), so a
 *   change can be told apart from the first sighting.
 * At most one reboot per device is in flight; a partial unique index makes that hold across requests, tabs and
 * processes, and the check-and-insert runs in one IMMEDIATE transaction.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { ConnectionState, ErrorInfo, MethodAnswer, RebootEntry, RebootPhase, RebootSource } from '../dashboard/types';

export const IN_FLIGHT_PHASES: readonly RebootPhase[] = ['requested', 'answered', 'offline', 'back'];
const ALL_PHASES: readonly RebootPhase[] = [...IN_FLIGHT_PHASES, 'confirmed', 'failed', 'unconfirmed', 'unknown'];
export const HISTORY_FILE = 'history.sqlite';
const SCHEMA_VERSION = 1;

/** A history entry plus what the tracker needs that the browser does not. */
export interface StoredReboot extends RebootEntry {
  /** The reported reboot time before the request; a newer one confirms the reboot. */
  baselineRebootTime: string | null;
  updatedAt: string;
}

export type RebootPatch = Partial<Omit<StoredReboot, 'id' | 'deviceId' | 'source' | 'updatedAt'>>;

export interface DeviceState {
  deviceId: string;
  connectionState: ConnectionState | null;
  rebootTime: string | null;
  /** When this state (connection and reboot time) was first seen. */
  seenAt: string;
}

export type BeginResult = { ok: true; entry: StoredReboot } | { ok: false; inFlight: StoredReboot };

interface RebootRow {
  id: string;
  device_id: string;
  source: string;
  phase: string;
  requested_at: string | null;
  answered_at: string | null;
  answer: string | null;
  went_offline_at: string | null;
  came_back_at: string | null;
  reported_reboot_time: string | null;
  baseline_reboot_time: string | null;
  duration_ms: number | null;
  error: string | null;
  updated_at: string;
}

const COLUMNS: Record<keyof RebootPatch, keyof RebootRow> = {
  phase: 'phase',
  requestedAt: 'requested_at',
  answeredAt: 'answered_at',
  answer: 'answer',
  wentOfflineAt: 'went_offline_at',
  cameBackAt: 'came_back_at',
  reportedRebootTime: 'reported_reboot_time',
  baselineRebootTime: 'baseline_reboot_time',
  durationMs: 'duration_ms',
  error: 'error',
};

const SCHEMA = `
CREATE TABLE IF NOT EXISTS reboots (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  device_id TEXT NOT NULL,
  source TEXT NOT NULL,
  phase TEXT NOT NULL,
  requested_at TEXT,
  answered_at TEXT,
  answer TEXT,
  went_offline_at TEXT,
  came_back_at TEXT,
  reported_reboot_time TEXT,
  baseline_reboot_time TEXT,
  duration_ms INTEGER,
  error TEXT,
  updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS reboots_by_device ON reboots (device_id, seq);
CREATE UNIQUE INDEX IF NOT EXISTS one_reboot_in_flight ON reboots (device_id)
  WHERE phase IN ('requested', 'answered', 'offline', 'back');
CREATE TABLE IF NOT EXISTS device_state (
  device_id TEXT PRIMARY KEY,
  connection_state TEXT,
  reboot_time TEXT,
  seen_at TEXT NOT NULL
);
`;

function parseJson<T>(text: string | null): T | null {
  if (text === null) return null;
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
}

function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** A row as an entry; damaged fields read as null (or phase 'unknown') instead of failing the page. */
function toStored(row: RebootRow): StoredReboot {
  const answer = parseJson<MethodAnswer>(row.answer);
  const error = parseJson<ErrorInfo>(row.error);
  return {
    id: String(row.id),
    deviceId: String(row.device_id),
    source: row.source === 'external' ? 'external' : 'dashboard',
    phase: ALL_PHASES.includes(row.phase as RebootPhase) ? (row.phase as RebootPhase) : 'unknown',
    requestedAt: str(row.requested_at),
    answeredAt: str(row.answered_at),
    answer: answer && typeof answer === 'object' && typeof answer.status === 'number' ? { status: answer.status, payload: answer.payload ?? null } : null,
    wentOfflineAt: str(row.went_offline_at),
    cameBackAt: str(row.came_back_at),
    reportedRebootTime: str(row.reported_reboot_time),
    durationMs: typeof row.duration_ms === 'number' && Number.isFinite(row.duration_ms) ? row.duration_ms : null,
    error: error && typeof error === 'object' && typeof error.code === 'string' && typeof error.message === 'string' ? error : null,
    baselineRebootTime: str(row.baseline_reboot_time),
    updatedAt: String(row.updated_at),
  };
}

/** The browser's view of a stored entry. */
export function toEntry(stored: StoredReboot): RebootEntry {
  const { baselineRebootTime: _baseline, updatedAt: _updated, ...entry } = stored;
  return entry;
}

function toColumnValue(key: keyof RebootPatch, value: unknown): unknown {
  if (key === 'answer' || key === 'error') return value === null || value === undefined ? null : JSON.stringify(value);
  return value ?? null;
}

function isCorruption(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT' || (typeof code === 'string' && code.startsWith('SQLITE_CORRUPT'));
}

export class HistoryStore {
  readonly file: string;
  /** Where a damaged database was moved to when this store opened, if it had to. */
  readonly setAside: string | null;
  private readonly db: Database.Database;
  /** Compiled statements by SQL text: a poll runs the same few statements for every device. */
  private readonly statements = new Map<string, Database.Statement>();

  private constructor(file: string, db: Database.Database, setAside: string | null) {
    this.file = file;
    this.db = db;
    this.setAside = setAside;
  }

  /**
   * Opens (or creates) the history file `fileName` in `dir`. A file that is not a readable SQLite database is renamed aside,
   * never deleted, and a fresh history starts. Reboots still 'requested' were cut off by a stop of the dashboard
   * mid-call: they become 'unknown'.
   */
  static open(dir: string, now: Date = new Date(), fileName: string = HISTORY_FILE): HistoryStore {
    // The data directory is chosen at run time; it is not part of the build's file tracing.
    mkdirSync(/*turbopackIgnore: true*/ dir, { recursive: true });
    const file = join(dir, fileName);
    let setAside: string | null = null;
    let db: Database.Database;
    try {
      db = HistoryStore.prepare(file);
    } catch (err) {
      if (!isCorruption(err)) throw err;
      setAside = `${file}.damaged-${now.toISOString().replace(/[:.]/g, '-')}`;
      for (const suffix of ['', '-wal', '-shm']) {
        if (existsSync(/*turbopackIgnore: true*/ file + suffix)) renameSync(/*turbopackIgnore: true*/ file + suffix, setAside + suffix);
      }
      db = HistoryStore.prepare(file);
    }
    const store = new HistoryStore(file, db, setAside);
    store.markInterrupted(now);
    return store;
  }

  private static prepare(file: string): Database.Database {
    const db = new Database(file);
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('busy_timeout = 5000');
      db.pragma('synchronous = NORMAL');
      db.exec(SCHEMA);
      const version = db.pragma('user_version', { simple: true });
      if (typeof version === 'number' && version < SCHEMA_VERSION) db.pragma(`user_version = ${SCHEMA_VERSION}`);
      return db;
    } catch (err) {
      db.close();
      throw err;
    }
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private markInterrupted(now: Date): number {
    const error: ErrorInfo = {
      code: 'INTERNAL',
      message: 'The dashboard stopped while this reboot request was under way, so whether the device got it is unknown.',
    };
    return this
      .statement("UPDATE reboots SET phase = 'unknown', error = ?, updated_at = ? WHERE phase = 'requested'")
      .run(JSON.stringify(error), now.toISOString()).changes;
  }

  /**
   * Records a new dashboard reboot in phase 'requested', unless one is already in flight for the device; the
   * check and the insert are one transaction, so two concurrent requests cannot both start a reboot.
   */
  beginReboot(deviceId: string, now: Date, baselineRebootTime: string | null): BeginResult {
    const begin = this.db.transaction((): BeginResult => {
      const inFlight = this.inFlight(deviceId);
      if (inFlight) return { ok: false, inFlight };
      const id = randomUUID();
      const at = now.toISOString();
      this.statement(
          "INSERT INTO reboots (id, device_id, source, phase, requested_at, baseline_reboot_time, updated_at) VALUES (?, ?, 'dashboard', 'requested', ?, ?, ?)",
      ).run(id, deviceId, at, baselineRebootTime, at);
      return { ok: true, entry: this.get(id) as StoredReboot };
    });
    try {
      return begin.immediate();
    } catch (err) {
      // Another process won the race between our check and insert: the partial unique index refused the row.
      if ((err as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
        const inFlight = this.inFlight(deviceId);
        if (inFlight) return { ok: false, inFlight };
      }
      throw err;
    }
  }

  /** Records a reboot the device reported without the dashboard asking (source 'external', already confirmed). */
  addExternal(deviceId: string, reportedRebootTime: string, now: Date, previousRebootTime: string | null): StoredReboot {
    const id = randomUUID();
    this
      .statement(
        "INSERT INTO reboots (id, device_id, source, phase, reported_reboot_time, baseline_reboot_time, updated_at) VALUES (?, ?, 'external', 'confirmed', ?, ?, ?)",
      )
      .run(id, deviceId, reportedRebootTime, previousRebootTime, now.toISOString());
    return this.get(id) as StoredReboot;
  }

  /**
   * Applies `patch` if the entry is still in one of `fromPhases` (all phases when omitted); returns the updated
   * entry, or null when it was not in those phases (someone else moved it on).
   */
  update(id: string, patch: RebootPatch, now: Date, fromPhases?: readonly RebootPhase[]): StoredReboot | null {
    const keys = (Object.keys(patch) as (keyof RebootPatch)[]).filter((key) => key in COLUMNS && patch[key] !== undefined);
    const sets = [...keys.map((key) => `${COLUMNS[key]} = ?`), 'updated_at = ?'];
    const values = [...keys.map((key) => toColumnValue(key, patch[key])), now.toISOString()];
    let sql = `UPDATE reboots SET ${sets.join(', ')} WHERE id = ?`;
    values.push(id);
    if (fromPhases) {
      sql += ` AND phase IN (${fromPhases.map(() => '?').join(', ')})`;
      values.push(...fromPhases);
    }
    const changes = this.statement(sql).run(...values).changes;
    return changes > 0 ? this.get(id) : null;
  }

  get(id: string): StoredReboot | null {
    const row = this.statement('SELECT * FROM reboots WHERE id = ?').get(id) as RebootRow | undefined;
    return row ? toStored(row) : null;
  }

  inFlight(deviceId: string): StoredReboot | null {
    const row = this
      .statement(`SELECT * FROM reboots WHERE device_id = ? AND phase IN (${IN_FLIGHT_PHASES.map(() => '?').join(', ')}) ORDER BY seq DESC LIMIT 1`)
      .get(deviceId, ...IN_FLIGHT_PHASES) as RebootRow | undefined;
    return row ? toStored(row) : null;
  }

  allInFlight(): StoredReboot[] {
    const rows = this
      .statement(`SELECT * FROM reboots WHERE phase IN (${IN_FLIGHT_PHASES.map(() => '?').join(', ')}) ORDER BY seq`)
      .all(...IN_FLIGHT_PHASES) as RebootRow[];
    return rows.map(toStored);
  }

  /** A device's reboots, newest first. */
  list(deviceId: string, limit = 200): StoredReboot[] {
    const rows = this.statement('SELECT * FROM reboots WHERE device_id = ? ORDER BY seq DESC LIMIT ?').all(deviceId, limit) as RebootRow[];
    return rows.map(toStored);
  }

  /** The newest reboot of every device that has one. */
  latestByDevice(): Map<string, StoredReboot> {
    const rows = this
      .statement('SELECT r.* FROM reboots r JOIN (SELECT device_id, MAX(seq) AS seq FROM reboots GROUP BY device_id) n ON r.seq = n.seq')
      .all() as RebootRow[];
    return new Map(rows.map((row) => [String(row.device_id), toStored(row)]));
  }

  getDeviceState(deviceId: string): DeviceState | null {
    const row = this.statement('SELECT * FROM device_state WHERE device_id = ?').get(deviceId) as
      | { device_id: string; connection_state: string | null; reboot_time: string | null; seen_at: string }
      | undefined;
    if (!row) return null;
    return {
      deviceId: String(row.device_id),
      connectionState: row.connection_state === 'Connected' || row.connection_state === 'Disconnected' ? row.connection_state : null,
      rebootTime: str(row.reboot_time),
      seenAt: String(row.seen_at),
    };
  }

  setDeviceState(deviceId: string, connectionState: ConnectionState, rebootTime: string | null, now: Date): void {
    this
      .statement(
        `INSERT INTO device_state (device_id, connection_state, reboot_time, seen_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (device_id) DO UPDATE SET connection_state = excluded.connection_state, reboot_time = excluded.reboot_time, seen_at = excluded.seen_at`,
      )
      .run(deviceId, connectionState, rebootTime, now.toISOString());
  }

  /** Runs `fn` in one transaction (a poll's observations are applied all or nothing). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }
}

export type { RebootSource };
