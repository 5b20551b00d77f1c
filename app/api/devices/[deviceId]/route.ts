/** GET /api/devices/{deviceId} → DeviceDetailResponse: the device's summary and its twin (404 when unknown). */
import { getDeviceDetail } from '@/lib/dashboard/devices';
import { respond } from '@/lib/dashboard/respond';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export async function GET(_request: Request, { params }: { params: Promise<{ deviceId: string }> }): Promise<Response> {
  return respond(async () => getDeviceDetail((await params).deviceId));
}
