/**
 * Runs async work over a list with at most `limit` items in flight, so that registering or connecting a large
 * fleet neither takes one round trip per device in sequence nor opens every connection at once.
 */

/** Calls `work` for every item, `limit` at a time, in order of the list. Stops taking new items once one fails. */
export async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const lane = async (): Promise<void> => {
    while (failure === undefined && next < items.length) {
      const index = next++;
      try {
        await work(items[index] as T, index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  const lanes = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane);
  await Promise.all(lanes);
  if (failure !== undefined) throw failure.error;
}
