/**
 * One simulated device on azure-iot-device + MQTT, behaving like the tutorial's device: it answers the reboot
 * method, reboots (goes offline for a while, comes back as a freshly booted device) and reports `rebootTime`.
 *
 * A reboot closes the client and later opens a new one. Dropping the connection is not enough: the SDK would
 * reconnect within milliseconds and the hub would never see the device offline (wire §1.6).
 */
import type { Client, DeviceMethodRequest, DeviceMethodResponse, MethodMessage, Twin } from 'azure-iot-device';
import { explainConnectionError, type ConnectionProblem } from './connection-errors';
import { createDeviceClient, type SimulatorTransport } from './method-transport';

export interface VirtualDeviceOptions {
  deviceId: string;
  connectionString: string;
  /** Where the device dials, for messages ("localhost:8883"). */
  endpoint: string;
  /** True when the hub is the local one: decides the advice in error messages. */
  localHub: boolean;
  /** PEM text of the CAs to trust for this connection; undefined keeps Node's defaults (and NODE_EXTRA_CA_CERTS). */
  ca?: string;
  methodName: string;
  rebootSeconds: number;
  /** The tutorial's order: reboot, report, then answer (on the new connection). Default: answer, then reboot. */
  answerAfterReboot: boolean;
}

export type DeviceEvent =
  | { type: 'connected' }
  | { type: 'reboot-requested'; methodName: string }
  | { type: 'answered'; methodName: string; status: number; payload: unknown }
  | { type: 'offline'; seconds: number }
  | { type: 'back' }
  | { type: 'reported'; rebootTime: string }
  | { type: 'connection-lost'; reason: string }
  | { type: 'connection-restored' }
  | { type: 'problem'; problem: ConnectionProblem; retryInSeconds?: number }
  | { type: 'stopped' };

type State = 'created' | 'online' | 'rebooting' | 'stopped';

/** Status codes of the device's answers; 409 is what a second reboot gets while one is in progress. */
export const ANSWER = { ok: 200, unknownMethod: 404, busy: 409 } as const;

/** A failed first start: the problem explained, and the SDK error behind it. */
export class DeviceStartError extends Error {
  constructor(
    readonly deviceId: string,
    readonly problem: ConnectionProblem,
    options?: { cause?: unknown },
  ) {
    super(`${deviceId}: ${problem.message}`, options);
    this.name = 'DeviceStartError';
  }
}

const CLOSE_TIMEOUT_MS = 5000;
/**
 * Time between deciding to reboot and closing the connection. A closing MQTT client drops what arrives meanwhile,
 * and a dropped request leaves its caller waiting for a 504; during this window such requests get a 409 instead.
 */
const SHUTDOWN_MS = 300;
const BOOT_RETRY_MAX_SECONDS = 30;
/**
 * This many connection losses within the window mean another client is using the same device id: the hub drops
 * the older connection for the newer one and both SDKs reconnect at once, for ever (wire §1.6, duplicate clientId).
 */
const FIGHT_WINDOW_MS = 10000;
/**
 * The newcomer gives way: the client already using the id reconnects at once and takes it back within a few tens
 * of milliseconds, so a device kicked off this soon after connecting most likely took over an identity in use and
 * gives up after a few losses; a device that had been connected for longer waits three times as many, which
 * normally leaves it connected once the newcomer has stopped.
 */
const NEWCOMER_MS = 300;
const FIGHT_LOSSES = { newcomer: 5, incumbent: 15 } as const;

export class VirtualDevice {
  readonly deviceId: string;
  private state: State = 'created';
  private client: Client | undefined;
  private transport: SimulatorTransport | undefined;
  private connectionLost = false;
  private rebootTimer: NodeJS.Timeout | undefined;
  private wakeUp: (() => void) | undefined;
  private rebootDone: Promise<void> = Promise.resolve();
  private recentLosses: number[] = [];
  private connectedAt = 0;
  private fightLimit: number = FIGHT_LOSSES.incumbent;

  constructor(
    private readonly options: VirtualDeviceOptions,
    private readonly onEvent: (deviceId: string, event: DeviceEvent) => void,
  ) {
    this.deviceId = options.deviceId;
  }

  get online(): boolean {
    return this.state === 'online' && !this.connectionLost;
  }

  get stopped(): boolean {
    return this.state === 'stopped';
  }

  get rebooting(): boolean {
    return this.state === 'rebooting';
  }

  /** First boot: connects, registers the handlers and reports the boot time. Rejects with DeviceStartError. */
  async start(): Promise<void> {
    if (this.state !== 'created') throw new Error(`${this.deviceId} was already started`);
    this.state = 'rebooting';
    const rebootTime = await this.boot();
    if (this.isStopped()) return;
    this.state = 'online';
    this.onEvent(this.deviceId, { type: 'connected' });
    this.onEvent(this.deviceId, { type: 'reported', rebootTime });
  }

