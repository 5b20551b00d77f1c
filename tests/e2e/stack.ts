/**
 * The whole product for browser tests: a local hub on 127.0.0.1 (free ports, temp data dir), three simulated
 * devices (2-second reboots), one device that only knows the Node tutorial's method name `reboot` (so it
 * answers our `rebootDevice` with 404), one registered device that never connects, and the dashboard built for
 * production and started with `next start`, all pointed at that hub through TWINBOARD_LOCAL_HUB_FILE and
 * TWINBOARD_DATA_DIR.
 *
 * Usage: node --import tsx tests/e2e/stack.ts [--skip-build]
 * When everything answers it prints one line `TWINBOARD_E2E_READY <json>` (url, hubFile, device ids) and runs
 * until SIGINT/SIGTERM, then stops the dashboard, the devices and the hub and removes its temp dir.
 * Env: TWINBOARD_E2E_SKIP_BUILD=1 reuses the last e2e build (.next/e2e).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import closeWithGrace from 'close-with-grace';
import { createRegistry } from '../../lib/hub/transport';
import { createLocalHub, type LocalHub } from '../../lib/local-hub';
import { isMain, parseCli, runMain } from '../../scripts/_shared/cli';

export const READY_PREFIX = 'TWINBOARD_E2E_READY ';

export interface StackInfo {
  url: string;
  hubFile: string;
  dataDir: string;
  /** Simulated devices: connected, answer the reboot method, offline for 2 s. */
  devices: string[];
  /** Registered, never connected: every reboot of it fails as offline. */
  offlineDevice: string;
  /** Connected, but its reboot method is called `reboot`: it answers `rebootDevice` with 404. */
  wrongMethodDevice: string;
}

const USAGE = `
Usage: node --import tsx tests/e2e/stack.ts [--skip-build]

Starts a local hub, three simulated devices and the production-built dashboard for the browser tests, prints
"${READY_PREFIX.trim()} {json}" and runs until interrupted.
  --skip-build   reuse the last build in .next/e2e
`;

const ROOT = resolve(import.meta.dirname, '../..');
const NEXT_BIN = join(ROOT, 'node_modules/next/dist/bin/next');
const DEVICE_COUNT = 3;
const OFFLINE_DEVICE = 'sim-never-connects';
const WRONG_METHOD_PREFIX = 'node-tutorial-device-';
const START_TIMEOUT_MS = 120_000;

/** The e2e build lives apart from a developer's `.next`, with its own tsconfig for Next to edit. */
export const BUILD_ENV = {
  TWINBOARD_NEXT_DIST_DIR: '.next/e2e',
  TWINBOARD_NEXT_TSCONFIG: 'tests/e2e/tsconfig.json',
  TWINBOARD_SKIP_BUILD_TYPECHECK: '1',
  NEXT_TELEMETRY_DISABLED: '1',
};

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? done(address.port) : fail(new Error('no port'))));
    });
  });
}

function log(line: string): void {
  process.stderr.write(`[e2e-stack] ${line}\n`);
}

interface Child {
  process: ChildProcess;
  exited: Promise<void>;
}

/** Starts a node child; resolves `ready` when a line matches, rejects when it exits first. */
function startChild(tag: string, args: string[], env: NodeJS.ProcessEnv, readyLine: RegExp | null): { child: Child; ready: Promise<void> } {
  const proc = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let markReady: () => void = () => {};
  let markFailed: (err: Error) => void = () => {};
  const ready = new Promise<void>((done, fail) => {
    markReady = done;
    markFailed = fail;
  });
  const exited = new Promise<void>((done) => {
    proc.once('exit', (code, signal) => {
      markFailed(new Error(`${tag} exited (${signal ?? code}) before it was ready`));
      done();
    });
  });
  for (const stream of [proc.stdout, proc.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      process.stderr.write(`[${tag}] ${line}\n`);
      if (readyLine?.test(line)) markReady();
    });
  }
  if (readyLine === null) markReady();
  return { child: { process: proc, exited }, ready };
}

