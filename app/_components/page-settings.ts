import { connection } from 'next/server';
import { getDashboardSettings } from '@/lib/actions/reboot-device';
import { DEFAULT_POLL_MS } from '@/lib/swr/keys';

export interface PageSettings {
  pollIntervalMs: number;
  hubHostName: string | null;
  hubKind: 'azure' | 'local' | null;
}

/**
 * What every page needs from the server's settings, read per request (the local hub may start or move after
 * the dashboard). Invalid settings still render a page: the API routes explain them, and polling continues.
 */
export async function readPageSettings(): Promise<PageSettings> {
  await connection();
  try {
    const settings = await getDashboardSettings();
    const pollIntervalMs = Number.isFinite(settings.pollIntervalMs) && settings.pollIntervalMs > 0 ? settings.pollIntervalMs : DEFAULT_POLL_MS;
    return { pollIntervalMs, hubHostName: settings.hubHostName ?? null, hubKind: settings.hubKind ?? null };
  } catch {
    return { pollIntervalMs: DEFAULT_POLL_MS, hubHostName: null, hubKind: null };
  }
}
