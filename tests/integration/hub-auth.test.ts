/** Service authorization (wire §2.2): every REST call needs a valid token of a policy with the right permission. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRegistry } from '../../lib/hub/transport';
import { createServiceToken } from '../../lib/local-hub/sas';
import { HubStore } from '../../lib/local-hub/store';
import { hubRequest, startTestHub } from '../helpers/local-hub';

function assertUnauthorized(res: { status: number; json: unknown; headers: Record<string, unknown> }, pattern: RegExp): void {
  assert.equal(res.status, 401);
  assert.match(String(res.headers['content-type']), /application\/json/);
  const message = (res.json as { Message: string }).Message;
  assert.match(message, /^ErrorCode:IotHubUnauthorizedAccess;/);
  assert.match(message, pattern);
}

test('a Registry with the wrong key gets UnauthorizedError', async (t) => {
  const hub = await startTestHub(t);
  const wrong = hub.serviceConnectionString.replace(/SharedAccessKey=[^;]+/, `SharedAccessKey=${Buffer.alloc(32, 3).toString('base64')}`);
  const registry = createRegistry(wrong, { httpsPort: hub.httpsPort, ca: hub.caPem });
  await assert.rejects(registry.list(), (err: Error & { response?: { statusCode: number } }) => {
    assert.equal(err.name, 'UnauthorizedError');
    assert.equal(err.response?.statusCode, 401);
    return true;
  });
});

test('a missing header, an unknown policy, another host or an expired token is 401', async (t) => {
  const hub = await startTestHub(t);
  const key = /SharedAccessKey=([^;]+)/.exec(hub.serviceConnectionString)?.[1] as string;
  assertUnauthorized(await hubRequest(hub, 'GET', '/devices/', { auth: false }), /no Authorization header/);
  assertUnauthorized(await hubRequest(hub, 'GET', '/devices/', { auth: createServiceToken(hub.hostName, 'nobody', key) }), /no shared access policy "nobody"/);
  assertUnauthorized(await hubRequest(hub, 'GET', '/devices/', { auth: createServiceToken('elsewhere', 'iothubowner', key) }), /not this hub/);
  assertUnauthorized(
    await hubRequest(hub, 'GET', '/devices/', { auth: createServiceToken(hub.hostName, 'iothubowner', key, Math.floor(Date.now() / 1000) - 5) }),
    /expired/,
  );
  assertUnauthorized(await hubRequest(hub, 'GET', '/devices/', { auth: 'SharedAccessSignature garbage' }), /malformed/);
});

test('each policy reaches only what its rights allow', async (t) => {
  const hub = await startTestHub(t);
  await hub.createDevice('dev-1');
  // The hub's own store has the other policies' keys; read them while it runs (WAL allows a second reader).
  const store = HubStore.open(hub.dataDir);
  const tokenOf = (name: string) => createServiceToken(hub.hostName, name, store.getPolicy(name)?.primaryKey as string);
  const tokens = Object.fromEntries(['service', 'device', 'registryRead', 'registryReadWrite'].map((n) => [n, tokenOf(n)]));
  store.close();

  assert.equal((await hubRequest(hub, 'GET', '/devices/dev-1', { auth: tokens.registryRead })).status, 200);
  assertUnauthorized(await hubRequest(hub, 'PUT', '/devices/new', { auth: tokens.registryRead, body: {} }), /lacks the RegistryWrite/);
  assert.equal((await hubRequest(hub, 'PUT', '/devices/new', { auth: tokens.registryReadWrite, body: {} })).status, 200);
  assertUnauthorized(await hubRequest(hub, 'GET', '/twins/dev-1', { auth: tokens.registryReadWrite }), /lacks the ServiceConnect/);
  assert.equal((await hubRequest(hub, 'GET', '/twins/dev-1', { auth: tokens.service })).status, 200);
  assertUnauthorized(await hubRequest(hub, 'GET', '/devices/dev-1', { auth: tokens.service }), /RegistryRead/);
  assertUnauthorized(await hubRequest(hub, 'POST', '/twins/dev-1/methods', { auth: tokens.device, body: { methodName: 'x' } }), /ServiceConnect/);
});
