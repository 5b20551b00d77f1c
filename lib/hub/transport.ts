/**
 * Builds azure-iothub's Registry and Client for any hub: Azure (port 443, public CAs) or a local hub on another
 * port with its own CA. The SDK always dials port 443 and offers no public way to change it or the CA
 * (iothub-wire-protocol.md §2.1), but its constructors accept a RestApiClient whose request builder we supply
 * (§4, recipe C). Nothing process-wide is patched.
 */
import { Agent } from 'node:https';
import { createSecureContext } from 'node:tls';
// The package index assigns module.exports = {...}, which Node's ESM loader cannot see named exports in;
// the dist modules it re-exports can be imported by name.
import { Client } from 'azure-iothub/dist/client';
import * as ConnectionString from 'azure-iothub/dist/connection_string';
import { Registry } from 'azure-iothub/dist/registry';
import * as SharedAccessSignature from 'azure-iothub/dist/shared_access_signature';
import { Amqp } from 'azure-iothub/dist/amqp';
import { Http } from 'azure-iothub/dist/common-http/http';
import { RestApiClient } from 'azure-iothub/dist/common-http/rest_api_client';

/** Where the hub's REST endpoint listens when it is not Azure's 443 with a publicly trusted certificate. */
export interface HubEndpoint {
  /** TCP port of the HTTPS endpoint; 443 when omitted. */
  httpsPort?: number;
  /** PEM of the CA that signed this hub's certificate; trusted for this hub only, instead of Node's default CAs. */
  ca?: string;
}

const USER_AGENT = 'twinboard (azure-iothub)';

type BuildRequest = Http['buildRequest'];

/** The SDK's own request builder, with the endpoint's port and CA added to every request. */
class EndpointHttp extends Http {
  private readonly agent: Agent;
  private readonly port: number | undefined;

  constructor(endpoint: HubEndpoint) {
    super();
    this.port = endpoint.httpsPort && endpoint.httpsPort !== 443 ? endpoint.httpsPort : undefined;
    // One keep-alive agent per client, with the CA in a secure context made once: a `ca` option would be part
    // of the agent's pool key and rebuilt into a new context per connection, which costs more than the call.
    this.agent = new Agent({
      keepAlive: true,
      ...(endpoint.ca ? { secureContext: createSecureContext({ ca: endpoint.ca }) } : {}),
    });
  }

  override setOptions(options: { http?: { agent?: Agent } } & Record<string, unknown>): void {
    // Registry and Client install their own keep-alive agent; keep ours, which carries the CA.
    super.setOptions({ ...options, http: { ...options?.http, agent: this.agent } });
  }

  override buildRequest(...args: Parameters<BuildRequest>): ReturnType<BuildRequest> {
    const [method, path, headers, host, options, done] = args;
    if (this.port !== undefined && typeof options === 'function' && done === undefined) {
      return super.buildRequest(method, path, headers, host, { port: this.port }, options);
    }
    return super.buildRequest(method, path, headers, host, options, done);
  }
}

interface ServiceConfig {
  host: string;
  keyName: string;
  sharedAccessSignature: ReturnType<typeof SharedAccessSignature.create>;
  tokenCredential: undefined;
}

function serviceConfig(connectionString: string): ServiceConfig {
  const cn = ConnectionString.parse(connectionString);
  for (const field of ['HostName', 'SharedAccessKeyName', 'SharedAccessKey'] as const) {
    if (!cn[field]) throw new TypeError(`The service connection string has no ${field}=...`);
  }
  return {
    host: cn.HostName as string,
    keyName: cn.SharedAccessKeyName as string,
    // The RestApiClient re-signs each request; this first token only carries the key.
    sharedAccessSignature: SharedAccessSignature.create(
      cn.HostName as string,
      cn.SharedAccessKeyName as string,
      cn.SharedAccessKey as string,
      Math.ceil(Date.now() / 1000) + 3600,
    ),
    tokenCredential: undefined,
  };
}

function restApiClient(config: ServiceConfig, endpoint: HubEndpoint): RestApiClient {
  return new RestApiClient(config as never, USER_AGENT, new EndpointHttp(endpoint) as never);
}

/** A Registry for the hub the service connection string names. Throws on a malformed connection string. */
export function createRegistry(connectionString: string, endpoint: HubEndpoint = {}): Registry {
  const config = serviceConfig(connectionString);
  return new Registry(config as never, restApiClient(config, endpoint));
}

/** A service Client (direct methods over REST; AMQP is never opened). */
export function createServiceClient(connectionString: string, endpoint: HubEndpoint = {}): Client {
  const config = serviceConfig(connectionString);
  return new Client(new Amqp(config as never), restApiClient(config, endpoint));
}
