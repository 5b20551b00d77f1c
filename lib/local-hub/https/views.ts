/** Device identity and twin JSON in the shapes the service SDK reads (wire §3). */
import { etagOf, servicePropertiesView, type TwinDoc } from '../twin-doc';
import type { ConnectionInfo, DeviceIdentity, JsonObject } from '../types';

export function deviceJson(identity: DeviceIdentity, connection: ConnectionInfo): JsonObject {
  return {
    deviceId: identity.deviceId,
    generationId: identity.generationId,
    etag: identity.etag,
    connectionState: connection.state,
    status: identity.status,
    statusReason: identity.statusReason,
    connectionStateUpdatedTime: connection.stateUpdatedTime,
    statusUpdatedTime: identity.statusUpdatedTime,
    lastActivityTime: connection.lastActivityTime,
    cloudToDeviceMessageCount: 0,
    authentication: {
      symmetricKey: { primaryKey: identity.primaryKey, secondaryKey: identity.secondaryKey },
      x509Thumbprint: { primaryThumbprint: null, secondaryThumbprint: null },
      type: 'sas',
    },
    capabilities: { iotEdge: false },
  };
}

export function twinJson(identity: DeviceIdentity, doc: TwinDoc, connection: ConnectionInfo): JsonObject {
  return {
    deviceId: identity.deviceId,
    etag: etagOf(doc.etagVersion),
    deviceEtag: identity.etag,
    status: identity.status,
    ...(identity.statusReason ? { statusReason: identity.statusReason } : {}),
    statusUpdateTime: identity.statusUpdatedTime,
    connectionState: connection.state,
    lastActivityTime: connection.lastActivityTime,
    cloudToDeviceMessageCount: 0,
    authenticationType: 'sas',
    x509Thumbprint: { primaryThumbprint: null, secondaryThumbprint: null },
    modelId: '',
    version: doc.version,
    tags: doc.tags,
    properties: servicePropertiesView(doc),
    capabilities: { iotEdge: false },
  };
}
