/**
 * One TLS secure context per CA list, shared by every simulated device that trusts that list.
 *
 * The device SDK hands the `ca` of client.setOptions to mqtt.js, and Node builds a new secure context from it on
 * every connect, parsing every certificate again. The simulator's list holds the hub's CA plus whatever
 * NODE_EXTRA_CA_CERTS names (see trust.ts); when that is a system bundle (~140 certificates, ~17 ms of CPU per
 * parse) a fleet cannot connect faster than ~50 devices per second, whatever the hub does. The SDK's MQTT
 * transport accepts the MqttBase it runs on (`new Mqtt(authenticationProvider, mqttBase)`), and MqttBase accepts
 * the mqtt module it connects with; this module gives it the SDK's own mqtt.js with a cached secure context built
 * from the same `ca`, so the trust is unchanged and the certificates are parsed once per process.
 */
import { createRequire } from 'node:module';
import { createSecureContext, type SecureContext } from 'node:tls';

/** What MqttBase calls on its mqtt provider (azure-iot-mqtt-base: `this.mqttProvider.connect(uri, options)`). */
interface MqttProvider {
  connect(uri: string, options: Record<string, unknown>): unknown;
}

type MqttBaseConstructor = new (mqttProvider?: MqttProvider) => object;

// The MqttBase and mqtt.js the SDK itself loads, resolved from the SDK's own packages rather than from ours.
const requireFromSdk = createRequire(createRequire(import.meta.url).resolve('azure-iot-device-mqtt'));
const requireFromBase = createRequire(requireFromSdk.resolve('azure-iot-mqtt-base'));
const { MqttBase } = requireFromSdk('azure-iot-mqtt-base') as { MqttBase: MqttBaseConstructor };
const sdkMqtt = requireFromBase('mqtt') as MqttProvider;

const contexts = new Map<string, SecureContext>();

/** The secure context for a CA list (PEM text), built on first use. */
export function secureContextFor(ca: string): SecureContext {
  let context = contexts.get(ca);
  if (!context) {
    context = createSecureContext({ ca });
    contexts.set(ca, context);
  }
  return context;
}

/**
 * The mqtt provider: connections that carry a `ca` (and no client certificate, whose key would belong in the
 * context too) get the shared context for it; Node then ignores `ca`. Anything else goes through unchanged.
 */
const sharedContextMqtt: MqttProvider = {
  connect(uri, options) {
    const { ca, cert, key } = options;
    if (typeof ca !== 'string' || cert !== undefined || key !== undefined) return sdkMqtt.connect(uri, options);
    return sdkMqtt.connect(uri, { ...options, secureContext: secureContextFor(ca) });
  },
};

/** A new MqttBase for one device transport, connecting through the shared secure contexts. */
export function createSharedTlsMqttBase(): object {
  return new MqttBase(sharedContextMqtt);
}
