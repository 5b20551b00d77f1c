/**
 * The local hub: an IoT-Hub-compatible hub on this machine. Devices connect with MQTT over TLS (./mqtt),
 * services use HTTPS REST (./https); both share one SQLite store and one certificate from the data dir.
 *
 *   const hub = await createLocalHub({ mqttPort: 0, httpsPort: 0 });
 *   hub.serviceConnectionString; hub.deviceConnectionString(id, key); await hub.close();
 *
 * Once both listeners are up it writes `<dataDir>/hub.json` for other processes (simulator, dashboard).
 */
import { lookup } from 'node:dns/promises';
import { renameSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:https';
import { isIP, type AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { ensureCertificates } from './certs';
import { createServiceServer } from './https/server';
import { startDeviceEndpoint, type DeviceEndpoint } from './mqtt/index';
import { HubStore } from './store';

export interface LocalHubOptions {
  /** The name devices and services use for the hub (HostName=...). */
  hostName: string;
  /** The address to bind; by default the address hostName resolves to (loopback for localhost). */
  listen?: string;
  /** MQTT over TLS port; 0 binds any free port. */
  mqttPort: number;
  /** HTTPS REST port; 0 binds any free port. */
  httpsPort: number;
  /** Where the store, certificates and hub.json live. */
  dataDir: string;
  /** One line per event (device connects, disconnects, subscriptions, method calls, internal errors). */
  log?: (line: string) => void;
}

export interface LocalHub {
  hostName: string;
  /** The ports actually bound. */
  mqttPort: number;
  httpsPort: number;
  /** The address both listeners are bound to. */
  listen: string;
  dataDir: string;
  /** Absolute path of the CA certificate to trust. */
  caFile: string;
  caPem: string;
  /** Connection string of the iothubowner policy. */
  serviceConnectionString: string;
  /** A device connection string; adds GatewayHostName=<host>:<port> when MQTT is not on 8883 (wire §1.1). */
  deviceConnectionString(deviceId: string, key: string): string;
  /** Stops accepting, closes device connections, the broker, the HTTPS server and the store. Idempotent. */
  close(): Promise<void>;
}

/** The contents of `<dataDir>/hub.json`. */
export interface HubFile {
  hostName: string;
  mqttPort: number;
  httpsPort: number;
  caFile: string;
  serviceConnectionString: string;
}

export const DEFAULT_OPTIONS: LocalHubOptions = {
  hostName: 'localhost',
  mqttPort: 8883,
  httpsPort: 8443,
  dataDir: '.local-hub',
};

export const HUB_FILE = 'hub.json';

/**
 * Log lines a fleet would drown a console in: every device subscribes to several topics on each connect.
 * A console sink can drop these and still show one line per connect, disconnect, refusal and method call.
 */
const ROUTINE_LINE = /^mqtt: \S+ (subscribed to|unsubscribed from) /;

export function isRoutineLogLine(line: string): boolean {
  return ROUTINE_LINE.test(line);
}
const MQTT_DEFAULT_PORT = 8883;

/** Thrown when the hub cannot start; `hint` says what to do about it. */
export class LocalHubStartError extends Error {
  readonly hint: string;
  readonly code: string | undefined;
  constructor(message: string, hint: string, code?: string) {
    super(`${message} ${hint}`.trim());
    this.name = 'LocalHubStartError';
    this.hint = hint;
    this.code = code;
  }
}

async function resolveListen(hostName: string): Promise<string> {
  if (isIP(hostName)) return hostName;
  try {
    return (await lookup(hostName, { family: 4 })).address;
  } catch {
    try {
      return (await lookup(hostName)).address;
    } catch (err) {
      throw new LocalHubStartError(
        `The host name "${hostName}" does not resolve (${(err as NodeJS.ErrnoException).code ?? 'lookup failed'}).`,
        'Use a name in /etc/hosts, an IP address, or pass listen (--listen) explicitly.',
      );
    }
  }
}

function openStore(dataDir: string): HubStore {
  try {
    return HubStore.open(dataDir);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new LocalHubStartError(
      `Cannot use the data dir ${dataDir}: ${e.message}.`,
      'Pass a writable directory (--data-dir), or remove what is in the way.',
      e.code,
    );
  }
}

function listenError(what: string, address: string, port: number, err: NodeJS.ErrnoException): LocalHubStartError {
  const where = `${address}:${port}`;
  if (err.code === 'EADDRINUSE') {
    return new LocalHubStartError(
      `The ${what} port ${where} is already in use.`,
      `Stop the process holding it, or choose another port (${what === 'HTTPS' ? 'httpsPort, --https-port' : 'mqttPort, --mqtt-port'}; 0 picks a free one).`,
      err.code,
    );
  }
  if (err.code === 'EACCES') {
    return new LocalHubStartError(
      `Not allowed to listen on ${where}.`,
      'Ports below 1024 need extra privileges; use a port from 1024 up.',
      err.code,
    );
  }
  if (err.code === 'EADDRNOTAVAIL') {
    return new LocalHubStartError(`The address ${address} is not on this machine.`, 'Pass an address of this machine to listen on (listen, --listen).', err.code);
  }
  return new LocalHubStartError(`Cannot listen on ${where} for ${what}: ${err.message}.`, '', err.code);
}

function listenHttps(server: Server, address: string, port: number): Promise<number> {
  return new Promise((done, fail) => {
    const onError = (err: NodeJS.ErrnoException) => fail(listenError('HTTPS', address, port, err));
    server.once('error', onError);
    server.listen(port, address, () => {
      server.off('error', onError);
      done((server.address() as AddressInfo).port);
    });
  });
}

/** Stops accepting at once and drops idle keep-alive connections, which would otherwise hold close() open. */
function stopAccepting(server: Server): Promise<void> {
  return new Promise((done) => {
    if (!server.listening) return done();
    server.close(() => done());
    server.closeIdleConnections();
  });
}

function writeHubFile(dataDir: string, content: HubFile): void {
  const file = join(dataDir, HUB_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(content, null, 2) + '\n');
  renameSync(tmp, file);
}

export async function createLocalHub(options: Partial<LocalHubOptions> = {}): Promise<LocalHub> {
  const opts: LocalHubOptions = { ...DEFAULT_OPTIONS, ...stripUndefined(options) };
  const dataDir = resolve(opts.dataDir);
  const log = opts.log;
  const listen = opts.listen ?? (await resolveListen(opts.hostName));

  const store = openStore(dataDir);
  let endpoint: DeviceEndpoint | undefined;
  let server: Server | undefined;
  try {
    const extraNames = isIP(listen) && listen !== '0.0.0.0' && listen !== '::' ? [listen] : [];
    const certs = await ensureCertificates(dataDir, opts.hostName, extraNames);
    try {
      endpoint = await startDeviceEndpoint({
        hostName: opts.hostName,
        listen,
        port: opts.mqttPort,
        tls: { key: certs.key, cert: certs.cert },
        directory: store,
        ...(log ? { log } : {}),
      });
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      if (e.code && e.syscall === 'listen') throw listenError('MQTT', listen, opts.mqttPort, e);
      throw err;
    }
    const gateway = endpoint;
    server = createServiceServer({ hostName: opts.hostName, store, gateway, ...(log ? { log } : {}) }, certs);
    const httpsPort = await listenHttps(server, listen, opts.httpsPort);
    const mqttPort = endpoint.port;

    const owner = store.getPolicy('iothubowner');
    if (!owner) throw new Error('the store has no iothubowner policy');
    const serviceConnectionString = `HostName=${opts.hostName};SharedAccessKeyName=iothubowner;SharedAccessKey=${owner.primaryKey}`;
    writeHubFile(dataDir, { hostName: opts.hostName, mqttPort, httpsPort, caFile: certs.caFile, serviceConnectionString });

    const runningServer = server;
    const runningEndpoint = endpoint;
    let closing: Promise<void> | undefined;
    return {
      hostName: opts.hostName,
      mqttPort,
      httpsPort,
      listen,
      dataDir,
      caFile: certs.caFile,
      caPem: certs.caPem,
      serviceConnectionString,
      deviceConnectionString(deviceId: string, key: string): string {
        const base = `HostName=${opts.hostName};DeviceId=${deviceId};SharedAccessKey=${key}`;
        return mqttPort === MQTT_DEFAULT_PORT ? base : `${base};GatewayHostName=${opts.hostName}:${mqttPort}`;
      },
      close(): Promise<void> {
        closing ??= (async () => {
          const httpsClosed = stopAccepting(runningServer);
          // Closing the device side answers pending method calls (504101); let those answers go out.
          await runningEndpoint.close().catch(() => {});
          await new Promise((r) => setImmediate(r));
          runningServer.closeAllConnections();
          await httpsClosed;
          store.close();
        })();
        return closing;
      },
    };
  } catch (err) {
    if (server) {
      const closed = stopAccepting(server);
      server.closeAllConnections();
      await closed;
    }
    await endpoint?.close().catch(() => {});
    store.close();
    throw err;
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
