/**
 * The dashboard's poll: what one GET /api/devices costs (time, and requests to the hub) for a fleet of simulated
 * devices, with one and with many pollers (browser tabs) at once, next to the bare twin query that feeds it.
 * The fleet runs in a child process (the simulator) so its CPU is not counted as the dashboard's.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Registry } from 'azure-iothub';
import { createRegistry } from '../../lib/hub/transport';
import type { LocalHub } from '../../lib/local-hub';
import { sequential, summarize, timed, type LatencySummary } from './stats';

/** The poll interval the bench configures; the server serves results younger than half of it from memory. */
const POLL_INTERVAL_MS = 250;

export interface PollFigures {
  latency: LatencySummary;
  /** Hub requests per round of `pollers` simultaneous polls. */
  hubRequestsPerRound: number;
  pollers: number;
}

export interface DashboardPollBench {
  bareQuery(rounds: number): Promise<LatencySummary>;
  poll(pollers: number, rounds: number): Promise<PollFigures>;
  close(): Promise<void>;
}

/** Every twin through the service SDK's own paging, as the dashboard's query does but with nothing around it. */
async function queryAllTwins(registry: Registry): Promise<unknown[]> {
  const query = registry.createQuery('SELECT * FROM devices', 1000);
  const twins: unknown[] = [];
  let token: string | undefined;
  do {
    // next() without the token restarts at page 1 in azure-iothub 1.16, so pass it.
    const { result } = await (token === undefined ? query.next() : query.next(token));
    twins.push(...(result as unknown[]));
    token = query.hasMoreResults ? query.continuationToken : undefined;
  } while (token);
  return twins;
}

function startFleet(hubFile: string, count: number): ChildProcess {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'scripts/simulate-device.ts', '--count', String(count), '--hub-file', hubFile, '--quiet', '--prefix', 'poll-'],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  return child;
}

async function waitForFleet(registry: Registry, count: number, onProgress: (connected: number) => void): Promise<void> {
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    const twins = (await queryAllTwins(registry)) as { deviceId: string; connectionState?: string; properties?: { reported?: Record<string, unknown> } }[];
    const ready = twins.filter((t) => t.deviceId.startsWith('poll-') && t.connectionState === 'Connected' && t.properties?.reported?.rebootTime).length;
    onProgress(ready);
    if (ready >= count) return;
    if (Date.now() > deadline) throw new Error(`only ${ready} of ${count} simulated devices came online in 10 minutes`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

export async function startDashboardPollBench(hub: LocalHub, devices: number, onProgress: (connected: number) => void): Promise<DashboardPollBench> {
  const registry = createRegistry(hub.serviceConnectionString, { httpsPort: hub.httpsPort, ca: hub.caPem });
  const hubFile = join(hub.dataDir, 'hub.json');
  const fleet = startFleet(hubFile, devices);
  const exited = new Promise<void>((resolve) => fleet.once('exit', () => resolve()));
  const stopFleet = async () => {
    if (fleet.exitCode === null && fleet.signalCode === null) fleet.kill('SIGTERM');
    await exited;
  };
  try {
    return await dashboardPollBench(hub, hubFile, registry, devices, onProgress, exited, stopFleet);
  } catch (err) {
    await stopFleet();
    throw err;
  }
}

async function dashboardPollBench(
  hub: LocalHub,
  hubFile: string,
  registry: Registry,
  devices: number,
  onProgress: (connected: number) => void,
  exited: Promise<void>,
  stopFleet: () => Promise<void>,
): Promise<DashboardPollBench> {
  await Promise.race([
    waitForFleet(registry, devices, onProgress),
    exited.then(() => {
      throw new Error('the simulator exited before the fleet was online');
    }),
  ]);

  // The dashboard server reads its configuration from the environment on first use.
  const dataDir = join(hub.dataDir, 'dashboard');
  mkdirSync(dataDir, { recursive: true });
  delete process.env.IOTHUB_CONNECTION_STRING;
  process.env.TWINBOARD_LOCAL_HUB_FILE = hubFile;
  process.env.TWINBOARD_DATA_DIR = dataDir;
  process.env.TWINBOARD_POLL_INTERVAL_MS = String(POLL_INTERVAL_MS);
  const { listDevices } = await import('../../lib/dashboard/devices');
  const { resetDashboardServer } = await import('../../lib/dashboard/reset');
  const { getHubRequestCounts } = await import('../../lib/hub/metrics');
  resetDashboardServer();
  const first = await listDevices();
  if (first.devices.length < devices) throw new Error(`the dashboard listed ${first.devices.length} devices, expected ${devices}`);

  const expire = () => new Promise((r) => setTimeout(r, POLL_INTERVAL_MS / 2 + 20));

  return {
    bareQuery(rounds) {
      return sequential(rounds, 0, () => queryAllTwins(registry));
    },
    async poll(pollers, rounds) {
      const samples: number[] = [];
      const before = getHubRequestCounts().total;
      for (let round = 0; round < rounds; round++) {
        // Let the previous result age out, so every round costs what a fresh poll costs.
        await expire();
        await Promise.all(
          Array.from({ length: pollers }, async () => {
            const list = await timed(samples, listDevices);
            if (list.devices.length < devices) throw new Error('a poll returned fewer devices than the fleet has');
          }),
        );
      }
      return { latency: summarize(samples), hubRequestsPerRound: (getHubRequestCounts().total - before) / rounds, pollers };
    },
    async close() {
      resetDashboardServer();
      await stopFleet();
    },
  };
}
