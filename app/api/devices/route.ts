/** GET /api/devices → DeviceListResponse: every device with its connection state, last reboot and reboot progress. */
import { listDevices } from '@/lib/dashboard/devices';
import { respond } from '@/lib/dashboard/respond';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export async function GET(_request: Request): Promise<Response> {
  return respond(() => listDevices());
}
