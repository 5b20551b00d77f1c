/**
 * A set of virtual devices started and stopped together, a bounded number at a time so that a large fleet
 * neither connects one by one nor opens a thousand TLS handshakes at once.
 */
// Named imports from the package index fail under Node's ESM loader (see method-transport.ts); the dist module works.
import { getUserAgentString } from 'azure-iot-device/dist/utils';
import type { SimulatorOutput } from './output';
import { forEachLimited } from './pool';
import { VirtualDevice, type VirtualDeviceOptions } from './virtual-device';

const PROGRESS_INTERVAL_MS = 1000;

export class Fleet {
  private readonly devices: VirtualDevice[];
  private started: VirtualDevice[] = [];
  private stopping = false;

  /**
   * `onAllStopped` runs when every device has stopped by itself (not through stop()), e.g. each one found its
   * identity in use by another client.
   */
  constructor(
    deviceOptions: readonly VirtualDeviceOptions[],
    private readonly output: SimulatorOutput,
    private readonly concurrency: number,
    private readonly onAllStopped: () => void = () => {},
  ) {
    this.devices = deviceOptions.map(
      (options) =>
        new VirtualDevice(options, (id, event) => {
          output.device(id, event);
          if (event.type === 'stopped' && !this.stopping && this.devices.every((device) => device.stopped)) {
            this.onAllStopped();
          }
        }),
    );
  }

  get size(): number {
    return this.devices.length;
  }

  counters(): { total: number; online: number; rebooting: number } {
    let online = 0;
    let rebooting = 0;
    for (const device of this.devices) {
      if (device.online) online++;
      if (device.rebooting) rebooting++;
    }
    return { total: this.devices.length, online, rebooting };
  }

  /**
   * Starts every device. The first device that cannot start stops the rest from starting, and its
   * DeviceStartError is thrown: a wrong CA, key or address would fail the same way for all of them.
   */
  async start(): Promise<void> {
    const total = this.devices.length;
    const begin = Date.now();
    let connected = 0;
    let reported = -1;
    const progress = total > 1 ? setInterval(() => {
      if (connected !== reported) this.output.fleet(`connected ${connected}/${total}`);
      reported = connected;
    }, PROGRESS_INTERVAL_MS) : undefined;
    try {
      // Every transport builds the SDK's user agent on its first connect, from an OS lookup that runs
      // `lsb_release -a` (a shell script, ~13 processes) until one lookup has finished and been cached: the first
      // wave of a fleet would spawn it once per device in flight. One lookup up front fills that cache.
      await getUserAgentString();
      await forEachLimited(this.devices, this.concurrency, async (device) => {
        if (this.stopping) return;
        this.started.push(device);
        await device.start();
        connected++;
      });
    } finally {
      clearInterval(progress);
    }
    if (this.stopping) return;
    const seconds = ((Date.now() - begin) / 1000).toFixed(1);
    this.output.fleet(`${total === 1 ? 'the device is' : `all ${total} devices are`} connected (${seconds} s); waiting for direct methods, Ctrl+C to stop`);
  }

  /** Closes every device's connection. Safe to call while start() is still running. */
  async stop(): Promise<void> {
    this.stopping = true;
    const started = this.started;
    this.started = [];
    await forEachLimited(started, 100, (device) => device.stop());
  }
}
