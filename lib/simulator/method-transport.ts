/**
 * The device SDK's MQTT transport with two additions the simulator needs:
 *
 * - Methods nobody registered a handler for. Every direct method arrives on the single `$iothub/methods/POST/#`
 *   subscription (wire §1.4), and the transport re-emits it as `method_<name>`; with no listener for that event the
 *   SDK drops the request silently and the caller waits for a 504 (wire §2.4). Catching those events here lets the
 *   device answer 404 instead, as the tutorial's device does.
 * - Access to the transport itself, so that a response can be sent with the request id of a request that arrived
 *   on an earlier connection (the tutorial's "answer after reboot" order).
 */
import type { MethodMessage } from 'azure-iot-device';
// Named imports from the package index fail under Node's ESM loader (only Client is detected); the dist modules work.
import { Client } from 'azure-iot-device/dist/device_client';
import { DeviceMethodResponse } from 'azure-iot-device/dist/device_method';
import { Mqtt } from 'azure-iot-device-mqtt';
import { createSharedTlsMqttBase } from './shared-tls';

export type UnhandledMethod = (message: MethodMessage, response: DeviceMethodResponse) => void;

export interface SimulatorTransport {
  /** Status events of the MQTT connection: every loss and every (re)connect, not just the ones the client reports. */
  on(event: 'connected', listener: () => void): unknown;
  on(event: 'disconnect', listener: (err?: Error) => void): unknown;
  /** Subscribes to method requests; calls back once the hub acknowledged the subscription. */
  enableMethods(callback: (err?: Error) => void): void;
  /** Builds a response bound to this transport's current connection. */
  responseFor(requestId: string): DeviceMethodResponse;
  /**
   * Marks the transport as belonging to a closed client. The SDK may still have a retry in progress from an
   * earlier connection loss (up to 240 s, wire §1.6) that would open the connection again; it now fails at once.
   */
  retire(): void;
  /** Destroys the socket if one is still open after the client closed (see CatchAllMqtt.destroySocket). */
  destroySocket(): void;
}

/** The parts of the SDK's MqttBase and mqtt.js client that destroySocket reaches; private, hence all optional. */
interface MqttInternals {
  _mqtt?: { _mqttClient?: { stream?: { destroyed?: boolean; destroy(): void } } };
}

const RETIRED = 'this device client was closed';

class CatchAllMqtt extends Mqtt implements SimulatorTransport {
  onUnhandledMethod: UnhandledMethod | undefined;
  private retired = false;

  retire(): void {
    this.retired = true;
  }

  /**
   * client.close() while the SDK is reconnecting ends mqtt.js without force, which queues the DISCONNECT behind a
   * CONNACK that is never handled: the socket stays open and the closed device stays online (and, with a
   * successor using its id, keeps fighting it). No public API reaches that socket, so this reaches into the
   * transport's MqttBase; if those internals change it does nothing.
   */
  destroySocket(): void {
    const stream = (this as unknown as MqttInternals)._mqtt?._mqttClient?.stream;
    if (stream && !stream.destroyed) stream.destroy();
  }

  override enableMethods(callback: (err?: Error) => void): void {
    // A plain Error is not retryable, so the SDK's retry loop ends here (wire §1.6, retryable errors).
    if (this.retired) callback(new Error(RETIRED));
    else super.enableMethods(callback);
  }

  override emit(event: string | symbol, ...args: unknown[]): boolean {
    if (event === 'connected' && this.retired) {
      // A reconnect that was already under way when the client closed has just completed: close it again, or
      // the closed device would stay online and fight its successor for the device id.
      setImmediate(() => this.disconnect(() => undefined));
      return true;
    }
    if (typeof event === 'string' && event.startsWith('method_') && this.listenerCount(event) === 0 && this.onUnhandledMethod) {
      const message = args[0] as MethodMessage;
      this.onUnhandledMethod(message, this.responseFor(message.requestId));
      return true;
    }
    return super.emit(event, ...args);
  }

  responseFor(requestId: string): DeviceMethodResponse {
    return new DeviceMethodResponse(requestId, this);
  }
}

/**
 * A device Client on MQTT (Client.fromConnectionString(cs, Mqtt), as the tutorial's device) plus its transport. The
 * transport's TLS connections share one secure context per CA list (shared-tls.ts).
 */
export function createDeviceClient(
  connectionString: string,
  onUnhandledMethod: UnhandledMethod,
): { client: Client; transport: SimulatorTransport } {
  let created: CatchAllMqtt | undefined;
  class Transport extends CatchAllMqtt {
    constructor(...[authenticationProvider, mqttBase]: ConstructorParameters<typeof Mqtt>) {
      // One parse of the CA list per process instead of one per connect (see shared-tls.ts).
      super(authenticationProvider, mqttBase ?? createSharedTlsMqttBase());
      this.onUnhandledMethod = onUnhandledMethod;
      created = this;
    }
  }
  const client = Client.fromConnectionString(connectionString, Transport);
  if (!created) throw new Error('the device client did not create its transport');
  return { client, transport: created };
}
