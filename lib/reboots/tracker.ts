/**
 * Follows each dashboard reboot from the click to the device's new reported reboot time:
 *   requested → answered (2xx) → offline (Disconnected) → back (Connected) → confirmed (newer reported time)
 * with 'failed' when the call fails or the device answers non-2xx, and 'unconfirmed' when no newer time arrives
 * in time. The method call is recorded before it is sent; progress after the answer is driven by the twins each
 * poll passes to observe(), because the device's reported patch lands after invokeDeviceMethod returns (wire §4).
 * A reported time that changes while no reboot is in flight is recorded as an 'external' reboot.
 */
import type { DashboardSettingsConfig } from '../config';
import { DashboardError, asDashboardError } from '../dashboard/errors';
import { isNewerRebootTime, readRebootTime } from '../dashboard/reboot-time';
import type { ErrorInfo, MethodAnswer, RebootEntry } from '../dashboard/types';
import { IN_FLIGHT_PHASES, toEntry, type DeviceState, type HistoryStore, type StoredReboot } from '../history/store';
import type { HubTwin, MethodCall } from '../hub/types';

export type TrackerSettings = Pick<
  DashboardSettingsConfig,
  'methodName' | 'rebootProperty' | 'methodResponseTimeoutS' | 'methodConnectTimeoutS' | 'rebootConfirmTimeoutS'
>;

export interface TrackerDeps {
  store: HistoryStore;
  settings: TrackerSettings;
  invokeMethod(deviceId: string, call: MethodCall): Promise<MethodAnswer>;
  readTwin(deviceId: string): Promise<HubTwin>;
  now?: () => Date;
}

export type RebootRequestResult = { ok: true; entry: RebootEntry } | { ok: false; error: ErrorInfo; entry: RebootEntry | null };

const AFTER_ANSWER = IN_FLIGHT_PHASES.filter((phase) => phase !== 'requested');

