/**
 * The local hub's device endpoint: MQTT 3.1.1 over TLS on an embedded aedes broker, speaking IoT Hub's device
 * protocol (iothub-wire-protocol.md §1) to the unmodified device SDK. The broker only carries connections; all
 * `$iothub/...` traffic is consumed here and answered on the one connection it concerns (wire §4).
 */
import tls from 'node:tls';
import type { Socket } from 'node:net';
import { Aedes } from 'aedes';
import type { AuthenticateError, Client, PublishPacket } from 'aedes';
import { HubError } from '../errors';
import type { DeviceDirectory, DeviceGateway, JsonObject, MethodCall, MethodResult } from '../types';
import { checkDeviceConnect } from './authenticate';
import { decidePublish, isDeviceToHubTopic, isSubscriptionAllowed } from './authorize';
import { FrameGuard } from './frame-guard';
import {
  deviceNotOnline,
  MAX_METHOD_PAYLOAD_BYTES,
  MethodCalls,
  methodResponseTooLarge,
  parseMethodResponse,
} from './methods';
import { Presence } from './presence';
import { desiredPatchTopic, methodRequestTopic, parseDeviceTopic } from './topics';
import { answerReportedPatch, answerTwinGet, type TwinAnswer } from './twin-requests';

export interface DeviceEndpointOptions {
  /** The hub's host name as devices write it in the username and the SAS `sr` (wire §1.2, §1.3). */
  hostName: string;
  /** The address to bind. */
  listen: string;
  /** 0 binds any free port. */
  port: number;
  tls: { key: string; cert: string };
  directory: DeviceDirectory;
  log?: (line: string) => void;
}

export interface DeviceReadiness {
  connected: boolean;
  /** Subscribed to method requests on the current connection (wire §1.6). */
  methods: boolean;
  /** Subscribed to desired-property patches on the current connection. */
  desired: boolean;
}

export type DeviceEndpoint = DeviceGateway & {
  port: number;
  /** What the device's current connection is ready to receive. */
  readiness(deviceId: string): DeviceReadiness;
  /** Number of open device connections. */
  connectedDevices(): number;
  /** Closes every device connection, the broker and the listener. Safe to call more than once. */
  close(): Promise<void>;
};

/**
 * Largest MQTT packet accepted (remaining length). Room for a 128 KB method response or a 256 KB telemetry
 * message (wire §1.4) plus topic and headers; anything far larger drops the connection before it is buffered.
 */
export const MAX_PACKET_BYTES = 256 * 1024 + 8 * 1024;

/** A device that connects but sends no CONNECT within this time is dropped. */
const CONNECT_TIMEOUT_MS = 10_000;
const TLS_HANDSHAKE_TIMEOUT_MS = 10_000;
/** setTimeout's ceiling; token expiries further out are re-armed when reached. */
const MAX_TIMER_MS = 2_147_483_647;

