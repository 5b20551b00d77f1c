/**
 * twinboard benchmarks. Every figure is printed next to a baseline measured in the same run, on the same machine,
 * so the ratios mean something even on a shared, noisy machine.
 *
 * Usage: npm run bench -- [--calls N] [--devices N] [--poll-devices N] [--only methods|poll] [--quick]
 *
 *   Direct methods through the local hub (azure-iothub Client -> HTTPS -> hub -> MQTT -> azure-iot-device, and back):
 *     sequential p50 / p99 on one device, and pipelined throughput across --devices devices (one call in flight
 *     per device), next to a bare aedes MQTT request/response and a bare HTTPS keep-alive echo.
 *     Targets: sequential p50 <= 1.5 x (bare MQTT p50 + bare HTTPS p50);
 *              pipelined throughput >= 0.5 x the slower of the two bare throughputs.
 *
 *   The dashboard's poll (GET /api/devices' server function) for --poll-devices simulated devices, with 1 and with
 *   10 pollers at once: time per poll and hub requests per round of polls, next to the bare twin query.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalHub } from '../lib/local-hub';
import { intOption, isMain, parseCli, runMain, UsageError } from './_shared/cli';
import { startBareHttps } from './bench/bare-https';
import { startBareMqtt } from './bench/bare-mqtt';
import { startDashboardPollBench } from './bench/dashboard-poll';
import { BENCH_METHOD, startHubMethodBench } from './bench/hub-methods';
import { ms, pipelined, sequential, type LatencySummary, type ThroughputSummary } from './bench/stats';
import { makeTlsMaterial } from './bench/tls';

const USAGE = `Usage: npm run bench -- [options]

Measures twinboard against baselines taken in the same run and prints ratios.

Options:
  --calls N     timed sequential calls per measurement (default 1000, --quick 200)
  --devices N   devices (and calls in flight) for the pipelined runs (default 100, --quick 20)
  --poll-devices N
                simulated devices behind the dashboard poll (default 1000, --quick 100)
  --only WHAT   run only "methods" or only "poll"
  --quick       fewer calls and devices, for a fast look
  -h, --help    show this help
`;

const PAYLOAD = JSON.stringify({ methodName: BENCH_METHOD, payload: null });

function log(line: string): void {
  process.stdout.write(line + '\n');
}

function latencyLine(name: string, s: LatencySummary): string {
  return `  ${name.padEnd(34)} p50 ${ms(s.p50).padStart(10)}   p99 ${ms(s.p99).padStart(10)}   max ${ms(s.max).padStart(10)}   (${s.count} calls)`;
}

function throughputLine(name: string, t: ThroughputSummary): string {
  return `  ${name.padEnd(34)} ${t.perSecond.toFixed(0).padStart(7)} calls/s   (${t.calls} calls in ${t.seconds.toFixed(2)} s)`;
}

function verdict(ok: boolean): string {
  return ok ? 'meets target' : 'MISSES target';
}

export async function main(argv: string[]): Promise<void> {
  const args = parseCli(
    argv,
    { calls: { type: 'string' }, devices: { type: 'string' }, 'poll-devices': { type: 'string' }, only: { type: 'string' }, quick: { type: 'boolean' } },
    USAGE,
  );
  if (!args) return;
  if (args.only !== undefined && args.only !== 'methods' && args.only !== 'poll') {
    throw new UsageError(`--only must be "methods" or "poll" (got "${args.only}")`);
  }
  const pollDevices = intOption('poll-devices', args['poll-devices'], args.quick ? 100 : 1000, 1, 10_000);
  const calls = intOption('calls', args.calls, args.quick ? 200 : 1000, 10, 100_000);
  const devices = intOption('devices', args.devices, args.quick ? 20 : 100, 1, 1000);
  const warmup = Math.min(50, Math.ceil(calls / 10));
  const pipelinedCalls = Math.max(calls, devices * 10);

  log(`twinboard bench on node ${process.version}; every ratio compares figures taken in this run`);
  if (args.only !== 'poll') await benchMethods(calls, devices, warmup, pipelinedCalls);
  if (args.only !== 'methods') await benchPoll(pollDevices, args.quick ? 10 : 30);
}

async function withHub<T>(use: (hub: Awaited<ReturnType<typeof createLocalHub>>) => Promise<T>): Promise<T> {
  const dataDir = mkdtempSync(join(tmpdir(), 'twinboard-bench-'));
  const hub = await createLocalHub({ hostName: '127.0.0.1', mqttPort: 0, httpsPort: 0, dataDir });
  try {
    return await use(hub);
  } finally {
    await hub.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function benchMethods(calls: number, devices: number, warmup: number, pipelinedCalls: number): Promise<void> {
  log(`\nDirect methods: ${calls} sequential calls, ${devices} devices pipelined (${pipelinedCalls} calls)`);
  const tls = await makeTlsMaterial();

  log('Baselines');
  const https = await startBareHttps(tls);
  const httpsSeq = await sequential(calls, warmup, () => https.call(PAYLOAD));
  log(latencyLine('bare HTTPS keep-alive echo', httpsSeq));
  const httpsPipe = await pipelined(pipelinedCalls, devices, () => https.call(PAYLOAD));
  log(throughputLine(`bare HTTPS, ${devices} in flight`, httpsPipe));
  await https.close();

  const mqtt = await startBareMqtt(tls, devices);
  const mqttSeq = await sequential(calls, warmup, () => mqtt.call(0, PAYLOAD));
  log(latencyLine('bare aedes MQTT request/response', mqttSeq));
  const mqttPipe = await pipelined(pipelinedCalls, devices, (lane) => mqtt.call(lane, PAYLOAD));
  log(throughputLine(`bare MQTT, ${devices} in flight`, mqttPipe));
  await mqtt.close();

  log('Local hub, official SDKs on both ends');
  await withHub(async (hub) => {
    process.stdout.write(`  connecting ${devices} devices...`);
    const bench = await startHubMethodBench(hub, devices, (done) => {
      if (done % 10 === 0 || done === devices) process.stdout.write(` ${done}`);
    });
    process.stdout.write('\n');
    const first = bench.deviceIds[0] as string;
    const hubSeq = await sequential(calls, warmup, () => bench.call(first));
    log(latencyLine('method round trip, sequential', hubSeq));
    const hubPipe = await pipelined(pipelinedCalls, devices, (lane) => bench.call(bench.deviceIds[lane] as string));
    log(throughputLine(`method round trip, ${devices} devices`, hubPipe));
    await bench.close();

    const seqBudget = 1.5 * (mqttSeq.p50 + httpsSeq.p50);
    const seqRatio = hubSeq.p50 / (mqttSeq.p50 + httpsSeq.p50);
    const slowerBare = Math.min(mqttPipe.perSecond, httpsPipe.perSecond);
    const pipeRatio = hubPipe.perSecond / slowerBare;
    log('Ratios');
    log(`  sequential p50 / (bare MQTT p50 + bare HTTPS p50) = ${seqRatio.toFixed(2)}x  (target <= 1.50x, budget ${ms(seqBudget)}): ${verdict(seqRatio <= 1.5)}`);
    log(`  pipelined throughput / slower bare throughput     = ${pipeRatio.toFixed(2)}x  (target >= 0.50x): ${verdict(pipeRatio >= 0.5)}`);
  });
}

async function benchPoll(devices: number, rounds: number): Promise<void> {
  log(`\nDashboard poll: ${devices} simulated devices, ${rounds} rounds per measurement`);
  await withHub(async (hub) => {
    process.stdout.write(`  starting the simulator fleet (online with a reported rebootTime):`);
    let shown = -1;
    const bench = await startDashboardPollBench(hub, devices, (online) => {
      if (online !== shown) process.stdout.write(` ${online}`);
      shown = online;
    });
    process.stdout.write('\n');
    try {
      const bare = await bench.bareQuery(rounds);
      log(latencyLine('bare twin query (all pages)', bare));
      for (const pollers of [1, 10]) {
        const figures = await bench.poll(pollers, rounds);
        log(
          latencyLine(`dashboard poll, ${pollers} poller${pollers > 1 ? 's' : ''}`, figures.latency) +
            `   ${(figures.latency.p50 / bare.p50).toFixed(2)}x bare p50, ` +
            `${figures.hubRequestsPerRound.toFixed(1)} hub requests per ${pollers > 1 ? `round of ${pollers} polls` : 'poll'}`,
        );
      }
    } finally {
      await bench.close();
    }
  });
}

if (isMain(import.meta.url)) runMain('bench', main);
