import { DeviceList } from './_components/device-list';

export default function DevicesPage() {
  return <DeviceList />;
}
