import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getDeviceDetail } from '@/lib/dashboard/devices';
import { isDashboardError } from '@/lib/dashboard/errors';
import type { DeviceDetailResponse } from '@/lib/dashboard/types';
import { DeviceDetail } from '../../_components/device-detail';

interface Props {
  params: Promise<{ deviceId: string }>;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

type FirstRead = { found: true; detail: DeviceDetailResponse } | { found: false } | { found: 'unknown' };

/**
 * Reads the device once on the server: an unknown id becomes a real 404, a known one paints at once. Any
 * other failure (hub down, bad config) is left to the client, which shows it and keeps polling.
 */
async function firstRead(deviceId: string): Promise<FirstRead> {
  try {
    return { found: true, detail: await getDeviceDetail(deviceId) };
  } catch (error) {
    if (isDashboardError(error) && (error.code === 'DEVICE_NOT_FOUND' || error.code === 'INVALID_INPUT')) return { found: false };
    return { found: 'unknown' };
  }
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: decodeSegment((await params).deviceId) };
}

export default async function DevicePage({ params }: Props) {
  const deviceId = decodeSegment((await params).deviceId);
  const read = await firstRead(deviceId);
  if (read.found === false) notFound();
  return <DeviceDetail deviceId={deviceId} initial={read.found === true ? read.detail : undefined} />;
}
