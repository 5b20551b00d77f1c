/**
 * The dashboard's access to the IoT hub (azure-iothub): twins, direct methods, error mapping and request counts.
 * `server-only` makes a client component that imports this entry fail the build, so the SDK and the connection
 * string stay on the server. Tests, scripts and the dashboard's own server modules import the inner modules,
 * which plain Node can load.
 */
import 'server-only';

export { queryTwins, readTwin, toHubTwin, QUERY_PAGE_SIZE } from './twins';
export { invokeMethod } from './methods';
export { mapHubError, hubErrorCodeOf } from './errors';
export { getHubRequestCounts, resetHubRequestCounts } from './metrics';
export { getHubClients, buildHubClients, forgetHubClients } from './clients';
export type { HubTwin, MethodCall, MethodAnswer } from './types';
export type { HubRequestCounts } from './metrics';
