import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { DeviceDetail } from '../../_components/device-detail';

// IoT Hub device ids: up to 128 characters from this set (behaviour: identity registry).
const DEVICE_ID = /^[A-Za-z0-9\-.%_*?!(),:=@$']{1,128}$/;

interface Props {
  params: Promise<{ deviceId: string }>;
}

function decodeSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

async function readDeviceId(params: Props['params']): Promise<string> {
  const decoded = decodeSegment((await params).deviceId);
  if (decoded === null || !DEVICE_ID.test(decoded)) notFound();
  return decoded;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { deviceId } = await params;
  return { title: decodeSegment(deviceId) ?? 'Device' };
}

export default async function DevicePage({ params }: Props) {
  const deviceId = await readDeviceId(params);
  return <DeviceDetail deviceId={deviceId} />;
}
