/**
 * Which IoT hub the dashboard talks to, and how to reach it:
 * - IOTHUB_CONNECTION_STRING set: exactly like Azure, HostName on port 443, CAs from Node's store plus
 *   NODE_EXTRA_CA_CERTS (an empty endpoint for lib/hub/transport.ts).
 * - otherwise the local hub's hub.json (written by the local hub once it listens): its HTTPS port and its CA.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { DashboardError } from '../dashboard/errors';
import { parseServiceConnectionString } from './connection-string';
import type { DashboardSettingsConfig } from './settings';

export interface HubTarget {
  kind: 'azure' | 'local';
  /** The hub's host name (safe to show; never the connection string). */
  hostName: string;
  connectionString: string;
  /** For lib/hub/transport.ts: omitted fields mean Azure's defaults. */
  endpoint: { httpsPort?: number; ca?: string };
  /** Identity of this target: changes when the hub file or the connection string changes. */
  key: string;
}

const NO_HUB_HINT = 'Start the local hub with npm run hub, or set IOTHUB_CONNECTION_STRING to your IoT hub\'s service connection string.';

const hubFileSchema = z.object({
  hostName: z.string().min(1),
  mqttPort: z.number().int().min(0).max(65535),
  httpsPort: z.number().int().min(1).max(65535),
  caFile: z.string().min(1),
  serviceConnectionString: z.string().min(1),
});

/** The trimmed connection string and its host name; CONFIG_INVALID (without the key) when malformed. */
function checkedConnectionString(value: string, origin: string): { connectionString: string; hostName: string } {
  const check = parseServiceConnectionString(value);
  if (!check.ok) {
    throw new DashboardError(
      'CONFIG_INVALID',
      `The service connection string in ${origin} is malformed: ${check.problem}.`,
      'Copy the connection string of a shared access policy (e.g. iothubowner or service) from the IoT hub: HostName=<hub>.azure-devices.net;SharedAccessKeyName=<policy>;SharedAccessKey=<key>.',
    );
  }
  return { connectionString: value.trim(), hostName: check.parts.hostName };
}

export function azureTarget(value: string): HubTarget {
  const { connectionString, hostName } = checkedConnectionString(value, 'IOTHUB_CONNECTION_STRING');
  return { kind: 'azure', hostName, connectionString, endpoint: {}, key: `azure:${connectionString}` };
}

/** The local hub named by its hub.json: its HTTPS port and its CA (read from the file hub.json names). */
export function localTarget(hubFile: string): HubTarget {
  let raw: string;
  try {
    raw = readFileSync(/*turbopackIgnore: true*/ hubFile, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new DashboardError(
        'CONFIG_INVALID',
        `No IoT hub is configured: start the local hub with npm run hub, or set IOTHUB_CONNECTION_STRING (no local hub file at ${hubFile}).`,
        NO_HUB_HINT,
      );
    }
    throw new DashboardError('CONFIG_INVALID', `The local hub file ${hubFile} cannot be read (${(err as Error).message}).`, NO_HUB_HINT);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new DashboardError('CONFIG_INVALID', `The local hub file ${hubFile} is not valid JSON.`, `Restart the local hub (npm run hub) to rewrite it, or set IOTHUB_CONNECTION_STRING.`);
  }
  const parsed = hubFileSchema.safeParse(json);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join('.') || '(root)'))].join(', ');
    throw new DashboardError('CONFIG_INVALID', `The local hub file ${hubFile} is missing or has invalid fields: ${fields}.`, 'Restart the local hub (npm run hub) to rewrite it.');
  }
  const file = parsed.data;
  const { connectionString, hostName } = checkedConnectionString(file.serviceConnectionString, hubFile);
  const caFile = resolve(dirname(hubFile), file.caFile);
  let ca: string;
  try {
    ca = readFileSync(/*turbopackIgnore: true*/ caFile, 'utf8');
  } catch (err) {
    throw new DashboardError('CONFIG_INVALID', `The local hub's CA file ${caFile} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}).`, 'Restart the local hub (npm run hub) so it writes its certificates again.');
  }
  return {
    kind: 'local',
    hostName,
    connectionString,
    endpoint: { httpsPort: file.httpsPort, ca },
    key: `local:${hubFile}:${file.httpsPort}:${connectionString}:${createHash('sha256').update(ca).digest('hex')}`,
  };
}

/** A cheap fingerprint of the hub file, or null when it does not exist. */
export function hubFileStamp(hubFile: string): string | null {
  try {
    const stat = statSync(/*turbopackIgnore: true*/ hubFile);
    return `${stat.mtimeMs}:${stat.size}`;
  } catch {
    return null;
  }
}

export function resolveHubTarget(settings: DashboardSettingsConfig): HubTarget {
  return settings.connectionString !== null ? azureTarget(settings.connectionString) : localTarget(settings.localHubFile);
}