async function stopChild(child: Child): Promise<void> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return;
  child.process.kill('SIGINT');
  const timer = setTimeout(() => child.process.kill('SIGKILL'), 10_000);
  await child.exited;
  clearTimeout(timer);
}

function run(tag: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { child } = startChild(tag, args, env, null);
  return new Promise((done, fail) => {
    child.process.once('exit', (code) => (code === 0 ? done() : fail(new Error(`${tag} failed with exit code ${code}`))));
  });
}

async function waitForOk(url: string, deadline: number): Promise<void> {
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer 200 within ${START_TIMEOUT_MS / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function main(argv: string[]): Promise<void> {
  const values = parseCli(argv, { 'skip-build': { type: 'boolean' } }, USAGE);
  if (values === null) return;
  const skipBuild = values['skip-build'] === true || process.env.TWINBOARD_E2E_SKIP_BUILD === '1';
  const deadline = Date.now() + START_TIMEOUT_MS;

  const dir = await mkdtemp(join(tmpdir(), 'twinboard-e2e-'));
  const children: Child[] = [];
  let hub: LocalHub | null = null;

  const stop = async () => {
    for (const child of children.reverse()) await stopChild(child);
    await hub?.close();
    await rm(dir, { recursive: true, force: true });
  };
  const grace = closeWithGrace({ delay: 20_000 }, async ({ err }) => {
    if (err) log(`stopping after an error: ${err.message}`);
    await stop();
  });

  try {
    const build = skipBuild
      ? Promise.resolve()
      : run('build', [NEXT_BIN, 'build'], { ...process.env, ...BUILD_ENV, NODE_ENV: 'production' });

    hub = await createLocalHub({ hostName: '127.0.0.1', mqttPort: 0, httpsPort: 0, dataDir: join(dir, 'hub') });
    const hubFile = join(hub.dataDir, 'hub.json');
    log(`hub on MQTT ${hub.mqttPort}, HTTPS ${hub.httpsPort}`);

    const registry = createRegistry(hub.serviceConnectionString, { httpsPort: hub.httpsPort, ca: hub.caPem });
    await registry.create({ deviceId: OFFLINE_DEVICE, status: 'enabled' });

    const sim = startChild(
      'sim',
      ['--import', 'tsx', 'scripts/simulate-device.ts', '--count', String(DEVICE_COUNT), '--reboot-seconds', '2', '--hub-file', hubFile],
      process.env,
      /all \d+ devices are connected/,
    );
    children.push(sim.child);
    const wrongMethodSim = startChild(
      'sim-reboot',
      ['--import', 'tsx', 'scripts/simulate-device.ts', '--count', '1', '--prefix', WRONG_METHOD_PREFIX, '--method', 'reboot', '--hub-file', hubFile],
      process.env,
      /the device is connected/,
    );
    children.push(wrongMethodSim.child);
    await Promise.all([build, sim.ready, wrongMethodSim.ready]);

    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const next = startChild(
      'next',
      [NEXT_BIN, 'start', '--port', String(port), '--hostname', '127.0.0.1'],
      {
        ...process.env,
        ...BUILD_ENV,
        NODE_ENV: 'production',
        TWINBOARD_LOCAL_HUB_FILE: hubFile,
        TWINBOARD_DATA_DIR: join(dir, 'data'),
        TWINBOARD_POLL_INTERVAL_MS: '1000',
      },
      null,
    );
    children.push(next.child);
    await waitForOk(`${url}/api/devices`, deadline);

    const info: StackInfo = {
      url,
      hubFile,
      dataDir: join(dir, 'data'),
      devices: Array.from({ length: DEVICE_COUNT }, (_, i) => `sim-device-${i + 1}`),
      offlineDevice: OFFLINE_DEVICE,
      wrongMethodDevice: `${WRONG_METHOD_PREFIX}1`,
    };
    process.stdout.write(`${READY_PREFIX}${JSON.stringify(info)}\n`);
  } catch (err) {
    grace.uninstall();
    await stop();
    throw err;
  }
}

if (isMain(import.meta.url)) runMain('e2e-stack', main);
