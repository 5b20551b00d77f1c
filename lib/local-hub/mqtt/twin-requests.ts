/**
 * Twin requests a device makes over MQTT (wire §1.4): GET answers 200 with `{desired, reported}`; a reported
 * PATCH answers 204 with `&$version=<n>` and an empty body. Every `$rid` gets an answer, and a failure carries
 * `errorCode` and `message` in its body, because the SDK ignores the status and waits for ever on a lost rid
 * (wire §1.4 "must always do").
 */
import { HubError, isHubError } from '../errors';
import type { DeviceDirectory } from '../types';
import { twinResponseTopic } from './topics';

/** Reported properties are limited to 32 KB (behaviour §1.2). */
export const MAX_REPORTED_PATCH_BYTES = 32 * 1024;

export interface TwinAnswer {
  topic: string;
  payload: string;
}

export function twinErrorAnswer(rid: string, error: HubError): TwinAnswer {
  return {
    topic: twinResponseTopic(error.status, rid),
    payload: JSON.stringify({ errorCode: error.numeric, message: error.message, ...(Object.keys(error.info).length ? { info: error.info } : {}) }),
  };
}

export function answerTwinGet(directory: DeviceDirectory, deviceId: string, rid: string): TwinAnswer {
  let twin;
  try {
    twin = directory.getDeviceTwin(deviceId);
  } catch (error) {
    return twinErrorAnswer(rid, new HubError('ServerError', `Reading the twin failed: ${(error as Error).message}`));
  }
  if (isHubError(twin)) return twinErrorAnswer(rid, twin);
  return { topic: twinResponseTopic(200, rid), payload: JSON.stringify({ desired: twin.desired, reported: twin.reported }) };
}

export function answerReportedPatch(directory: DeviceDirectory, deviceId: string, rid: string, body: Buffer): TwinAnswer {
  if (body.length > MAX_REPORTED_PATCH_BYTES) {
    return twinErrorAnswer(
      rid,
      new HubError(
        'MessageTooLarge',
        `The reported-properties patch is ${body.length} bytes; reported properties may be at most ${MAX_REPORTED_PATCH_BYTES} bytes (32 KB).`,
      ),
    );
  }
  let patch: unknown;
  try {
    patch = JSON.parse(body.toString('utf8'));
  } catch {
    return twinErrorAnswer(rid, new HubError('ArgumentInvalid', 'The reported-properties patch is not valid JSON.'));
  }
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) {
    return twinErrorAnswer(rid, new HubError('ArgumentInvalid', 'The reported-properties patch must be a JSON object.'));
  }
  let outcome;
  try {
    outcome = directory.patchReported(deviceId, patch);
  } catch (error) {
    return twinErrorAnswer(rid, new HubError('ServerError', `Saving reported properties failed: ${(error as Error).message}`));
  }
  if (isHubError(outcome)) return twinErrorAnswer(rid, outcome);
  return { topic: twinResponseTopic(204, rid, outcome.version), payload: '' };
}
