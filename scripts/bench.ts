/**
 * twinboard benchmarks. Every figure is printed next to a baseline measured in the same run, on the same machine,
 * so the ratios mean something even on a shared, noisy machine.
 *
 * Usage: npm run bench -- [--calls N] [--devices N] [--quick]
 *
 *   Direct methods through the local hub (azure-iothub Client -> HTTPS -> hub -> MQTT -> azure-iot-device, and back):
 *     sequential p50 / p99 on one device, and pipelined throughput across --devices devices (one call in flight
 *     per device), next to a bare aedes MQTT request/response and a bare HTTPS keep-alive echo.
 *     Targets: sequential p50 <= 1.5 x (bare MQTT p50 + bare HTTPS p50);
 *              pipelined throughput >= 0.5 x the slower of the two bare throughputs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalHub } from '../lib/local-hub';
import { intOption, isMain, parseCli, runMain } from './_shared/cli';
import { startBareHttps } from './bench/bare-https';
import { startBareMqtt } from './bench/bare-mqtt';
import { BENCH_METHOD, startHubMethodBench } from './bench/hub-methods';
import { ms, pipelined, sequential, type LatencySummary, type ThroughputSummary } from './bench/stats';
import { makeTlsMaterial } from './bench/tls';

const USAGE = `Usage: npm run bench -- [options]

Measures twinboard against baselines taken in the same run and prints ratios.

Options:
  --calls N     timed sequential calls per measurement (default 1000, --quick 200)
  --devices N   devices (and calls in flight) for the pipelined runs (default 100, --quick 20)
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
  const args = parseCli(argv, { calls: { type: 'string' }, devices: { type: 'string' }, quick: { type: 'boolean' } }, USAGE);
  if (!args) return;
  const calls = intOption('calls', args.calls, args.quick ? 200 : 1000, 10, 100_000);
  const devices = intOption('devices', args.devices, args.quick ? 20 : 100, 1, 1000);
  const warmup = Math.min(50, Math.ceil(calls / 10));
  const pipelinedCalls = Math.max(calls, devices * 10);

  log(`twinboard bench: ${calls} sequential calls, ${devices} devices pipelined (${pipelinedCalls} calls), node ${process.version}`);
  const tls = await makeTlsMaterial();

  log('\nBaselines');
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

  log('\nLocal hub: direct methods with the official SDKs');
  const dataDir = mkdtempSync(join(tmpdir(), 'twinboard-bench-'));
  const hub = await createLocalHub({ hostName: '127.0.0.1', mqttPort: 0, httpsPort: 0, dataDir });
  try {
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
    log('\nRatios');
    log(`  sequential p50 / (bare MQTT p50 + bare HTTPS p50) = ${seqRatio.toFixed(2)}x  (target <= 1.50x, budget ${ms(seqBudget)}): ${verdict(seqRatio <= 1.5)}`);
    log(`  pipelined throughput / slower bare throughput     = ${pipeRatio.toFixed(2)}x  (target >= 0.50x): ${verdict(pipeRatio >= 0.5)}`);
  } finally {
    await hub.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) runMain('bench', main);
