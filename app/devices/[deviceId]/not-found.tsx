import { DeviceNotFound } from '../../_components/device-not-found';

export default function NotFound() {
  return <DeviceNotFound />;
}
