/**
 * What the simulator prints: one line per device event, prefixed with the time and the device id, or (quiet mode,
 * for big fleets) only problems and a periodic fleet summary. Lines about the whole fleet use the id "simulator".
 */
import type { DeviceEvent } from './virtual-device';

export type Write = (line: string) => void;

export const FLEET_ID = 'simulator';

function json(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? 'null' : text;
}

/** The text after "<time> <device id> " for an event. */
export function describeEvent(event: DeviceEvent): string {
  switch (event.type) {
    case 'connected':
      return 'connected';
    case 'reboot-requested':
      return `reboot requested (method ${event.methodName})`;
    case 'answered':
      return `answered ${event.methodName} with ${event.status} ${json(event.payload)}`;
    case 'offline':
      return `offline (rebooting, back in ${event.seconds} s)`;
    case 'back':
      return 'back (connected again after reboot)';
    case 'reported':
      return `reported rebootTime=${event.rebootTime}`;
    case 'connection-lost':
      return `connection lost (${event.reason}); the SDK is reconnecting`;
    case 'connection-restored':
      return 'connection back';
    case 'problem':
      return `error ${event.problem.code}: ${event.problem.message}` +
        (event.retryInSeconds !== undefined ? ` (retrying in ${event.retryInSeconds} s)` : '');
    case 'stopped':
      return 'stopped';
  }
}

export function formatLine(id: string, text: string, now: Date = new Date()): string {
  return `${now.toISOString()} ${id} ${text}`;
}

export interface FleetCounters {
  total: number;
  online: number;
  rebooting: number;
}

/** Counts what happened since the last summary, for quiet mode. */
interface Tally {
  reboots: number;
  answers: number;
  losses: number;
  problems: number;
}

const emptyTally = (): Tally => ({ reboots: 0, answers: 0, losses: 0, problems: 0 });

export class SimulatorOutput {
  private tally = emptyTally();
  private summaryTimer: NodeJS.Timeout | undefined;
  private lastSummary = '';

  constructor(
    private readonly options: { quiet: boolean; write: Write; writeError: Write },
  ) {}

  get quiet(): boolean {
    return this.options.quiet;
  }

  /** A line about the whole fleet (progress, summary). */
  fleet(text: string): void {
    this.options.write(formatLine(FLEET_ID, text));
  }

  /** A fleet-level problem: always printed, on stderr. */
  fleetError(text: string): void {
    this.options.writeError(formatLine(FLEET_ID, text));
  }

  device(deviceId: string, event: DeviceEvent): void {
    if (event.type === 'problem') {
      this.tally.problems++;
      this.options.writeError(formatLine(deviceId, describeEvent(event)));
      return;
    }
    if (event.type === 'reboot-requested') this.tally.reboots++;
    if (event.type === 'answered') this.tally.answers++;
    if (event.type === 'connection-lost') this.tally.losses++;
    if (!this.options.quiet) this.options.write(formatLine(deviceId, describeEvent(event)));
  }

  /** In quiet mode, prints a summary every `seconds` when something changed. */
  startSummaries(seconds: number, counters: () => FleetCounters): void {
    if (!this.options.quiet) return;
    this.summaryTimer = setInterval(() => this.summary(counters()), seconds * 1000);
    this.summaryTimer.unref();
  }

  summary(counters: FleetCounters): void {
    const t = this.tally;
    const text =
      `online ${counters.online}/${counters.total}, rebooting ${counters.rebooting}; since last summary: ` +
      `${t.reboots} reboot requests, ${t.answers} answers, ${t.losses} connection losses, ${t.problems} errors`;
    if (text === this.lastSummary) return;
    this.lastSummary = text;
    this.tally = emptyTally();
    this.fleet(text);
  }

  stopSummaries(): void {
    clearInterval(this.summaryTimer);
  }
}
