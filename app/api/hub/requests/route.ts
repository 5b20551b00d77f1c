/**
 * GET /api/hub/requests → HubRequestCounts: how many requests this dashboard process has sent to the hub, by kind.
 * Lets a bench drive a running dashboard with many pollers and see what they cost the hub. Counts only.
 */
import { getHubRequestCounts } from '@/lib/hub/metrics';
import { respond } from '@/lib/dashboard/respond';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export async function GET(_request: Request): Promise<Response> {
  return respond(async () => getHubRequestCounts());
}
