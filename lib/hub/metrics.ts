/**
 * Counts the HTTP requests the dashboard sends to the hub, by kind. The bench and the coalescing tests read these
 * to show that polling costs a fixed number of requests however many devices and browser tabs there are.
 */

export interface HubRequestCounts {
  /** Pages of `SELECT * FROM devices` (POST /devices/query). */
  queryPages: number;
  /** GET /twins/{id}. */
  twinReads: number;
  /** POST /twins/{id}/methods. */
  methodCalls: number;
  total: number;
}

interface Counters {
  queryPages: number;
  twinReads: number;
  methodCalls: number;
}

const counters: Counters = ((globalThis as { __twinboardHubCounters?: Counters }).__twinboardHubCounters ??= {
  queryPages: 0,
  twinReads: 0,
  methodCalls: 0,
});

export function countHubRequest(kind: keyof Counters): void {
  counters[kind] += 1;
}

export function getHubRequestCounts(): HubRequestCounts {
  return { ...counters, total: counters.queryPages + counters.twinReads + counters.methodCalls };
}

export function resetHubRequestCounts(): void {
  counters.queryPages = 0;
  counters.twinReads = 0;
  counters.methodCalls = 0;
}
