'use client';

import Link from 'next/link';
import type { DeviceSummary } from '@/lib/dashboard/types';
import { useDevices } from '@/lib/swr/use-devices';
import { ConnectionBadge } from './connection-badge';
import { DeviceListSkeleton } from './device-list-skeleton';
import { EmptyState } from './empty-state';
import { ErrorPanel } from './error-panel';
import { RebootButton } from './reboot-button';
import { RebootError, RebootStatus, useRebootError } from './reboot-status';
import { Timestamp } from './timestamp';
import { useRefreshOnRecovery } from './use-refresh-on-recovery';

/**
 * Every device, polled: a table on wide screens, cards on tablets and phones. Both read the same per-device reboot
 * state, so switching width loses nothing. A failed poll shows the server's explanation above the last
 * known list and keeps polling.
 */
export function DeviceList() {
  const { data, error } = useDevices();
  useRefreshOnRecovery(error !== undefined, data !== undefined);

  if (!data && !error) return <DeviceListSkeleton />;

  return (
    <section aria-labelledby="devices-heading" className="flex flex-col gap-4">
      <div className="flex flex-wrap items-end justify-between gap-2">
        <div>
          <h1 id="devices-heading" className="text-xl font-semibold tracking-tight text-slate-900">
            Devices
          </h1>
          <p className="text-sm text-slate-500">
            {data ? `${data.devices.length} ${data.devices.length === 1 ? 'device' : 'devices'}` : 'Device list unavailable'}
            {data && (
              <>
                {' · updated '}
                <Timestamp iso={data.fetchedAt} layout="relative" />
              </>
            )}
          </p>
        </div>
      </div>

      {error && <ErrorPanel error={error.info} retrying />}

      {data && data.devices.length === 0 && <EmptyState />}

      {data && data.devices.length > 0 && (
        <>
          <div className="hidden overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm lg:block">
            <table className="w-full table-fixed text-left text-sm">
              <caption className="sr-only">Devices, their connection state, last reboot and reboot progress</caption>
              <thead className="border-b border-slate-200 bg-slate-50 text-xs font-medium uppercase tracking-wide text-slate-500">
                <tr>
                  <th scope="col" className="w-[22%] px-4 py-3">Device</th>
                  <th scope="col" className="w-[15%] px-4 py-3">Connection</th>
                  <th scope="col" className="w-[22%] px-4 py-3">Last reboot</th>
                  <th scope="col" className="px-4 py-3">Reboot status</th>
                  <th scope="col" className="w-44 px-4 py-3"><span className="sr-only">Actions</span></th>
                </tr>
              </thead>
              <tbody>
                {data.devices.map((device) => (
                  <DeviceRow key={device.deviceId} device={device} />
                ))}
              </tbody>
            </table>
          </div>
          <ul className="grid gap-3 sm:grid-cols-2 lg:hidden" aria-label="Devices">
            {data.devices.map((device) => (
              <DeviceCard key={device.deviceId} device={device} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function DeviceLink({ device }: { device: DeviceSummary }) {
  return (
    <Link
      href={`/devices/${encodeURIComponent(device.deviceId)}`}
      className="font-medium text-slate-900 underline decoration-slate-300 underline-offset-4 hover:decoration-sky-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600"
    >
      {device.deviceId}
    </Link>
  );
}

function DisabledNote({ device }: { device: DeviceSummary }) {
  if (device.status !== 'disabled') return null;
  return <span className="ml-2 rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-600">disabled</span>;
}

function DeviceRow({ device }: { device: DeviceSummary }) {
  const failed = useRebootError(device) !== null;
  return (
    <>
      <tr className={`border-t border-slate-100 align-top first:border-t-0 ${failed ? '[&>*]:pb-2' : ''}`}>
        <th scope="row" className="truncate px-4 py-3 font-normal">
          <DeviceLink device={device} />
          <DisabledNote device={device} />
        </th>
        <td className="px-4 py-3">
          <ConnectionBadge state={device.connectionState} />
        </td>
        <td className="px-4 py-3 text-slate-700">
          <Timestamp iso={device.lastRebootTime} fallback="Never reported" />
        </td>
        <td className="px-4 py-3">
          <RebootStatus device={device} showError={false} />
        </td>
        <td className="px-4 py-3 text-right">
          <RebootButton device={device} />
        </td>
      </tr>
      {failed && (
        <tr>
          <td colSpan={5} className="px-4 pt-0 pb-3">
            <RebootError device={device} />
          </td>
        </tr>
      )}
    </>
  );
}

function DeviceCard({ device }: { device: DeviceSummary }) {
  return (
    <li className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
      <div className="flex items-start justify-between gap-3">
        <div className="min-w-0">
          <h2 className="truncate text-base">
            <DeviceLink device={device} />
            <DisabledNote device={device} />
          </h2>
          <div className="mt-1">
            <ConnectionBadge state={device.connectionState} />
          </div>
        </div>
        <RebootButton device={device} />
      </div>
      <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
        <dt className="text-slate-500">Last reboot</dt>
        <dd className="text-slate-700">
          <Timestamp iso={device.lastRebootTime} fallback="Never reported" />
        </dd>
        <dt className="text-slate-500">Reboot</dt>
        <dd className="min-w-0">
          <RebootStatus device={device} />
        </dd>
      </dl>
    </li>
  );
}
