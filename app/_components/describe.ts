/**
 * Words for reboot phases, outcomes and errors. The server's ErrorInfo.message is already a sentence;
 * these are the fallbacks and the short labels next to it.
 */
import type { DashboardErrorCode, ErrorInfo, RebootEntry } from '@/lib/dashboard/types';
import { formatDuration, formatPayload } from './format';

export type Tone = 'neutral' | 'external' | 'progress' | 'success' | 'warning' | 'danger';

/** A short title for an error code, used as the heading above the server's message. */
export const ERROR_TITLES: Record<DashboardErrorCode, string> = {
  DEVICE_OFFLINE: 'Device offline',
  DEVICE_TIMEOUT: 'Device did not answer in time',
  DEVICE_NOT_FOUND: 'No such device',
  DEVICE_ERROR: 'Device answered with an error',
  REBOOT_IN_PROGRESS: 'A reboot is already under way',
  HUB_UNREACHABLE: 'Hub unreachable',
  HUB_UNAUTHORIZED: 'Hub refused the key',
  HUB_CERT_UNTRUSTED: 'Hub certificate not trusted',
  CONFIG_INVALID: 'Configuration invalid',
  INVALID_INPUT: 'Invalid request',
  INTERNAL: 'Something went wrong',
};

/** What to do, when the server did not say. */
const FALLBACK_HINTS: Partial<Record<DashboardErrorCode, string>> = {
  DEVICE_OFFLINE: 'Start the device (npm run simulate -- --count 3) and try again.',
  HUB_UNREACHABLE: 'Start the local hub with npm run dev or npm run hub, or check IOTHUB_CONNECTION_STRING.',
  HUB_UNAUTHORIZED: 'Check the SharedAccessKey in IOTHUB_CONNECTION_STRING.',
  HUB_CERT_UNTRUSTED: "Trust the hub's CA: set NODE_EXTRA_CA_CERTS to .local-hub's CA file and restart the dashboard.",
  CONFIG_INVALID: 'Fix the setting named above and restart the dashboard.',
};

export function errorTitle(error: ErrorInfo): string {
  return ERROR_TITLES[error.code] ?? ERROR_TITLES.INTERNAL;
}

export function errorHint(error: ErrorInfo): string | undefined {
  return error.hint ?? FALLBACK_HINTS[error.code];
}

export interface PhaseView {
  /** Short badge text. */
  label: string;
  /** One sentence for the row and for screen readers. */
  detail: string;
  tone: Tone;
}

function answerText(entry: RebootEntry): string | null {
  if (!entry.answer) return null;
  return `answered ${entry.answer.status} ${formatPayload(entry.answer.payload)}`;
}

/** Why a failed reboot failed, in a few words. */
export function failureLabel(entry: RebootEntry): string {
  switch (entry.error?.code) {
    case 'DEVICE_OFFLINE':
      return 'Failed: device offline';
    case 'DEVICE_TIMEOUT':
      return 'Failed: timed out';
    case 'DEVICE_ERROR':
      return entry.answer ? `Failed: device answered ${entry.answer.status}` : 'Failed: device answered with an error';
    case 'DEVICE_NOT_FOUND':
      return 'Failed: no such device';
    case 'HUB_UNREACHABLE':
      return 'Failed: hub unreachable';
    case 'HUB_UNAUTHORIZED':
      return 'Failed: hub refused the key';
    case 'HUB_CERT_UNTRUSTED':
      return 'Failed: hub certificate untrusted';
    default:
      return 'Failed';
  }
}

/** How a reboot entry reads in the list and in the history. */
export function describePhase(entry: RebootEntry): PhaseView {
  const answered = answerText(entry);
  switch (entry.phase) {
    case 'requested':
      return { label: 'Sending reboot…', detail: 'Asking the device to reboot.', tone: 'progress' };
    case 'answered':
      return {
        label: 'Answered',
        detail: `Device ${answered ?? 'answered'}; waiting for it to go offline.`,
        tone: 'progress',
      };
    case 'offline':
      return { label: 'Rebooting…', detail: 'Rebooting: the device is offline.', tone: 'progress' };
    case 'back':
      return {
        label: 'Rebooting…',
        detail: 'Rebooting: the device is back online; waiting for its new reboot time.',
        tone: 'progress',
      };
    case 'confirmed': {
      const took = formatDuration(entry.durationMs);
      if (entry.source === 'external') {
        return {
          label: 'External reboot',
          detail: 'The device reported a new reboot time without a request from this dashboard.',
          tone: 'external',
        };
      }
      return {
        label: took ? `Confirmed in ${took}` : 'Confirmed',
        detail: took ? `Reboot confirmed after ${took}.` : 'Reboot confirmed.',
        tone: 'success',
      };
    }
    case 'failed':
      return {
        label: failureLabel(entry),
        detail: entry.error?.message ?? 'The reboot failed.',
        tone: 'danger',
      };
    case 'unconfirmed':
      return {
        label: 'Not confirmed in time',
        detail: 'The device did not report a new reboot time in time.',
        tone: 'warning',
      };
    case 'unknown':
      return {
        label: 'Unknown',
        detail: 'The dashboard stopped while this reboot was in flight; its outcome is unknown.',
        tone: 'warning',
      };
  }
}

export const TONE_CLASSES: Record<Tone, string> = {
  neutral: 'bg-slate-100 text-slate-700 ring-slate-300',
  external: 'bg-violet-50 text-violet-800 ring-violet-300',
  progress: 'bg-sky-50 text-sky-800 ring-sky-300',
  success: 'bg-emerald-50 text-emerald-800 ring-emerald-300',
  warning: 'bg-amber-50 text-amber-900 ring-amber-300',
  danger: 'bg-rose-50 text-rose-800 ring-rose-300',
};
