/** JSON responses for the GET route handlers: never cached, errors as ApiErrorBody with a fitting status. */
import { asDashboardError, errorBody } from './errors';

const NO_STORE = { 'Cache-Control': 'no-store' };

export function jsonResponse(data: unknown, status = 200): Response {
  return Response.json(data, { status, headers: NO_STORE });
}

export function errorResponse(error: unknown): Response {
  const dashboardError = asDashboardError(error);
  if (dashboardError.code === 'INTERNAL') console.error('[twinboard] request failed:', dashboardError.cause ?? dashboardError);
  return Response.json(errorBody(dashboardError), { status: dashboardError.status, headers: NO_STORE });
}

/** Runs a route's work and answers with its JSON or its error. */
export async function respond(work: () => Promise<unknown>): Promise<Response> {
  try {
    return jsonResponse(await work());
  } catch (err) {
    return errorResponse(err);
  }
}
