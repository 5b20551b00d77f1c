/**
 * Device ids of a simulated fleet: `<prefix><n>` for n = 1..count, never zero-padded, so that a device keeps its
 * id (and its twin history) when the fleet grows or shrinks: `--count 3` and `--count 1000` share sim-device-1..3.
 */

/** IoT Hub device ids: at most 128 ASCII characters from this set (behaviour §1.9, identity registry). */
const DEVICE_ID_PATTERN = /^[A-Za-z0-9\-.%_*?!(),:=@$']{1,128}$/;

export const DEFAULT_PREFIX = 'sim-device-';

export function isValidDeviceId(id: string): boolean {
  return DEVICE_ID_PATTERN.test(id);
}

/** The fleet's ids, or an error message when the prefix cannot form valid ids. */
export function fleetDeviceIds(prefix: string, count: number): string[] | { error: string } {
  const longest = `${prefix}${count}`;
  if (!isValidDeviceId(longest)) {
    return {
      error:
        `--prefix "${prefix}" does not make valid device ids: ids are at most 128 characters of ` +
        `letters, digits and - . % _ * ? ! ( ) , : = @ $ '`,
    };
  }
  return Array.from({ length: count }, (_, i) => `${prefix}${i + 1}`);
}
