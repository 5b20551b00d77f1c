/** An in-memory DeviceDirectory, for tests of the device side without the store. */
import { randomBytes } from 'node:crypto';
import { HubError } from '../../lib/local-hub/errors';
import type { DeviceDirectory, DeviceIdentity, DeviceTwinView, JsonObject, SharedAccessPolicy } from '../../lib/local-hub/types';

export function newKey(): string {
  return randomBytes(32).toString('base64');
}

function mergePatch(target: JsonObject, patch: JsonObject): void {
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete target[key];
    else if (typeof value === 'object' && !Array.isArray(value)) {
      const existing = target[key];
      const child = existing && typeof existing === 'object' && !Array.isArray(existing) ? (existing as JsonObject) : {};
      mergePatch(child, value as JsonObject);
      target[key] = child;
    } else target[key] = value;
  }
}

/** A DeviceDirectory kept in memory, for tests of the device side alone. */
export class MemoryDirectory implements DeviceDirectory {
  readonly identities = new Map<string, DeviceIdentity>();
  readonly policies = new Map<string, SharedAccessPolicy>();
  readonly twins = new Map<string, DeviceTwinView>();

  addDevice(deviceId: string, status: DeviceIdentity['status'] = 'enabled'): DeviceIdentity {
    const identity: DeviceIdentity = {
      deviceId,
      generationId: '1',
      etag: 'AAAA',
      status,
      statusReason: null,
      statusUpdatedTime: new Date().toISOString(),
      primaryKey: newKey(),
      secondaryKey: newKey(),
    };
    this.identities.set(deviceId, identity);
    this.twins.set(deviceId, { desired: { $version: 1 }, reported: { $version: 1 } });
    return identity;
  }

  addPolicy(keyName: string, rights: SharedAccessPolicy['rights']): SharedAccessPolicy {
    const policy: SharedAccessPolicy = { keyName, rights, primaryKey: newKey(), secondaryKey: newKey() };
    this.policies.set(keyName, policy);
    return policy;
  }

  getIdentity(deviceId: string): DeviceIdentity | undefined {
    return this.identities.get(deviceId);
  }

  getPolicy(keyName: string): SharedAccessPolicy | undefined {
    return this.policies.get(keyName);
  }

  getDeviceTwin(deviceId: string): DeviceTwinView | HubError {
    const twin = this.twins.get(deviceId);
    if (!twin) return new HubError('DeviceNotFound', `Device ${deviceId} not found.`);
    return structuredClone(twin);
  }

  patchReported(deviceId: string, patch: unknown): { version: number } | HubError {
    const twin = this.twins.get(deviceId);
    if (!twin) return new HubError('DeviceNotFound', `Device ${deviceId} not found.`);
    mergePatch(twin.reported, patch as JsonObject);
    twin.reported.$version += 1;
    return { version: twin.reported.$version };
  }
}