function summarizePayload(payload: unknown): string {
  if (payload === null || payload === undefined) return '';
  const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/**
 * When a confirmed device came back. A poll sees it online only at the next poll, but the device reports its new
 * reboot time only once it is back, so a reported time after it went offline and before the first poll that saw
 * it back (or with no such poll) is the better time. A reported time outside that window (a device clock that
 * is off) leaves the observed time.
 */
function confirmedCameBackAt(entry: StoredReboot, reportedMs: number, seenBackAt: string | null): string | null {
  const observed = entry.cameBackAt ?? (entry.wentOfflineAt ? seenBackAt : null);
  const wentOfflineMs = Date.parse(entry.wentOfflineAt ?? '');
  if (!Number.isFinite(wentOfflineMs) || !Number.isFinite(reportedMs) || reportedMs <= wentOfflineMs) return observed;
  const observedMs = Date.parse(observed ?? '');
  if (Number.isFinite(observedMs) && reportedMs >= observedMs) return observed;
  return new Date(reportedMs).toISOString();
}

export class RebootTracker {
  private readonly store: HistoryStore;
  private readonly settings: TrackerSettings;
  private readonly deps: TrackerDeps;
  private readonly now: () => Date;

  constructor(deps: TrackerDeps) {
    this.deps = deps;
    this.store = deps.store;
    this.settings = deps.settings;
    this.now = deps.now ?? (() => new Date());
  }

  /**
   * Reboots a device once: refuses with REBOOT_IN_PROGRESS while another reboot of it is in flight (atomic in
   * the store, so double clicks, other tabs and concurrent requests cannot send a second method call). Never
   * throws for an expected failure: the result carries the recorded entry and the error.
   */
  async requestReboot(deviceId: string): Promise<RebootRequestResult> {
    const baseline = this.store.getDeviceState(deviceId)?.rebootTime ?? null;
    const begun = this.store.beginReboot(deviceId, this.now(), baseline);
    if (!begun.ok) {
      const since = begun.inFlight.requestedAt ? ` (requested at ${begun.inFlight.requestedAt})` : '';
      const error = new DashboardError(
        'REBOOT_IN_PROGRESS',
        `A reboot of "${deviceId}" is already under way${since}; it was not sent again.`,
        'Wait until it is confirmed or has failed, then try again.',
      );
      return { ok: false, error: error.toInfo(), entry: toEntry(begun.inFlight) };
    }
    const entry = begun.entry;
    try {
      // A fresh baseline: a newer reported time than this one, and only that, confirms the reboot.
      const twin = await this.deps.readTwin(deviceId);
      const fresh = readRebootTime(twin.reported, this.settings.rebootProperty);
      this.noteSighting(twin, fresh, this.store.getDeviceState(deviceId), this.now());
      this.store.update(entry.id, { baselineRebootTime: fresh }, this.now());
      const answer = await this.deps.invokeMethod(deviceId, {
        methodName: this.settings.methodName,
        payload: null,
        responseTimeoutInSeconds: this.settings.methodResponseTimeoutS,
        connectTimeoutInSeconds: this.settings.methodConnectTimeoutS,
      });
      const answeredAt = this.now();
      if (answer.status >= 200 && answer.status < 300) {
        const answered = this.store.update(entry.id, { phase: 'answered', answeredAt: answeredAt.toISOString(), answer }, answeredAt, ['requested']);
        return { ok: true, entry: toEntry(answered ?? (this.store.get(entry.id) as StoredReboot)) };
      }
      const payload = summarizePayload(answer.payload);
      const error = new DashboardError(
        'DEVICE_ERROR',
        `"${deviceId}" answered the ${this.settings.methodName} request with status ${answer.status}${payload ? `: ${payload}` : ''}.`,
        'The device refused or could not start the reboot; see its answer.',
      );
      return this.fail(entry, error, { answeredAt: answeredAt.toISOString(), answer });
    } catch (err) {
      return this.fail(entry, asDashboardError(err));
    }
  }

  private fail(entry: StoredReboot, error: DashboardError, extra: { answeredAt?: string; answer?: MethodAnswer } = {}): RebootRequestResult {
    if (error.code === 'INTERNAL') console.error(`[twinboard] reboot of ${entry.deviceId} failed`, error.cause ?? error);
    const info = error.toInfo();
    const failed = this.store.update(entry.id, { phase: 'failed', error: info, ...extra }, this.now(), ['requested']);
    return { ok: false, error: info, entry: toEntry(failed ?? (this.store.get(entry.id) as StoredReboot)) };
  }

  /** Applies one poll's twins: moves reboots on, records external reboots, remembers what each device showed. */
  observe(twins: readonly HubTwin[]): void {
    const now = this.now();
    this.store.transaction(() => {
      for (const twin of twins) this.observeOne(twin, now);
      this.expireOverdue(now);
    });
  }

  /** Marks reboots that waited longer than the confirm timeout for a new reported time as 'unconfirmed'. */
  expireOverdue(now: Date = this.now()): void {
    for (const entry of this.store.allInFlight()) {
      if (entry.phase === 'requested') continue; // bounded by the method call's own timeout
      if (this.isOverdue(entry, now)) this.store.update(entry.id, { phase: 'unconfirmed' }, now, AFTER_ANSWER);
    }
  }

  private isOverdue(entry: StoredReboot, now: Date): boolean {
    const since = Date.parse(entry.answeredAt ?? entry.requestedAt ?? entry.updatedAt);
    return Number.isFinite(since) && now.getTime() - since > this.settings.rebootConfirmTimeoutS * 1000;
  }

  private observeOne(twin: HubTwin, now: Date): void {
    const reported = readRebootTime(twin.reported, this.settings.rebootProperty);
    const inFlight = this.store.inFlight(twin.deviceId);
    const state = this.store.getDeviceState(twin.deviceId);
    if (inFlight?.phase === 'requested') {
      this.noteDuringCall(inFlight, twin, state, now);
    } else if (inFlight) {
      this.advance(inFlight, twin, reported, now);
    } else if (state && isNewerRebootTime(reported, state.rebootTime)) {
      // The first sighting only sets the baseline; a later change with nothing in flight is an external reboot.
      this.store.addExternal(twin.deviceId, reported as string, now, state.rebootTime);
    }
    this.noteSighting(twin, reported, state, now);
  }

  /**
   * A device that reboots before it answers (the tutorial's order) goes and comes back while the call is still
   * under way: the times are kept, the phase moves on only with the answer. Only a change seen between two polls
   * counts, so a device that was offline before the call gets no wentOfflineAt.
   */
  private noteDuringCall(entry: StoredReboot, twin: HubTwin, previous: DeviceState | null, now: Date): void {
    const at = now.toISOString();
    if (twin.connectionState === 'Disconnected' && previous?.connectionState === 'Connected' && !entry.wentOfflineAt) {
      this.store.update(entry.id, { wentOfflineAt: at }, now, ['requested']);
    } else if (twin.connectionState === 'Connected' && entry.wentOfflineAt && !entry.cameBackAt) {
      this.store.update(entry.id, { cameBackAt: at }, now, ['requested']);
    }
  }

  private noteSighting(twin: HubTwin, reported: string | null, previous: DeviceState | null, now: Date): void {
    // A device that stops reporting the property keeps its last known time, so it reappearing is no reboot.
    const rebootTime = reported ?? previous?.rebootTime ?? null;
    // Most polls change nothing; writing only changes keeps a poll of a big fleet cheap.
    if (previous && previous.connectionState === twin.connectionState && previous.rebootTime === rebootTime) return;
    this.store.setDeviceState(twin.deviceId, twin.connectionState, rebootTime, now);
  }

  private advance(entry: StoredReboot, twin: HubTwin, reported: string | null, now: Date): void {
    const at = now.toISOString();
    const connected = twin.connectionState === 'Connected';
    if (isNewerRebootTime(reported, entry.baselineRebootTime)) {
      // Confirmed, also when the device never visibly went offline (a fast reboot, or the tutorial's order).
      const requested = Date.parse(entry.requestedAt ?? '');
      const reportedMs = Date.parse(reported as string);
      const end = Number.isFinite(reportedMs) && Number.isFinite(requested) && reportedMs >= requested ? reportedMs : now.getTime();
      const cameBackAt = confirmedCameBackAt(entry, reportedMs, connected ? at : null);
      this.store.update(
        entry.id,
        {
          phase: 'confirmed',
          reportedRebootTime: reported,
          durationMs: Number.isFinite(requested) ? Math.max(0, end - requested) : null,
          ...(cameBackAt !== entry.cameBackAt ? { cameBackAt } : {}),
        },
        now,
        AFTER_ANSWER,
      );
      return;
    }
    if (this.isOverdue(entry, now)) {
      this.store.update(entry.id, { phase: 'unconfirmed' }, now, AFTER_ANSWER);
    } else if (entry.phase === 'answered' && !connected) {
      this.store.update(entry.id, { phase: 'offline', wentOfflineAt: entry.cameBackAt ? at : (entry.wentOfflineAt ?? at), cameBackAt: null }, now, ['answered']);
    } else if (entry.phase === 'answered' && connected && entry.cameBackAt) {
      // Went and came back while the call was under way: it is back, waiting for its new reported time.
      this.store.update(entry.id, { phase: 'back' }, now, ['answered']);
    } else if (entry.phase === 'offline' && connected) {
      this.store.update(entry.id, { phase: 'back', cameBackAt: at }, now, ['offline']);
    }
  }
}
