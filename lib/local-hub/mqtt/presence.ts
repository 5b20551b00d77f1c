/**
 * Which connection currently speaks for each device, and what it has subscribed to. One connection per
 * identity (behaviour §1.5): a newer connection replaces an older one, and the older one's disconnect must not
 * mark the device offline. A device is ready for methods (or desired pushes) only after it subscribed on its
 * *current* connection, because a persistent session restores old subscriptions silently (wire §1.6).
 */
import type { ConnectionInfo } from '../types';
import { DESIRED_SUBSCRIPTION, METHODS_SUBSCRIPTION } from './topics';

/** What the real hub reports for a device that never connected. */
const NEVER = '0001-01-01T00:00:00Z';

interface Session<C> {
  connection: C;
  methodsReady: boolean;
  desiredReady: boolean;
}

interface Record {
  state: ConnectionInfo['state'];
  stateUpdatedTime: string;
  lastActivityTime: string;
}

export class Presence<C extends object> {
  private readonly sessions = new Map<string, Session<C>>();
  private readonly records = new Map<string, Record>();
  private readonly methodWaiters = new Map<string, Set<() => void>>();

  constructor(private readonly clock: () => Date = () => new Date()) {}

  connected(deviceId: string, connection: C): void {
    const now = this.clock().toISOString();
    this.sessions.set(deviceId, { connection, methodsReady: false, desiredReady: false });
    this.records.set(deviceId, { state: 'Connected', stateUpdatedTime: now, lastActivityTime: now });
  }

  /** Ignored unless `connection` is the device's current one (a replaced connection closing late). */
  disconnected(deviceId: string, connection: C): boolean {
    const session = this.sessions.get(deviceId);
    if (!session || session.connection !== connection) return false;
    this.sessions.delete(deviceId);
    const now = this.clock().toISOString();
    const record = this.records.get(deviceId);
    this.records.set(deviceId, { state: 'Disconnected', stateUpdatedTime: now, lastActivityTime: record?.lastActivityTime ?? now });
    return true;
  }

  subscribed(deviceId: string, connection: C, filters: readonly string[]): void {
    const session = this.sessions.get(deviceId);
    if (!session || session.connection !== connection) return;
    if (filters.includes(DESIRED_SUBSCRIPTION)) session.desiredReady = true;
    if (filters.includes(METHODS_SUBSCRIPTION) && !session.methodsReady) {
      session.methodsReady = true;
      const waiters = this.methodWaiters.get(deviceId);
      this.methodWaiters.delete(deviceId);
      for (const wake of waiters ?? []) wake();
    }
  }

  unsubscribed(deviceId: string, connection: C, filters: readonly string[]): void {
    const session = this.sessions.get(deviceId);
    if (!session || session.connection !== connection) return;
    if (filters.includes(DESIRED_SUBSCRIPTION)) session.desiredReady = false;
    if (filters.includes(METHODS_SUBSCRIPTION)) session.methodsReady = false;
  }

  /** Records activity (connect, publish, ping) on the device's current connection. */
  touched(deviceId: string, connection: C): void {
    const session = this.sessions.get(deviceId);
    const record = this.records.get(deviceId);
    if (!session || session.connection !== connection || !record) return;
    record.lastActivityTime = this.clock().toISOString();
  }

  /** Devices with an open connection. */
  get size(): number {
    return this.sessions.size;
  }

  current(deviceId: string): C | undefined {
    return this.sessions.get(deviceId)?.connection;
  }

  isCurrent(deviceId: string, connection: C): boolean {
    return this.sessions.get(deviceId)?.connection === connection;
  }

  methodsReady(deviceId: string): C | undefined {
    const session = this.sessions.get(deviceId);
    return session?.methodsReady ? session.connection : undefined;
  }

  desiredReady(deviceId: string): C | undefined {
    const session = this.sessions.get(deviceId);
    return session?.desiredReady ? session.connection : undefined;
  }

  connection(deviceId: string): ConnectionInfo {
    const record = this.records.get(deviceId);
    if (!record) return { state: 'Disconnected', stateUpdatedTime: NEVER, lastActivityTime: NEVER };
    return { ...record };
  }

  /** Resolves true as soon as the device is method-ready, false after `timeoutMs` or when `signal` aborts. */
  waitForMethods(deviceId: string, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    if (this.methodsReady(deviceId)) return Promise.resolve(true);
    if (timeoutMs <= 0 || signal?.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      let waiters = this.methodWaiters.get(deviceId);
      if (!waiters) {
        waiters = new Set();
        this.methodWaiters.set(deviceId, waiters);
      }
      const finish = (ready: boolean): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        const set = this.methodWaiters.get(deviceId);
        set?.delete(wake);
        if (set?.size === 0) this.methodWaiters.delete(deviceId);
        resolve(ready);
      };
      const wake = (): void => finish(true);
      const onAbort = (): void => finish(false);
      const timer = setTimeout(() => finish(false), timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      waiters.add(wake);
    });
  }
}
