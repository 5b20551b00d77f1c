/**
 * Child process for tests: lists the devices once through the dashboard's server function, configured only by
 * this process's environment (IOTHUB_CONNECTION_STRING, NODE_EXTRA_CA_CERTS, ...), and prints the result or the
 * ApiErrorBody as one JSON line.
 */
import { listDevices } from '../../lib/dashboard/devices';
import { asDashboardError, errorBody } from '../../lib/dashboard/errors';

try {
  console.log(JSON.stringify(await listDevices()));
} catch (err) {
  console.log(JSON.stringify(errorBody(asDashboardError(err))));
}
