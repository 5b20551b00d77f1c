'use client';

import Link from 'next/link';
import type { DeviceDetailResponse } from '@/lib/dashboard/types';
import { useDevice } from '@/lib/swr/use-device';
import { DeviceNotFound } from './device-not-found';
import { ErrorPanel } from './error-panel';
import { RebootButton } from './reboot-button';
import { RebootHistory } from './reboot-history';
import { RebootStatus } from './reboot-status';
import { TwinSkeleton } from './twin-skeleton';
import { TwinSummary } from './twin-summary';
import { useRefreshOnRecovery } from './use-refresh-on-recovery';

function BackLink() {
  return (
    <Link href="/" className="inline-flex w-fit items-center gap-1 rounded text-sm text-slate-600 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600">
      <span aria-hidden="true">←</span> All devices
    </Link>
  );
}

/** One device: its twin, a reboot button with live progress, and its reboot history. */
export function DeviceDetail({ deviceId, initial }: { deviceId: string; initial?: DeviceDetailResponse }) {
  const { data, error } = useDevice(deviceId, initial);
  useRefreshOnRecovery(error !== undefined, data !== undefined);

  if (!data && error?.info.code === 'DEVICE_NOT_FOUND') return <DeviceNotFound deviceId={deviceId} />;

  return (
    <div className="flex flex-col gap-6">
      <BackLink />
      <div className="flex flex-col gap-4 sm:flex-row sm:items-start sm:justify-between">
        <div className="min-w-0">
          <p className="text-sm text-slate-500">Device</p>
          <h1 className="truncate font-mono text-2xl font-semibold tracking-tight text-slate-900">{deviceId}</h1>
        </div>
        {data && (
          <div className="flex flex-col items-stretch gap-2 sm:items-end">
            <RebootButton device={data.device} size="lg" />
            <div className="sm:max-w-sm sm:text-right">
              <RebootStatus device={data.device} />
            </div>
          </div>
        )}
      </div>

      {error && <ErrorPanel error={error.info} retrying />}

      {!data && !error && (
        <div role="status" className="flex flex-col gap-4">
          <span className="sr-only">Loading the device…</span>
          <TwinSkeleton />
        </div>
      )}

      {data && (
        <section aria-labelledby="twin-heading" className="flex flex-col gap-3">
          <h2 id="twin-heading" className="text-lg font-semibold text-slate-900">
            Twin
          </h2>
          <TwinSummary device={data.device} twin={data.twin} />
        </section>
      )}

      <RebootHistory deviceId={deviceId} />
    </div>
  );
}
