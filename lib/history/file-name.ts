/**
 * Which history file belongs to which hub. Device ids are unique only within one hub, so each hub keeps its own
 * history (reboots and device baselines) in its own SQLite file in the data directory, named after the hub the
 * dashboard talks to: the host name for a hub named by IOTHUB_CONNECTION_STRING (always port 443), the host name
 * and HTTPS port for a local hub found through hub.json (several can run on one host).
 */
import { createHash } from 'node:crypto';
import type { HubTarget } from '../config';

/** Longer names are cut and made unique with a hash, far below the usual 255-byte file name limit. */
const MAX_NAME = 120;

export type HistoryHub = Pick<HubTarget, 'kind' | 'hostName' | 'endpoint'>;

/** A readable, filesystem-safe file name, e.g. history-local-localhost-8443.sqlite, history-azure-myhub.azure-devices.net.sqlite. */
export function historyFileName(hub: HistoryHub): string {
  // Host names are case-insensitive, so MyHub and myhub are one hub and one file.
  const port = hub.kind === 'local' && hub.endpoint.httpsPort !== undefined ? `-${hub.endpoint.httpsPort}` : '';
  let name = `${hub.kind}-${hub.hostName.toLowerCase()}${port}`.replace(/[^a-z0-9.-]/g, '_');
  if (name.length > MAX_NAME) name = `${name.slice(0, MAX_NAME - 13)}-${createHash('sha256').update(name).digest('hex').slice(0, 12)}`;
  return `history-${name}.sqlite`;
}
