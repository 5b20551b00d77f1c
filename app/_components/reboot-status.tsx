'use client';

import type { DeviceSummary } from '@/lib/dashboard/types';
import { describePhase, TONE_CLASSES } from './describe';
import { ErrorPanel } from './error-panel';
import { formatPayload } from './format';
import { useDeviceReboot } from './reboot-context';

/**
 * Where a device's latest reboot stands: the device's answer (status and payload) as soon as the action
 * returns, then "Rebooting…" while it is offline, then the outcome. Announced politely to screen readers.
 */
export function RebootStatus({
  device,
  showError = true,
}: {
  device: Pick<DeviceSummary, 'deviceId' | 'connectionState' | 'reboot'>;
  /** False when the caller shows <RebootError> somewhere roomier (the table's full-width row). */
  showError?: boolean;
}) {
  const { entry, sending } = useDeviceReboot(device);
  const view = entry ? describePhase(entry) : null;
  return (
    <div className="flex min-w-0 flex-col gap-1.5 text-sm">
      <div aria-live="polite" aria-atomic="true" className="flex min-w-0 flex-col gap-1">
        {sending ? (
          <span className={`inline-flex w-fit items-center rounded-md px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${TONE_CLASSES.progress}`}>
            Sending reboot…
          </span>
        ) : view && entry ? (
          <>
            <span className={`inline-flex w-fit items-center rounded-md px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${TONE_CLASSES[view.tone]}`}>
              {view.label}
            </span>
            {entry.answer && (
              <span className="min-w-0 truncate font-mono text-xs text-slate-600" title={formatPayload(entry.answer.payload)}>
                Answer: {entry.answer.status} {formatPayload(entry.answer.payload)}
              </span>
            )}
            {entry.phase !== 'failed' && <span className="sr-only">{view.detail}</span>}
          </>
        ) : (
          <span className="text-slate-500">No reboot yet</span>
        )}
      </div>
      {showError && <RebootError device={device} />}
    </div>
  );
}

/** The explanation of a device's failed reboot: this tab's action failure, else the polled entry's error. */
export function useRebootError(device: Pick<DeviceSummary, 'deviceId' | 'connectionState' | 'reboot'>) {
  const { entry, failure } = useDeviceReboot(device);
  if (failure) return failure.error;
  return entry?.phase === 'failed' ? entry.error : null;
}

export function RebootError({ device }: { device: Pick<DeviceSummary, 'deviceId' | 'connectionState' | 'reboot'> }) {
  const error = useRebootError(device);
  return error ? <ErrorPanel error={error} compact subject={device.deviceId} /> : null;
}
