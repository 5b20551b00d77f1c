/**
 * Forgets every process-wide object of the dashboard server (configuration, hub clients, cached reads, the
 * tracker) and closes the history store, so the next request starts from the current environment. Used by tests
 * that switch hubs; a running dashboard never needs it.
 */
import { resetConfig } from '../config';
import { closeHistoryStore } from '../history';
import { forgetHubClients } from '../hub/clients';
import { forgetRebootTracker } from '../reboots';
import { forgetHubReads } from './devices';

export function resetDashboardServer(): void {
  forgetHubReads();
  forgetRebootTracker();
  closeHistoryStore();
  forgetHubClients();
  resetConfig();
}