  /** Closes the connection and cancels a reboot in progress. Safe to call more than once. */
  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    const wasStarted = this.state !== 'created' && this.client !== undefined;
    this.state = 'stopped';
    clearTimeout(this.rebootTimer);
    this.wakeUp?.();
    await this.closeClient();
    await this.rebootDone.catch(() => undefined);
    if (wasStarted) this.onEvent(this.deviceId, { type: 'stopped' });
  }

  private isStopped(): boolean {
    return this.state === 'stopped';
  }

  /**
   * Opens a new client as a freshly booted device would, then reports the boot time as `rebootTime`. Returns that
   * time. On failure the half-open client is closed and the error is thrown as a DeviceStartError.
   */
  private async boot(): Promise<string> {
    const { client, transport } = createDeviceClient(this.options.connectionString, (message, response) =>
      this.answerUnknownMethod(message, response),
    );
    this.client = client;
    this.transport = transport;
    this.connectionLost = false;
    // Without a listener an 'error' event (e.g. a failed re-subscribe) would crash the process.
    client.on('error', (err: Error) => this.reportProblem(err));
    // The client's own 'disconnect' fires only once its retries are exhausted (wire §1.6): reboot to recover.
    client.on('disconnect', () => {
      if (this.client !== client || this.state !== 'online') return;
      this.onEvent(this.deviceId, { type: 'connection-lost', reason: 'the SDK stopped retrying; rebooting to recover' });
      this.state = 'rebooting';
      this.rebootDone = this.restartAfterFailure();
    });
    try {
      if (this.options.ca !== undefined) await client.setOptions({ ca: this.options.ca });
      await client.open();
      if (this.isStopped()) return await this.abandon(client);
      this.connectedAt = Date.now();
      this.watchConnection(client, transport);
      client.onDeviceMethod(this.options.methodName, (request, response) => this.onRebootRequest(request, response));
      // onDeviceMethod subscribes in the background; wait for the SUBACK so the device counts as ready for
      // methods when it says "connected" (wire §1.6, method-ready only after SUBSCRIBE on this connection).
      await new Promise<void>((resolve, reject) =>
        transport.enableMethods((err) => (err ? reject(err) : resolve())),
      );
      if (this.isStopped()) return await this.abandon(client);
      const rebootTime = new Date().toISOString();
      const twin = await client.getTwin();
      await reportProperties(twin, { rebootTime });
      return rebootTime;
    } catch (err) {
      await this.abandon(client);
      if (this.isStopped()) return '';
      const problem = explainConnectionError(err, this.options.endpoint, this.options.localHub);
      throw new DeviceStartError(this.deviceId, problem, { cause: err });
    }
  }

  private async abandon(client: Client): Promise<string> {
    if (this.client === client) await this.closeClient();
    return '';
  }

  /** Reports losses and recoveries of the connection the SDK handles by itself (wire §1.6). */
  private watchConnection(client: Client, transport: SimulatorTransport): void {
    transport.on('disconnect', (err?: Error) => {
      if (this.client !== client || this.state === 'stopped' || this.connectionLost) return;
      this.connectionLost = true;
      this.onEvent(this.deviceId, { type: 'connection-lost', reason: err?.message ?? 'disconnected' });
      if (this.fighting()) {
        this.onEvent(this.deviceId, {
          type: 'problem',
          problem: {
            code: 'DUPLICATE_CONNECTION',
            message:
              `the hub keeps closing this connection for another one with device id ${this.deviceId} ` +
              '(a second simulator with the same --prefix or connection string?); this device stops so that the other one can stay connected',
          },
        });
        void this.stop();
      }
    });
    transport.on('connected', () => {
      if (this.client !== client || !this.connectionLost) return;
      this.connectionLost = false;
      this.onEvent(this.deviceId, { type: 'connection-restored' });
    });
  }

  private fighting(): boolean {
    const now = Date.now();
    this.recentLosses = [...this.recentLosses.filter((at) => now - at < FIGHT_WINDOW_MS), now];
    if (this.recentLosses.length === 1) {
      this.fightLimit = now - this.connectedAt < NEWCOMER_MS ? FIGHT_LOSSES.newcomer : FIGHT_LOSSES.incumbent;
    }
    return this.recentLosses.length >= this.fightLimit;
  }

  private onRebootRequest(request: DeviceMethodRequest, response: DeviceMethodResponse): void {
    const methodName = request.methodName;
    this.onEvent(this.deviceId, { type: 'reboot-requested', methodName });
    if (this.state !== 'online') {
      void this.answer(response, methodName, ANSWER.busy, {
        message: 'A reboot is already in progress; try again once the device is back',
      });
      return;
    }
    this.state = 'rebooting';
    this.rebootDone = this.reboot(request).catch((err: unknown) => this.reportProblem(err));
  }

  private async reboot(request: DeviceMethodRequest): Promise<void> {
    const { methodName, requestId } = request;
    const requestedAt = new Date().toISOString();
    const seconds = this.options.rebootSeconds;
    if (!this.options.answerAfterReboot) {
      const response = this.transport?.responseFor(requestId);
      if (response) {
        await this.answer(response, methodName, ANSWER.ok, { message: 'Rebooting', rebootSeconds: seconds, requestedAt });
      }
    }
    await this.sleep(SHUTDOWN_MS / 1000);
    await this.closeClient();
    if (this.isStopped()) return;
    this.onEvent(this.deviceId, { type: 'offline', seconds });
    await this.sleep(seconds);
    const rebootTime = await this.bootUntilBack();
    if (rebootTime === undefined) return;
    if (this.options.answerAfterReboot && this.transport) {
      // The request arrived on the connection the reboot closed; the answer goes out on the new one with the
      // original request id, which is all the hub correlates on (wire §1.4, method response topic).
      await this.answer(this.transport.responseFor(requestId), methodName, ANSWER.ok, {
        message: 'Rebooted',
        rebootTime,
        requestedAt,
      });
    }
    if (!this.isStopped()) this.state = 'online';
  }

  /** After the SDK gave up on a connection: start over as a rebooting device would. */
  private async restartAfterFailure(): Promise<void> {
    await this.closeClient();
    const back = await this.bootUntilBack();
    if (back !== undefined && !this.isStopped()) this.state = 'online';
  }

  /** Boots again, retrying with a growing pause while the hub is unreachable. Undefined when stopped meanwhile. */
  private async bootUntilBack(): Promise<string | undefined> {
    for (let attempt = 0; !this.isStopped(); attempt++) {
      try {
        const rebootTime = await this.boot();
        if (this.isStopped()) return undefined;
        this.onEvent(this.deviceId, { type: 'back' });
        this.onEvent(this.deviceId, { type: 'reported', rebootTime });
        return rebootTime;
      } catch (err) {
        const retryInSeconds = Math.min(2 ** attempt, BOOT_RETRY_MAX_SECONDS);
        const problem = err instanceof DeviceStartError ? err.problem : explainConnectionError(err, this.options.endpoint, this.options.localHub);
        this.onEvent(this.deviceId, { type: 'problem', problem, retryInSeconds });
        await this.sleep(retryInSeconds);
      }
    }
    return undefined;
  }

  private answerUnknownMethod(message: MethodMessage, response: DeviceMethodResponse): void {
    const methodName = message.methods?.methodName ?? '';
    void this.answer(response, methodName, ANSWER.unknownMethod, { message: `Unknown method '${methodName}'` });
  }

  private async answer(response: DeviceMethodResponse, methodName: string, status: number, payload: unknown): Promise<void> {
    try {
      await response.send(status, payload);
      this.onEvent(this.deviceId, { type: 'answered', methodName, status, payload });
    } catch (err) {
      this.reportProblem(err);
    }
  }

  private reportProblem(err: unknown): void {
    if (this.isStopped()) return;
    this.onEvent(this.deviceId, {
      type: 'problem',
      problem: explainConnectionError(err, this.options.endpoint, this.options.localHub),
    });
  }

  /** Waits, unless stop() cuts the wait short. */
  private sleep(seconds: number): Promise<void> {
    if (this.isStopped()) return Promise.resolve();
    return new Promise((resolve) => {
      this.wakeUp = resolve;
      this.rebootTimer = setTimeout(resolve, seconds * 1000);
    });
  }

  private async closeClient(): Promise<void> {
    const client = this.client;
    const transport = this.transport;
    this.client = undefined;
    this.transport = undefined;
    transport?.retire();
    if (!client) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      client.close().catch(() => undefined),
      new Promise((resolve) => {
        timer = setTimeout(resolve, CLOSE_TIMEOUT_MS);
      }),
    ]);
    clearTimeout(timer);
    transport?.destroySocket();
  }
}

/** `reported.update` has no Promise form in azure-iot-device 1.18.4; awaiting it without a callback crashes (wire §1.6). */
function reportProperties(twin: Twin, patch: Record<string, unknown>): Promise<void> {
  return new Promise((resolve, reject) => {
    twin.properties.reported.update(patch, (err?: Error) => (err ? reject(err) : resolve()));
  });
}
