/**
 * Runs the local hub standalone: MQTT over TLS for devices, HTTPS REST for services, state in the data dir.
 *
 * Usage: tsx scripts/local-hub.ts [--host H] [--listen ADDR] [--mqtt-port P] [--https-port Q] [--data-dir D]
 *        (npm run hub -- ...)
 * Env: none. Writes <data dir>/hub.json once both listeners are up.
 * Exit codes: 0 stopped by SIGINT/SIGTERM, 1 could not start (port in use, unusable data dir), 2 usage error.
 */
import { isIP } from 'node:net';
import closeWithGrace from 'close-with-grace';
import { createLocalHub, DEFAULT_OPTIONS, HUB_FILE, isRoutineLogLine, type LocalHub } from '../lib/local-hub/index';
import { intOption, isMain, parseCli, runMain, UsageError } from './_shared/cli';

const NAME = 'local-hub';

export const USAGE = `
Usage: npm run hub -- [--host H] [--listen ADDR] [--mqtt-port P] [--https-port Q] [--data-dir D] [--quiet]

Runs an IoT-Hub-compatible hub on this machine: devices connect with MQTT over TLS, services (the dashboard,
azure-iothub's Registry and Client) use HTTPS REST. The official, unmodified Azure SDKs work against it.

Options:
  --host H          the hub's host name, as written in connection strings (default ${DEFAULT_OPTIONS.hostName}).
                    The server certificate covers it plus localhost and 127.0.0.1.
  --listen ADDR     the IP address to bind (default: the address --host resolves to, loopback for localhost).
                    Use 0.0.0.0 to accept devices from other machines.
  --mqtt-port P     MQTT over TLS port for devices (default ${DEFAULT_OPTIONS.mqttPort}; 0 picks a free port)
  --https-port Q    HTTPS port for services (default ${DEFAULT_OPTIONS.httpsPort}; 0 picks a free port)
  --data-dir D      where devices, twins, keys and certificates are kept (default ${DEFAULT_OPTIONS.dataDir}/)
  --quiet           print no line per device connect, disconnect or method call
  -h, --help        show this text

On start it prints the CA certificate to trust, the service connection string (policy iothubowner) and the
shape of device connection strings, and writes <data dir>/${HUB_FILE} for the simulator and the dashboard.
State survives restarts. SIGINT/SIGTERM stop it cleanly; a second signal exits at once.

Examples:
  npm run hub
  npm run hub -- --mqtt-port 0 --https-port 0 --data-dir /tmp/hub
  npm run hub -- --host iothub.local --listen 0.0.0.0
`;

const HOST_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/;

interface CliOptions {
  hostName: string;
  listen: string | undefined;
  mqttPort: number;
  httpsPort: number;
  dataDir: string;
  quiet: boolean;
}

export function parseOptions(argv: string[]): CliOptions | null {
  const values = parseCli(
    argv,
    {
      host: { type: 'string' },
      listen: { type: 'string' },
      'mqtt-port': { type: 'string' },
      'https-port': { type: 'string' },
      'data-dir': { type: 'string' },
      quiet: { type: 'boolean', short: 'q' },
    },
    USAGE,
  );
  if (!values) return null;
  const hostName = values.host ?? DEFAULT_OPTIONS.hostName;
  if (!HOST_NAME.test(hostName)) {
    throw new UsageError(`--host must be a host name or IPv4 address such as localhost or 127.0.0.1 (got "${hostName}")`);
  }
  const listen = values.listen;
  if (listen !== undefined && !isIP(listen)) {
    throw new UsageError(`--listen must be an IP address such as 127.0.0.1 or 0.0.0.0 (got "${listen}")`);
  }
  const mqttPort = intOption('mqtt-port', values['mqtt-port'], DEFAULT_OPTIONS.mqttPort, 0, 65535);
  const httpsPort = intOption('https-port', values['https-port'], DEFAULT_OPTIONS.httpsPort, 0, 65535);
  if (mqttPort !== 0 && mqttPort === httpsPort) {
    throw new UsageError(`--mqtt-port and --https-port must differ (both are ${mqttPort})`);
  }
  const dataDir = values['data-dir'] ?? DEFAULT_OPTIONS.dataDir;
  if (dataDir.trim() === '') throw new UsageError('--data-dir must not be empty');
  return { hostName, listen, mqttPort, httpsPort, dataDir, quiet: values.quiet === true };
}

function banner(hub: LocalHub): string {
  const gateway = hub.mqttPort === 8883 ? '' : `;GatewayHostName=${hub.hostName}:${hub.mqttPort}`;
  return `
twinboard local hub
  devices  (MQTT over TLS): mqtts://${hub.hostName}:${hub.mqttPort}   bound to ${hub.listen}
  services (HTTPS REST):    https://${hub.hostName}:${hub.httpsPort}   bound to ${hub.listen}
  data dir:                 ${hub.dataDir}   (${HUB_FILE} written)
  CA certificate:           ${hub.caFile}

Service connection string (policy iothubowner):
  ${hub.serviceConnectionString}

Device connection strings look like:
  HostName=${hub.hostName};DeviceId=<device id>;SharedAccessKey=<the device's key>${gateway}
  (register devices with "npm run simulate -- --count N" or azure-iothub's Registry.create)

Trusting the CA:
  any Node process:  NODE_EXTRA_CA_CERTS=${hub.caFile}
  device SDK:        client.setOptions({ ca: <contents of ca.pem> }) before open()
  service SDK:       lib/hub/transport.ts createRegistry/createServiceClient(cs, { httpsPort: ${hub.httpsPort}, ca })
                     (azure-iothub alone always dials port 443)
  curl:              curl --cacert ${hub.caFile} https://${hub.hostName}:${hub.httpsPort}/devices/?api-version=2021-04-12
`;
}

function timestamped(line: string): string {
  return `${new Date().toISOString()} ${line}\n`;
}

export async function main(argv: string[]): Promise<void> {
  const options = parseOptions(argv);
  if (!options) return;
  // One line per connect, disconnect and method call; per-subscription lines would flood the console.
  const log = options.quiet
    ? undefined
    : (line: string) => void (isRoutineLogLine(line) || process.stdout.write(timestamped(line)));
  const hub = await createLocalHub({
    hostName: options.hostName,
    mqttPort: options.mqttPort,
    httpsPort: options.httpsPort,
    dataDir: options.dataDir,
    ...(options.listen ? { listen: options.listen } : {}),
    ...(log ? { log } : {}),
  });
  process.stdout.write(banner(hub));
  closeWithGrace(
    {
      delay: 10_000,
      logger: { error: (message: unknown) => process.stderr.write(`${NAME}: ${String(message)}\n`) },
      onSecondSignal: (signal) => process.stderr.write(`${NAME}: second ${signal}, exiting now\n`),
    },
    async ({ signal, err }) => {
      if (err) process.stderr.write(`${NAME}: ${err.stack ?? err.message}\n`);
      process.stdout.write(timestamped(`stopping${signal ? ` (${signal})` : ''}`));
      await hub.close();
      process.stdout.write(timestamped('stopped'));
    },
  );
  process.stdout.write(timestamped('ready (Ctrl+C to stop)'));
}

if (isMain(import.meta.url)) runMain(NAME, main);
