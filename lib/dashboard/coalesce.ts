/**
 * Shares one load among concurrent callers and serves its result (or its error) to later callers for a short
 * time, so N browser tabs polling every interval cost the hub one request per refresh, not N.
 */

export interface Loaded<T> {
  value: T;
  loadedAt: Date;
}

export interface Coalescer<T> {
  get(): Promise<Loaded<T>>;
  /** Forgets the cached result; the next get() loads again. */
  clear(): void;
}

export function coalesce<T>(load: () => Promise<T>, maxAgeMs: () => number, now: () => number = Date.now): Coalescer<T> {
  let inFlight: Promise<Loaded<T>> | null = null;
  let last: { at: number; result: { ok: true; value: Loaded<T> } | { ok: false; error: unknown } } | null = null;

  return {
    get() {
      if (last && now() - last.at < maxAgeMs()) {
        return last.result.ok ? Promise.resolve(last.result.value) : Promise.reject(last.result.error);
      }
      if (!inFlight) {
        const started = load().then(
          (value) => {
            const loaded = { value, loadedAt: new Date(now()) };
            last = { at: now(), result: { ok: true, value: loaded } };
            return loaded;
          },
          (error: unknown) => {
            // Errors are kept as briefly as results: a down hub is asked again at most once per interval.
            last = { at: now(), result: { ok: false, error } };
            throw error;
          },
        );
        inFlight = started.finally(() => {
          inFlight = null;
        });
      }
      return inFlight;
    },
    clear() {
      last = null;
    },
  };
}
