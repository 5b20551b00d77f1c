/**
 * Device simulator: virtual devices on azure-iot-device + MQTT that answer the reboot direct method like the
 * tutorial's device, reboot (offline for a while, then back) and report `rebootTime`.
 *
 * Usage: tsx scripts/simulate-device.ts [--count N | --connection-string CS] [options]   (npm run simulate -- ...)
 * Env: NODE_EXTRA_CA_CERTS=<pem file> is trusted in addition to --ca and the local hub's CA.
 * Exit codes: 0 stopped by SIGINT/SIGTERM, 1 could not start (hub, credentials, TLS), 2 usage error.
 */
import { readFile } from 'node:fs/promises';
import closeWithGrace from 'close-with-grace';
import { createRegistry } from '../lib/hub/transport';
import { ensureDevices, RegistrationError } from '../lib/hub/device-registration';
import { explainConnectionError } from '../lib/simulator/connection-errors';
import { checkDeviceConnectionString, deviceConnectionString, isConnectionStringError } from '../lib/simulator/connection-string';
import { DEFAULT_PREFIX } from '../lib/simulator/device-ids';
import { Fleet } from '../lib/simulator/fleet';
import { DEFAULT_HUB_FILE, isHubFileError, readHubFile } from '../lib/simulator/hub-file';
import { DEFAULT_METHOD, LIMITS, resolveOptions, type SimulatorArgs, type SimulatorOptions } from '../lib/simulator/options';
import { SimulatorOutput } from '../lib/simulator/output';
import { isTrustError, trustedCas } from '../lib/simulator/trust';
import { DeviceStartError, type VirtualDeviceOptions } from '../lib/simulator/virtual-device';
import { EXIT_FAILURE, isMain, parseCli, runMain, UsageError } from './_shared/cli';

const NAME = 'simulate-device';

export const USAGE = `
Usage: npm run simulate -- [--count N | --connection-string CS] [options]

Runs virtual IoT devices (azure-iot-device over MQTT) that answer the reboot direct method like the tutorial's
device: they answer 200 with a JSON payload, go offline for --reboot-seconds, come back as freshly booted devices
and report the time they came back as the reported property rebootTime. Each device also reports rebootTime when it
first starts, as a device that has just booted.

Which devices (default: --count 1):
  -n, --count N              run N devices on the local hub (${LIMITS.count.min}-${LIMITS.count.max}); registers the missing ones first.
                             Device ids are <prefix>1 .. <prefix>N, not zero-padded, so ids stay the same when N changes.
  --prefix P                 device id prefix (default "${DEFAULT_PREFIX}")
  --hub-file FILE            the local hub's hub.json (default ${DEFAULT_HUB_FILE}); written by "npm run hub"
  --concurrency N            registrations and connections in flight while starting (default ${LIMITS.concurrency.fallback})
  --connection-string CS     run one device with this device connection string, on any hub (local or Azure).
                             For a hub on another MQTT port add ;GatewayHostName=<host>:<port>.

How devices behave:
  --method NAME              the reboot method's name (default "${DEFAULT_METHOD}"). Other methods get 404 {"message":...};
                             a reboot requested while one is in progress gets 409.
  --reboot-seconds S         how long a reboot keeps the device offline (${LIMITS.rebootSeconds.min}-${LIMITS.rebootSeconds.max}, default ${LIMITS.rebootSeconds.fallback})
  --answer-after-reboot      the tutorial's order: go offline, come back, report rebootTime, then answer (on the new
                             connection, with the original request id). Keep --reboot-seconds below the caller's
                             response timeout (30 s by default). Default order: answer first, then reboot.

TLS and output:
  --ca FILE                  also trust this CA (PEM). The local hub's CA (caFile in hub.json) is always trusted with
                             --count; NODE_EXTRA_CA_CERTS is honoured too.
  -q, --quiet                print only errors and a fleet summary every 10 s instead of one line per device event
  -h, --help                 show this text

Each device event is one line: <ISO time> <device id> <what happened> (connected, reboot requested, answered,
offline, back, reported, connection lost/back). Errors go to stderr. SIGINT/SIGTERM close every device cleanly.

Examples:
  npm run hub                                          # in another terminal: start the local hub
  npm run simulate -- --count 3                        # sim-device-1..3 on the local hub
  npm run simulate -- --count 1000 --quiet             # a big fleet, summaries only
  npm run simulate -- --count 2 --reboot-seconds 0 --method reboot
  npm run simulate -- --count 1 --answer-after-reboot --reboot-seconds 5
  npm run simulate -- --connection-string "HostName=myhub.azure-devices.net;DeviceId=dev1;SharedAccessKey=..."
  npm run simulate -- --connection-string "HostName=localhost;DeviceId=dev1;SharedAccessKey=...;GatewayHostName=localhost:18883" --ca .local-hub/ca.pem

Exit codes: 0 stopped by a signal, 1 could not start (hub down, key refused, CA not trusted, ...), 2 usage error.
`;

