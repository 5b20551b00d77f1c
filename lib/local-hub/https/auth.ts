/**
 * Service authorization: the `Authorization` header must be a service SAS token for this hub (wire §2.2),
 * signed with a key of a policy that has the right the operation needs. Anything else is 401
 * IotHubUnauthorizedAccess, which the SDK turns into UnauthorizedError (wire §2.4).
 */
import type { IncomingMessage } from 'node:http';
import { HubError } from '../errors';
import { verifyServiceToken } from '../sas';
import type { PolicyRight, SharedAccessPolicy } from '../types';

/** RegistryWrite includes RegistryRead, as on IoT Hub. */
function hasRight(policy: SharedAccessPolicy, right: PolicyRight): boolean {
  return policy.rights.includes(right) || (right === 'RegistryRead' && policy.rights.includes('RegistryWrite'));
}

/** null when the request may go ahead with one of `rights`; otherwise the 401 to send. */
export function authorize(
  req: IncomingMessage,
  hostName: string,
  getPolicy: (keyName: string) => SharedAccessPolicy | undefined,
  rights: readonly PolicyRight[],
): HubError | null {
  const header = req.headers.authorization;
  const check = verifyServiceToken(header, hostName, (name) => {
    const policy = getPolicy(name);
    return policy ? [policy.primaryKey, policy.secondaryKey] : undefined;
  });
  if (!check.ok) return new HubError('IotHubUnauthorizedAccess', `Unauthorized: ${check.reason}.`);
  const policy = getPolicy(check.token.keyName as string) as SharedAccessPolicy;
  if (!rights.some((right) => hasRight(policy, right))) {
    return new HubError(
      'IotHubUnauthorizedAccess',
      `Unauthorized: policy "${policy.keyName}" lacks the ${rights.join(' or ')} permission this operation needs.`,
    );
  }
  return null;
}