export async function startDeviceEndpoint(options: DeviceEndpointOptions): Promise<DeviceEndpoint> {
  const { hostName, directory } = options;
  const log = options.log ?? (() => {});
  const presence = new Presence<Client>();
  const methods = new MethodCalls();
  const shutdown = new AbortController();
  const tokenExpiry = new WeakMap<Client, number>();
  const expiryTimers = new Map<Client, NodeJS.Timeout>();
  const sockets = new Set<Socket>();

  function send(client: Client, topic: string, payload: string): void {
    if (client.closed) return;
    const packet: PublishPacket = { cmd: 'publish', topic, payload, qos: 0, retain: false, dup: false };
    client.publish(packet, (error) => {
      if (error) log(`mqtt: could not send ${topic} to ${client.id}: ${error.message}`);
    });
  }

  function answerTwin(client: Client, answer: TwinAnswer): void {
    send(client, answer.topic, answer.payload);
  }

  function armExpiry(client: Client): void {
    const expiresAt = tokenExpiry.get(client);
    if (expiresAt === undefined) return;
    const delay = Math.min(expiresAt * 1000 - Date.now(), MAX_TIMER_MS);
    const timer = setTimeout(() => {
      expiryTimers.delete(client);
      if (expiresAt * 1000 > Date.now()) return armExpiry(client);
      log(`mqtt: ${client.id}: SAS token expired, closing the connection`);
      client.close();
    }, Math.max(delay, 0));
    timer.unref();
    expiryTimers.set(client, timer);
  }

  const broker = await Aedes.createBroker({
    connectTimeout: CONNECT_TIMEOUT_MS,
    // IoT Hub device ids are up to 128 characters (identity registry); aedes checks this for MQTT 3.1 only.
    maxClientsIdLength: 128,

    authenticate(client, username, password, done) {
      let verdict;
      try {
        verdict = checkDeviceConnect({ clientId: client.id, username, password }, hostName, directory);
      } catch (error) {
        log(`mqtt: refused ${client.id}: directory error: ${(error as Error).message}`);
        const refusal = new Error('server unavailable') as AuthenticateError;
        refusal.returnCode = 3;
        return done(refusal, false);
      }
      if (!verdict.ok) {
        log(`mqtt: refused ${JSON.stringify(client.id)} (CONNACK ${verdict.returnCode}): ${verdict.reason}`);
        const refusal = new Error(verdict.reason) as AuthenticateError;
        refusal.returnCode = verdict.returnCode;
        return done(refusal, false);
      }
      tokenExpiry.set(client, verdict.expiresAt);
      // behaviour §1.5: one connection per identity; aedes closes the current one before registering this one.
      if (presence.current(client.id)) log(`mqtt: ${client.id}: a new connection replaces the current one`);
      done(null, true);
    },

    authorizePublish(client, packet, done) {
      // A will is published while its connection closes; IoT Hub devices send none (wire §1.2), so drop it.
      if (!client || client.closed) return done(new Error('publish from a closed connection'));
      const deviceId = client.id;
      presence.touched(deviceId, client);
      const decision = decidePublish(deviceId, packet.topic, packet.qos);
      // behaviour §1.10: retained messages are not kept.
      packet.retain = false;
      const body = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload ?? '');
      switch (decision.action) {
        case 'reject':
          log(`mqtt: closing ${deviceId}: ${decision.reason}`);
          return done(new Error(decision.reason));
        case 'twin-get':
          answerTwin(client, answerTwinGet(directory, deviceId, decision.rid));
          return done(null);
        case 'twin-patch-reported':
          answerTwin(client, answerReportedPatch(directory, deviceId, decision.rid, body));
          return done(null);
        case 'method-response': {
          const completed = methods.complete(deviceId, decision.rid, parseMethodResponse(decision.status, body));
          if (!completed) log(`mqtt: ${deviceId}: ignored method response for unknown or finished $rid ${decision.rid}`);
          return done(null);
        }
        case 'telemetry':
          return done(null);
      }
    },

    authorizeSubscribe(client, subscription, done) {
      if (!isSubscriptionAllowed(client.id, subscription.topic)) {
        log(`mqtt: ${client.id}: negated subscription to "${subscription.topic}"`);
        return done(null, null);
      }
      // The hub sends its own traffic at the QoS it chooses (client.publish), so the granted QoS only echoes
      // the request; aedes fills the SUBACK from the request before this hook runs.
      done(null, subscription);
    },

    // Device → hub topics are consumed by the hub; nothing of a device's reaches another connection (wire §1.4).
    authorizeForward(_client, packet) {
      return isDeviceToHubTopic(packet.topic) ? null : packet;
    },
  });

  broker.on('client', (client) => {
    presence.connected(client.id, client);
    armExpiry(client);
    log(`mqtt: ${client.id} connected`);
  });
  broker.on('clientDisconnect', (client) => {
    const timer = expiryTimers.get(client);
    if (timer) clearTimeout(timer);
    expiryTimers.delete(client);
    const wasCurrent = presence.disconnected(client.id, client);
    log(`mqtt: ${client.id} disconnected${wasCurrent ? '' : ' (an older connection)'}`);
  });
  broker.on('subscribe', (subscriptions, client) => {
    const granted = subscriptions.filter((s) => (s.qos as number) !== 128).map((s) => s.topic);
    if (granted.length === 0) return;
    presence.subscribed(client.id, client, granted);
    log(`mqtt: ${client.id} subscribed to ${granted.join(', ')}`);
  });
  broker.on('unsubscribe', (filters, client) => presence.unsubscribed(client.id, client, filters));
  broker.on('ping', (_packet, client) => presence.touched(client.id, client));
  broker.on('clientError', (client, error) => log(`mqtt: ${client.id ?? 'client'} dropped: ${error.message}`));
  broker.on('connectionError', (_client, error) => log(`mqtt: connection dropped before CONNECT: ${error.message}`));
  broker.on('keepaliveTimeout', (client) => log(`mqtt: ${client.id}: keep-alive timeout`));

  const server = tls.createServer({
    key: options.tls.key,
    cert: options.tls.cert,
    handshakeTimeout: TLS_HANDSHAKE_TIMEOUT_MS,
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('tlsClientError', (error, socket) => {
    log(`mqtt: TLS handshake with ${socket.remoteAddress ?? 'unknown'} failed: ${error.message}`);
    socket.destroy();
  });
  server.on('secureConnection', (socket: tls.TLSSocket) => {
    // wire §4: with Nagle on, method and twin round trips stall 40 ms on delayed ACKs.
    socket.setNoDelay(true);
    const client = broker.handle(socket);
    const guard = new FrameGuard(MAX_PACKET_BYTES);
    // With aedes's 'readable' listener in place, 'data' only observes what aedes reads; it does not change flow.
    socket.on('data', (chunk: Buffer) => {
      const verdict = guard.feed(chunk);
      if (verdict.ok) return;
      const who = client.id ?? socket.remoteAddress ?? 'connection';
      log(`mqtt: closing ${who}: ${verdict.reason}`);
      if (client.id && verdict.topic !== undefined && verdict.declaredLength !== undefined) {
        const topic = parseDeviceTopic(verdict.topic);
        if (topic.kind === 'method-response') {
          methods.complete(client.id, topic.rid, methodResponseTooLarge(verdict.declaredLength));
        }
      }
      socket.destroy();
    });
  });
  server.on('error', (error) => log(`mqtt: listener error: ${error.message}`));

  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once('error', onError);
    server.listen(options.port, options.listen, () => {
      server.off('error', onError);
      resolve();
    });
  }).catch(async (error: unknown) => {
    await new Promise<void>((resolve) => broker.close(() => resolve()));
    throw error;
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  log(`mqtt: listening on ${options.listen}:${port} (TLS) for ${hostName}`);

  let closing: Promise<void> | undefined;

  async function invokeMethod(deviceId: string, call: MethodCall): Promise<MethodResult | HubError> {
    const methodName = call.methodName;
    if (typeof methodName !== 'string' || methodName === '' || /[/#+\u0000]/.test(methodName)) {
      return new HubError('ArgumentInvalid', `The method name ${JSON.stringify(methodName)} is not valid; it must be non-empty and contain no "/", "#" or "+".`);
    }
    const payload = JSON.stringify(call.payload ?? null);
    if (Buffer.byteLength(payload) > MAX_METHOD_PAYLOAD_BYTES) {
      return new HubError('MessageTooLarge', `The method payload is ${Buffer.byteLength(payload)} bytes; the limit is ${MAX_METHOD_PAYLOAD_BYTES} bytes (128 KB).`);
    }
    const connectTimeout = seconds(call.connectTimeoutInSeconds, 0);
    const responseTimeout = seconds(call.responseTimeoutInSeconds, 30);
    let client = presence.methodsReady(deviceId);
    if (!client && !shutdown.signal.aborted) {
      await presence.waitForMethods(deviceId, connectTimeout * 1000, shutdown.signal);
      client = presence.methodsReady(deviceId);
    }
    // behaviour §1.1: offline, or online without the method subscription, is 404103.
    if (!client || shutdown.signal.aborted) return deviceNotOnline(connectTimeout);
    const { rid, result } = methods.start(deviceId, methodName, responseTimeout * 1000);
    send(client, methodRequestTopic(methodName, rid), payload);
    return result;
  }

  return {
    port,
    connection: (deviceId) => presence.connection(deviceId),
    readiness: (deviceId) => ({
      connected: presence.current(deviceId) !== undefined,
      methods: presence.methodsReady(deviceId) !== undefined,
      desired: presence.desiredReady(deviceId) !== undefined,
    }),
    connectedDevices: () => presence.size,
    invokeMethod,
    pushDesired(deviceId: string, delta: JsonObject) {
      const client = presence.desiredReady(deviceId);
      if (!client) return;
      const version = typeof delta.$version === 'number' ? delta.$version : undefined;
      send(client, desiredPatchTopic(version), JSON.stringify(delta));
    },
    disconnect(deviceId: string) {
      const client = presence.current(deviceId);
      if (!client) return;
      log(`mqtt: closing ${deviceId} at the hub's request`);
      client.close();
    },
    close() {
      closing ??= (async () => {
        shutdown.abort();
        methods.cancelAll(() => new HubError('GatewayTimeout', 'Timed out waiting for the response from device.', { reason: 'the hub is shutting down' }));
        const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
        await new Promise<void>((resolve) => broker.close(() => resolve()));
        for (const timer of expiryTimers.values()) clearTimeout(timer);
        expiryTimers.clear();
        for (const socket of sockets) socket.destroy();
        await serverClosed;
        log('mqtt: closed');
      })();
      return closing;
    },
  };
}

/** A timeout in whole seconds from a caller's value; anything not a finite non-negative number is `fallback`. */
function seconds(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : fallback;
}