const OPTIONS = {
  'connection-string': { type: 'string' },
  count: { type: 'string', short: 'n' },
  prefix: { type: 'string' },
  'hub-file': { type: 'string' },
  ca: { type: 'string' },
  method: { type: 'string' },
  'reboot-seconds': { type: 'string' },
  'answer-after-reboot': { type: 'boolean' },
  concurrency: { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
} as const;

const SUMMARY_SECONDS = 10;
const SHUTDOWN_GRACE_MS = 15000;

/** A failure to start that has already been explained: printed as is, exit 1. */
class StartFailure extends Error {}

function isLoopback(host: string): boolean {
  const name = host.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  return name === 'localhost' || name === '::1' || name.startsWith('127.');
}

type DeviceBase = Omit<VirtualDeviceOptions, 'deviceId' | 'connectionString' | 'endpoint' | 'localHub' | 'ca'>;

function behaviour(options: SimulatorOptions): DeviceBase {
  return {
    methodName: options.methodName,
    rebootSeconds: options.rebootSeconds,
    answerAfterReboot: options.answerAfterReboot,
  };
}

async function singleDevice(options: SimulatorOptions, connectionString: string): Promise<VirtualDeviceOptions[]> {
  const checked = checkDeviceConnectionString(connectionString);
  if (isConnectionStringError(checked)) throw new UsageError(checked.message);
  const ca = options.caFile ? await trustedCas([{ path: options.caFile, what: '--ca file' }], true) : undefined;
  if (isTrustError(ca)) throw new StartFailure(ca.message);
  return [
    {
      ...behaviour(options),
      deviceId: checked.deviceId,
      connectionString,
      endpoint: checked.endpoint,
      localHub: isLoopback(checked.endpoint),
      ...(ca !== undefined ? { ca } : {}),
    },
  ];
}

async function localFleet(
  options: SimulatorOptions,
  hubFile: string,
  deviceIds: string[],
  output: SimulatorOutput,
): Promise<VirtualDeviceOptions[]> {
  const hub = await readHubFile(hubFile);
  if (isHubFileError(hub)) throw new StartFailure(hub.message);
  const caFiles = [{ path: hub.caFile, what: `the hub's CA file (caFile in ${hubFile})` }];
  if (options.caFile) caFiles.push({ path: options.caFile, what: '--ca file' });
  const ca = await trustedCas(caFiles, false);
  if (isTrustError(ca)) throw new StartFailure(ca.message);
  const hubCa = await readFile(hub.caFile, 'utf8');

  const serviceEndpoint = `${hub.hostName}:${hub.httpsPort}`;
  let registry;
  try {
    registry = createRegistry(hub.serviceConnectionString, { httpsPort: hub.httpsPort, ca: hubCa });
  } catch (err) {
    throw new StartFailure(`${hubFile} has an unusable serviceConnectionString: ${(err as Error).message}`);
  }
  output.fleet(`checking ${deviceIds.length} device identit${deviceIds.length === 1 ? 'y' : 'ies'} on ${serviceEndpoint}`);
  let created = 0;
  let lastPrinted = Date.now();
  let devices;
  try {
    devices = await ensureDevices(registry, deviceIds, {
      concurrency: options.concurrency,
      onProgress: (done, total, device) => {
        if (device.created) created++;
        if (Date.now() - lastPrinted >= 1000 && done < total) {
          lastPrinted = Date.now();
          output.fleet(`registered ${done}/${total}`);
        }
      },
    });
  } catch (err) {
    if (err instanceof RegistrationError) throw new StartFailure(err.message);
    throw new StartFailure(`registering devices failed: ${explainConnectionError(err, serviceEndpoint, true).message}`);
  }
  // Two clients with one identity take turns kicking each other off the hub (wire §1.6, duplicate clientId).
  const inUse = devices.filter((device) => device.connectionState?.toLowerCase() === 'connected');
  if (inUse.length > 0) {
    throw new StartFailure(
      `${inUse.length} of these devices ${inUse.length === 1 ? 'is' : 'are'} already connected (${inUse[0]?.deviceId}` +
        `${inUse.length > 1 ? ', ...' : ''}): is another simulator running with the same --prefix? ` +
        'Stop it or choose another --prefix; two clients with one device id keep disconnecting each other',
    );
  }
  output.fleet(`devices ready: ${created} created, ${devices.length - created} already registered`);
  const endpoint = `${hub.hostName}:${hub.mqttPort}`;
  return devices.map((device) => ({
    ...behaviour(options),
    deviceId: device.deviceId,
    connectionString: deviceConnectionString(hub.hostName, hub.mqttPort, device.deviceId, device.primaryKey),
    endpoint,
    localHub: true,
    ...(ca !== undefined ? { ca } : {}),
  }));
}

export async function main(argv: string[]): Promise<void> {
  const values = parseCli(argv, OPTIONS, USAGE);
  if (values === null) return;
  const resolved = resolveOptions(values as SimulatorArgs);
  if (!resolved.ok) throw new UsageError(resolved.message);
  const options = resolved.options;

  const output = new SimulatorOutput({
    quiet: options.quiet,
    write: (line) => process.stdout.write(line + '\n'),
    writeError: (line) => process.stderr.write(line + '\n'),
  });

  // Installed before registering, so that Ctrl+C at any point closes whatever is open and exits 0.
  let fleet: Fleet | undefined;
  const grace = closeWithGrace({ delay: SHUTDOWN_GRACE_MS }, async ({ signal, err }) => {
    const size = fleet?.size ?? 0;
    if (err) output.fleetError(`stopping after an unexpected error: ${err.stack ?? err.message}`);
    else output.fleet(`stopping${signal ? ` (${signal})` : ''}: closing ${size} device connection${size === 1 ? '' : 's'}`);
    output.stopSummaries();
    await fleet?.stop();
    output.fleet('stopped');
  });

  try {
    const deviceOptions =
      options.target.kind === 'connection-string'
        ? await singleDevice(options, options.target.connectionString)
        : await localFleet(options, options.target.hubFile, options.target.deviceIds, output);
    fleet = new Fleet(deviceOptions, output, options.concurrency, () => {
      output.fleetError('no device is running any more');
      output.stopSummaries();
      grace.uninstall();
      process.exitCode = EXIT_FAILURE;
    });
    output.fleet(
      `starting ${fleet.size} device${fleet.size === 1 ? '' : 's'} on ${deviceOptions[0]?.endpoint ?? '?'} ` +
        `(method ${options.methodName}, reboot ${options.rebootSeconds} s, ` +
        `${options.answerAfterReboot ? 'answer after reboot' : 'answer then reboot'})`,
    );
    await fleet.start();
  } catch (err) {
    grace.uninstall();
    await fleet?.stop();
    if (err instanceof StartFailure) throw new Error(err.message);
    if (err instanceof DeviceStartError) throw new Error(`${err.deviceId} could not connect: ${err.problem.message}`);
    throw err;
  }
  const running = fleet;
  output.startSummaries(SUMMARY_SECONDS, () => running.counters());
}

if (isMain(import.meta.url)) runMain(NAME, main);
