/** Direct method calls through the service Client (REST, POST /twins/{id}/methods). */
import { isDashboardError, type DashboardError } from '../dashboard/errors';
import { getHubClients, type HubClients } from './clients';
import { endedEarly, hubGoneDuringCall, mapHubError, type HubErrorContext } from './errors';
import { countHubRequest } from './metrics';
import { readTwin } from './twins';
import type { MethodAnswer, MethodCall } from './types';

/**
 * Calls a direct method and returns the device's answer, whatever its status (the HTTP status is 200 even when
 * the device answers 500, wire §2.3). Throws a DashboardError when the hub could not deliver it or the device did
 * not answer in time. The SDK sets no client-side timeout (wire §2.1), so a guard ends the wait a little after
 * the hub should have answered.
 */
export async function invokeMethod(deviceId: string, call: MethodCall, clients?: HubClients): Promise<MethodAnswer> {
  const hub = clients ?? getHubClients();
  const { client, target } = hub;
  const context = {
    deviceId,
    methodName: call.methodName,
    responseTimeoutS: call.responseTimeoutInSeconds,
    hub: { kind: target.kind, hostName: target.hostName },
  };
  countHubRequest('methodCalls');
  const started = performance.now();
  const guardMs = (call.responseTimeoutInSeconds + call.connectTimeoutInSeconds + 15) * 1000;
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error('No answer from the hub'), { name: 'GatewayTimeoutError' })), guardMs);
  });
  try {
    const { result } = await Promise.race([
      client.invokeDeviceMethod(deviceId, {
        methodName: call.methodName,
        payload: call.payload ?? null,
        responseTimeoutInSeconds: call.responseTimeoutInSeconds,
        connectTimeoutInSeconds: call.connectTimeoutInSeconds,
      }),
      guard,
    ]);
    const answer = (typeof result === 'object' && result !== null ? result : {}) as { status?: unknown; payload?: unknown };
    return { status: typeof answer.status === 'number' ? answer.status : 0, payload: answer.payload ?? null };
  } catch (err) {
    const failed: HubErrorContext = { ...context, elapsedMs: performance.now() - started };
    const error = mapHubError(err, failed);
    throw error.code === 'DEVICE_TIMEOUT' && endedEarly(failed) ? await unlessHubGone(error, deviceId, failed, hub) : error;
  } finally {
    clearTimeout(timer);
  }
}

/** How long the check after an early end may take; a hub that does not answer in that time tells nothing. */
const PROBE_TIMEOUT_MS = 5000;

/**
 * A call the hub ended long before its timeout: one twin read tells a hub that went away (HUB_UNREACHABLE, what
 * the person has to fix) from one that is still up (the early-end error stands).
 */
async function unlessHubGone(early: DashboardError, deviceId: string, context: HubErrorContext, clients: HubClients): Promise<DashboardError> {
  let timer: NodeJS.Timeout | undefined;
  const probe = readTwin(deviceId, clients).then(
    () => null,
    (err: unknown) => err,
  );
  const gaveUp = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), PROBE_TIMEOUT_MS);
  });
  try {
    const failure = await Promise.race([probe, gaveUp]);
    return isDashboardError(failure) && failure.code === 'HUB_UNREACHABLE' ? hubGoneDuringCall(context) : early;
  } finally {
    clearTimeout(timer);
  }
}
