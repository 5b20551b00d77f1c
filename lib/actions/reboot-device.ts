'use server';
/**
 * Server actions of the reboot button. Every export of a 'use server' file is a public endpoint, so each one
 * validates its input and returns only what the browser may see. The logic lives in lib/reboots.
 */
import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { deviceIdSchema } from '../dashboard/device-id';
import { readDashboardSettings } from '../dashboard/settings';
import type { DashboardSettings, RebootActionState } from '../dashboard/types';
import { requestReboot } from '../reboots';

const rebootForm = z.object({ deviceId: deviceIdSchema });

/** Reboots the device named by the form's `deviceId`; never throws for an expected failure. */
export async function rebootDevice(_previous: RebootActionState, formData: FormData): Promise<RebootActionState> {
  const parsed = rebootForm.safeParse({ deviceId: formData.get('deviceId') ?? undefined });
  if (!parsed.success) {
    const message = parsed.error.issues[0]?.message ?? 'The device id is invalid.';
    return { ok: false, message, error: { code: 'INVALID_INPUT', message }, entry: null };
  }
  const { deviceId } = parsed.data;
  const result = await requestReboot(deviceId);
  try {
    revalidatePath(`/devices/${encodeURIComponent(deviceId)}`);
    revalidatePath('/');
  } catch {
    // Outside a Next request (scripts, tests) there is nothing to revalidate.
  }
  if (result.ok) {
    const { answer } = result.entry;
    const message = answer
      ? `${deviceId} answered ${answer.status}; waiting for it to reboot and report back.`
      : `Reboot of ${deviceId} requested.`;
    return { ok: true, message, entry: result.entry };
  }
  return { ok: false, message: result.error.message, error: result.error, entry: result.entry };
}

/** The settings the pages use (poll interval, method, property path, hub host name); nothing secret. */
export async function getDashboardSettings(): Promise<DashboardSettings> {
  return readDashboardSettings();
}
