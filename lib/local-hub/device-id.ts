/**
 * Device id rules of IoT Hub's identity registry: case-sensitive, up to 128 characters of ASCII letters, digits
 * and `- . % _ * ? ! ( ) , : = @ $ '` (identity-registry devguide).
 */
import { HubError } from './errors';

const DEVICE_ID = /^[A-Za-z0-9\-.%_*?!(),:=@$']{1,128}$/;

export function isValidDeviceId(id: unknown): id is string {
  return typeof id === 'string' && DEVICE_ID.test(id);
}

/** null when valid, else a 400 ArgumentInvalid that says what is wrong. */
export function checkDeviceId(id: unknown): HubError | null {
  if (typeof id !== 'string' || id.length === 0) return new HubError('ArgumentNull', 'The device id is missing.');
  if (id.length > 128) return new HubError('ArgumentInvalid', `The device id is ${id.length} characters long; the limit is 128.`);
  if (!DEVICE_ID.test(id)) {
    const bad = [...id].find((c) => !DEVICE_ID.test(c)) ?? '';
    return new HubError(
      'ArgumentInvalid',
      `The device id "${id.slice(0, 130)}" contains "${bad}"; allowed are ASCII letters, digits and - . % _ * ? ! ( ) , : = @ $ '.`,
    );
  }
  return null;
}
