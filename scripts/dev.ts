/**
 * One command for local development: the local hub, three simulated devices and the dashboard in dev mode.
 *
 * Usage: tsx scripts/dev.ts [--port N] [--devices N] [--reboot-seconds S] [--data-dir DIR]   (npm run dev -- ...)
 * Env: IOTHUB_CONNECTION_STRING set -> no local hub and no simulator; the dashboard talks to that hub.
 *      Everything else (TWINBOARD_*) is passed through to the dashboard.
 * Exit codes: 0 stopped by SIGINT/SIGTERM, 1 something could not start or the dashboard died, 2 usage error.
 *
 * A hub already listening for the same data dir (its hub.json answers on both ports) is reused, and left
 * running on exit. Children run in their own process groups so one Ctrl-C reaches each exactly once, in
 * order: dashboard, devices, then the hub this script started.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { createLocalHub, isRoutineLogLine, type LocalHub } from '../lib/local-hub';
import { intOption, isMain, parseCli, runMain, UsageError } from './_shared/cli';

const NAME = 'dev';

export const USAGE = `
Usage: npm run dev -- [options]

Starts, in one terminal, everything twinboard needs on this machine:
  [hub]   the local IoT hub (MQTT over TLS and HTTPS, data in --data-dir); an already running one is reused
  [sim]   simulated devices sim-device-1..N (scripts/simulate-device.ts), registered on that hub
  [next]  the dashboard (next dev)
and prints the dashboard's URL. Ctrl-C stops all of them.

Options:
  -p, --port N            dashboard port (default 3000)
  -n, --devices N         how many simulated devices (0-100, default 3; 0 starts none)
  --reboot-seconds S      how long a simulated reboot keeps a device offline (0-300, simulator default when unset)
  --mqtt-port N           local hub MQTT port (default 8883; 0 picks a free one)
  --https-port N          local hub HTTPS port (default 8443; 0 picks a free one)
  --data-dir DIR          local hub data dir (default .local-hub)
  -h, --help              show this text

With IOTHUB_CONNECTION_STRING set, no local hub and no simulator start: the dashboard manages that hub's devices.
`;

const OPTIONS = {
  port: { type: 'string', short: 'p' },
  devices: { type: 'string', short: 'n' },
  'reboot-seconds': { type: 'string' },
  'mqtt-port': { type: 'string' },
  'https-port': { type: 'string' },
  'data-dir': { type: 'string' },
} as const;

const SHUTDOWN_GRACE_MS = 15_000;
const PROBE_TIMEOUT_MS = 1000;
const DUPLICATE_SIGNAL_MS = 1000;

interface DevOptions {
  port: number;
  devices: number;
  rebootSeconds: number | null;
  mqttPort: number;
  httpsPort: number;
  dataDir: string;
}

function readOptions(argv: string[]): DevOptions | null {
  const values = parseCli(argv, OPTIONS, USAGE);
  if (values === null) return null;
  const dataDir = values['data-dir'];
  if (dataDir !== undefined && dataDir.trim() === '') throw new UsageError('--data-dir must not be empty');
  return {
    port: intOption('port', values.port, 3000, 1, 65535),
    devices: intOption('devices', values.devices, 3, 0, 100),
    rebootSeconds: values['reboot-seconds'] === undefined ? null : intOption('reboot-seconds', values['reboot-seconds'], 0, 0, 300),
    mqttPort: intOption('mqtt-port', values['mqtt-port'], 8883, 0, 65535),
    httpsPort: intOption('https-port', values['https-port'], 8443, 0, 65535),
    dataDir: resolve(dataDir ?? '.local-hub'),
  };
}

/** Writes each line of a child's output with a tag in front, so three programs can share one terminal. */
function prefixLines(stream: NodeJS.ReadableStream | null, tag: string, out: NodeJS.WriteStream, onLine?: (line: string) => void) {
  if (!stream) return;
  createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
    out.write(`${tag} ${line}\n`);
    onLine?.(line);
  });
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = createConnection({ host, port });
    const finish = (ok: boolean) => {
      socket.destroy();
      done(ok);
    };
    socket.setTimeout(PROBE_TIMEOUT_MS, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

/** The hub described by <dataDir>/hub.json when both its ports answer; null when no such hub runs. */
async function runningHub(hubFile: string): Promise<{ hostName: string; mqttPort: number; httpsPort: number } | null> {
  let hub: { hostName?: unknown; mqttPort?: unknown; httpsPort?: unknown };
  try {
    hub = JSON.parse(readFileSync(hubFile, 'utf8')) as typeof hub;
  } catch {
    return null;
  }
  const { hostName, mqttPort, httpsPort } = hub;
  if (typeof hostName !== 'string' || typeof mqttPort !== 'number' || typeof httpsPort !== 'number') return null;
  const [mqtt, https] = await Promise.all([canConnect(hostName, mqttPort), canConnect(hostName, httpsPort)]);
  return mqtt && https ? { hostName, mqttPort, httpsPort } : null;
}

interface Child {
  name: string;
  process: ChildProcess;
  exited: Promise<number | null>;
}

function startChild(name: string, args: string[], env: NodeJS.ProcessEnv, onLine?: (line: string) => void): Child {
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const tag = `[${name}]`.padEnd(6);
  prefixLines(child.stdout, tag, process.stdout, onLine);
  prefixLines(child.stderr, tag, process.stderr, onLine);
  const exited = new Promise<number | null>((done) => {
    child.once('exit', (code, signal) => done(code ?? (signal ? 128 : null)));
    child.once('error', (err) => {
      process.stderr.write(`${tag} could not start: ${err.message}\n`);
      done(1);
    });
  });
  return { name, process: child, exited };
}

function signalGroup(child: Child, signal: NodeJS.Signals): void {
  if (child.process.exitCode !== null || child.process.signalCode !== null || child.process.pid === undefined) return;
  try {
    process.kill(-child.process.pid, signal);
  } catch {
    // Already gone.
  }
}

/** Asks a child to stop (SIGINT to its group) and waits for it; SIGKILL when it takes too long. */
async function stopChild(child: Child, graceMs: number): Promise<void> {
  signalGroup(child, 'SIGINT');
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((done) => {
    timer = setTimeout(() => done('late'), graceMs);
  });
  const outcome = await Promise.race([child.exited, late]);
  clearTimeout(timer);
  if (outcome === 'late') {
    process.stderr.write(`[dev]  ${child.name} did not stop within ${graceMs / 1000} s; killing it\n`);
    signalGroup(child, 'SIGKILL');
    await child.exited;
  }
}

export async function main(argv: string[]): Promise<void> {
  const options = readOptions(argv);
  if (options === null) return;

  const log = (line: string) => process.stdout.write(`[dev]  ${line}\n`);
  const children: Child[] = [];
  let hub: LocalHub | null = null;
  let stopping = false;

  // A crash of this script must not leave a dashboard or devices running without it.
  process.once('exit', () => {
    for (const child of children) signalGroup(child, 'SIGKILL');
  });

  let stopped: Promise<void> | null = null;
  const stopAll = (): Promise<void> =>
    (stopped ??= (async () => {
      stopping = true;
      for (const name of ['next', 'sim']) {
        const child = children.find((c) => c.name === name);
        if (child) await stopChild(child, name === 'next' ? 5000 : 10_000);
      }
      if (hub) {
        log('closing the local hub');
        await hub.close();
      }
    })());

  // A wrapper (npm, tsx) may relay the terminal's Ctrl-C, so one keypress can arrive twice; only a signal
  // well after the first one means "stop now".
  let firstSignalAt = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    if (firstSignalAt !== 0) {
      if (Date.now() - firstSignalAt < DUPLICATE_SIGNAL_MS) return;
      process.stderr.write(`[dev]  ${signal} again: killing everything\n`);
      process.exit(1);
    }
    firstSignalAt = Date.now();
    log(`stopping (${signal})`);
    setTimeout(() => {
      process.stderr.write(`[dev]  could not stop within ${SHUTDOWN_GRACE_MS / 1000} s; killing everything\n`);
      process.exit(1);
    }, SHUTDOWN_GRACE_MS).unref();
    void stopAll().then(
      () => {
        log('stopped');
        removeSignalHandlers();
      },
      (err: unknown) => {
        process.stderr.write(`[dev]  stopping failed: ${(err as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  const removeSignalHandlers = () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', FORCE_COLOR: process.env.FORCE_COLOR ?? '1' };
  const azure = Boolean(process.env.IOTHUB_CONNECTION_STRING?.trim());
  const hubFile = join(options.dataDir, 'hub.json');
  let hubLabel: string;

  try {
    if (azure) {
      hubLabel = 'the IoT hub in IOTHUB_CONNECTION_STRING';
      log('IOTHUB_CONNECTION_STRING is set: no local hub, no simulated devices');
    } else {
      const existing = await runningHub(hubFile);
      if (existing) {
        hubLabel = `${existing.hostName} (reused: MQTT ${existing.mqttPort}, HTTPS ${existing.httpsPort})`;
        log(`reusing the local hub already running for ${options.dataDir}: MQTT ${existing.mqttPort}, HTTPS ${existing.httpsPort}`);
      } else {
        log(`starting the local hub (data in ${options.dataDir})`);
        hub = await createLocalHub({
          dataDir: options.dataDir,
          mqttPort: options.mqttPort,
          httpsPort: options.httpsPort,
          // One line per connect, disconnect and method call, as `npm run hub` prints; not one per subscription.
          log: (line) => {
            if (!isRoutineLogLine(line)) process.stdout.write(`[hub]  ${line}\n`);
          },
        });
        hubLabel = `${hub.hostName} (MQTT ${hub.mqttPort}, HTTPS ${hub.httpsPort})`;
        log(`local hub ready: ${hubLabel}`);
      }
      env.TWINBOARD_LOCAL_HUB_FILE = hubFile;

      if (options.devices > 0) {
        const simArgs = ['--import', 'tsx', resolve('scripts/simulate-device.ts'), '--count', String(options.devices), '--hub-file', hubFile];
        if (options.rebootSeconds !== null) simArgs.push('--reboot-seconds', String(options.rebootSeconds));
        const sim = startChild('sim', simArgs, env);
        children.push(sim);
        void sim.exited.then((code) => {
          if (!stopping) process.stderr.write(`[dev]  the simulator exited (code ${code}); the dashboard keeps running\n`);
        });
      }
    }

    let announced = false;
    const url = `http://localhost:${options.port}`;
    const next = startChild('next', [resolve('node_modules/next/dist/bin/next'), 'dev', '--port', String(options.port)], env, (line) => {
      if (!announced && /\bReady\b/i.test(line)) {
        announced = true;
        log(`twinboard is running at ${url}  (hub: ${hubLabel}${!azure && options.devices > 0 ? `, ${options.devices} simulated devices` : ''}). Ctrl-C stops everything.`);
      }
    });
    children.push(next);
    void next.exited.then((code) => {
      if (stopping) return;
      process.stderr.write(`[dev]  the dashboard exited (code ${code}); stopping the rest\n`);
      process.exitCode = 1;
      void stopAll().then(removeSignalHandlers);
    });
  } catch (err) {
    removeSignalHandlers();
    await stopAll();
    throw err;
  }
}

if (isMain(import.meta.url)) runMain(NAME, main);
