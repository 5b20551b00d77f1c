/** Direct method calls through the service Client (REST, POST /twins/{id}/methods). */
import { getHubClients, type HubClients } from './clients';
import { mapHubError } from './errors';
import { countHubRequest } from './metrics';
import type { MethodAnswer, MethodCall } from './types';

/**
 * Calls a direct method and returns the device's answer, whatever its status (the HTTP status is 200 even when
 * the device answers 500, wire §2.3). Throws a DashboardError when the hub could not deliver it or the device did
 * not answer in time. The SDK sets no client-side timeout (wire §2.1), so a guard ends the wait a little after
 * the hub should have answered.
 */
export async function invokeMethod(deviceId: string, call: MethodCall, clients?: HubClients): Promise<MethodAnswer> {
  const { client, target } = clients ?? getHubClients();
  const context = {
    deviceId,
    methodName: call.methodName,
    responseTimeoutS: call.responseTimeoutInSeconds,
    hub: { kind: target.kind, hostName: target.hostName },
  };
  countHubRequest('methodCalls');
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
    throw mapHubError(err, context);
  } finally {
    clearTimeout(timer);
  }
}
