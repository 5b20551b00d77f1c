import { DeviceListSkeleton } from './_components/device-list-skeleton';

export default function Loading() {
  return <DeviceListSkeleton />;
}
