/**
 * Device ids as IoT Hub's identity registry allows them: case-sensitive, 1 to 128 ASCII letters, digits and
 * `- . % _ * ? ! ( ) , : = @ $ '` (identity-registry devguide). Route params and form data are checked before
 * anything reaches the hub.
 */
import { z } from 'zod';
import { DashboardError } from './errors';

const DEVICE_ID = /^[A-Za-z0-9\-.%_*?!(),:=@$']+$/;

export const deviceIdSchema = z
  .string({ error: 'The device id is missing.' })
  .min(1, { error: 'The device id is empty.' })
  .max(128, { error: 'The device id is longer than 128 characters.' })
  .regex(DEVICE_ID, { error: "The device id may contain only ASCII letters, digits and - . % _ * ? ! ( ) , : = @ $ '." });

/** The id, or an INVALID_INPUT DashboardError saying what is wrong with it. */
export function parseDeviceId(value: unknown): string {
  const parsed = deviceIdSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new DashboardError('INVALID_INPUT', parsed.error.issues[0]?.message ?? 'The device id is invalid.', 'Use the id the device is registered with in the hub.');
}
