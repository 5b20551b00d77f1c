/**
 * One Registry and one service Client per hub target, kept on globalThis so Next's dev reloads and concurrent
 * requests share their keep-alive connections. A new hub file or connection string builds new ones.
 */
import type { Client, Registry } from 'azure-iothub';
import { NoRetry } from 'azure-iothub/dist/common-core/retry_policy';
import { getHubTarget, type HubTarget } from '../config';
import { DashboardError } from '../dashboard/errors';
import { createRegistry, createServiceClient } from './transport';

export interface HubClients {
  target: HubTarget;
  registry: Registry;
  client: Client;
}

interface ClientCache {
  current?: HubClients;
}

const cache: ClientCache = ((globalThis as { __twinboardHubClients?: ClientCache }).__twinboardHubClients ??= {});

export function buildHubClients(target: HubTarget): HubClients {
  try {
    const registry = createRegistry(target.connectionString, target.endpoint);
    const client = createServiceClient(target.connectionString, target.endpoint);
    // invokeDeviceMethod retries 429/500/503 by sending the method again (wire §2.4): a reboot must go out once.
    client.setRetryPolicy(new NoRetry());
    return { target, registry, client };
  } catch (err) {
    throw new DashboardError(
      'CONFIG_INVALID',
      `The service connection string for ${target.hostName} is malformed: ${(err as Error).message}`,
      'Use the connection string of a shared access policy: HostName=...;SharedAccessKeyName=...;SharedAccessKey=...',
    );
  }
}

/** The clients for the configured hub; throws CONFIG_INVALID when no hub is configured. */
export function getHubClients(): HubClients {
  const target = getHubTarget();
  if (!cache.current || cache.current.target.key !== target.key) {
    cache.current = buildHubClients(target);
  }
  return cache.current;
}

export function forgetHubClients(): void {
  delete cache.current;
}
