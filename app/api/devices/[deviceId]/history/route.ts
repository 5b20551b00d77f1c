/** GET /api/devices/{deviceId}/history → RebootHistoryResponse: the device's reboots, newest first. */
import { getRebootHistory } from '@/lib/dashboard/devices';
import { respond } from '@/lib/dashboard/respond';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export async function GET(_request: Request, { params }: { params: Promise<{ deviceId: string }> }): Promise<Response> {
  return respond(async () => getRebootHistory((await params).deviceId));
}
