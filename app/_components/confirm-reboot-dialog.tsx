'use client';

import { useEffect, useId, useRef } from 'react';
import type { DeviceSummary } from '@/lib/dashboard/types';

/**
 * The "are you sure" step before a reboot: a native modal <dialog>, so focus is trapped inside while open,
 * Escape cancels, and the page behind is inert. Focus starts on Cancel; the caller restores it on close.
 */
export function ConfirmRebootDialog({
  device,
  onConfirm,
  onClose,
}: {
  device: Pick<DeviceSummary, 'deviceId' | 'connectionState'> | null;
  onConfirm(deviceId: string): void;
  onClose(): void;
}) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const descriptionId = useId();

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    if (device && !dialog.open) {
      dialog.showModal();
      cancelRef.current?.focus();
    } else if (!device && dialog.open) {
      dialog.close();
    }
  }, [device]);

  const offline = device?.connectionState === 'Disconnected';

  return (
    <dialog
      ref={dialogRef}
      aria-labelledby={titleId}
      aria-describedby={descriptionId}
      onClose={() => {
        // The close event is queued; when the dialog was opened again before it fired, it is stale.
        if (!dialogRef.current?.open) onClose();
      }}
      className="m-auto w-[min(28rem,calc(100vw-2rem))] rounded-xl border border-slate-200 bg-white p-0 text-slate-900 shadow-xl backdrop:bg-slate-900/40 backdrop:backdrop-blur-[1px]"
    >
      {device && (
        <form
          method="dialog"
          onSubmit={(event) => {
            event.preventDefault();
            const deviceId = device.deviceId;
            dialogRef.current?.close();
            onConfirm(deviceId);
          }}
          className="flex flex-col gap-4 p-6"
        >
          <h2 id={titleId} className="text-lg font-semibold">
            Reboot {device.deviceId}?
          </h2>
          <div id={descriptionId} className="space-y-2 text-sm text-slate-600">
            <p>
              The hub calls the device&apos;s reboot method. The device answers, goes offline while it restarts and
              reports its new reboot time when it is back.
            </p>
            {offline && (
              <p className="rounded-md bg-amber-50 px-3 py-2 text-amber-900 ring-1 ring-amber-200">
                {device.deviceId} looks disconnected, so the hub will probably refuse the call.
              </p>
            )}
          </div>
          <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
            <button
              ref={cancelRef}
              type="button"
              onClick={() => dialogRef.current?.close()}
              className="rounded-lg border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-700 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600"
            >
              Cancel
            </button>
            <button
              type="submit"
              className="rounded-lg bg-rose-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-rose-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-rose-600"
            >
              Reboot {device.deviceId}
            </button>
          </div>
        </form>
      )}
    </dialog>
  );
}
