'use client';

import { useRef } from 'react';
import type { DeviceSummary } from '@/lib/dashboard/types';
import { useDeviceReboot } from './reboot-context';

/**
 * Opens the reboot confirmation for one device. While a reboot is in flight it shows progress and refuses
 * clicks; it stays focusable (aria-disabled, not disabled) so keyboard focus is not lost when it changes.
 * Its accessible name always starts with "Reboot" and ends with the device id.
 */
export function RebootButton({
  device,
  size = 'md',
}: {
  device: Pick<DeviceSummary, 'deviceId' | 'connectionState' | 'reboot'>;
  size?: 'md' | 'lg';
}) {
  const ref = useRef<HTMLButtonElement>(null);
  const { busy, requestReboot } = useDeviceReboot(device);
  return (
    <button
      ref={ref}
      type="button"
      aria-disabled={busy || undefined}
      onClick={() => {
        if (!busy) requestReboot(ref.current);
      }}
      className={`inline-flex items-center justify-center gap-2 rounded-lg font-semibold shadow-sm ring-1 ring-inset focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600 ${
        size === 'lg' ? 'px-4 py-2 text-sm' : 'px-3 py-1.5 text-sm'
      } ${
        busy
          ? 'cursor-not-allowed bg-slate-100 text-slate-500 ring-slate-200'
          : 'bg-white text-rose-700 ring-rose-300 hover:bg-rose-50'
      }`}
    >
      {busy ? (
        <span aria-hidden="true" className="size-3.5 animate-spin rounded-full border-2 border-slate-300 border-t-slate-600" />
      ) : (
        <svg aria-hidden="true" viewBox="0 0 20 20" fill="currentColor" className="size-4">
          <path
            fillRule="evenodd"
            d="M15.312 11.424a5.5 5.5 0 0 1-9.201 2.466l-.312-.311h2.433a.75.75 0 0 0 0-1.5H3.989a.75.75 0 0 0-.75.75v4.242a.75.75 0 0 0 1.5 0v-2.43l.31.31a7 7 0 0 0 11.712-3.138.75.75 0 0 0-1.449-.39Zm1.23-3.723a.75.75 0 0 0 .219-.53V2.929a.75.75 0 0 0-1.5 0V5.36l-.31-.31A7 7 0 0 0 3.239 8.188a.75.75 0 1 0 1.448.389A5.5 5.5 0 0 1 13.89 6.11l.311.31h-2.432a.75.75 0 0 0 0 1.5h4.243a.75.75 0 0 0 .53-.219Z"
            clipRule="evenodd"
          />
        </svg>
      )}
      <span>
        {busy ? 'Rebooting…' : 'Reboot'}
        <span className="sr-only"> {device.deviceId}</span>
      </span>
    </button>
  );
}
