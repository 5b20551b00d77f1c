/**
 * The local hub's HTTPS REST endpoint for the service SDK (azure-iothub): a route table, service SAS auth,
 * JSON bodies with limits, and JSON answers for everything, errors included. A bad request never takes the
 * server down: every failure is turned into a 4xx (or, outside /methods, a 500) JSON answer.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import { HubError, isHubError } from '../errors';
import type { PolicyRight } from '../types';
import { checkDeviceId } from '../device-id';
import { authorize } from './auth';
import { readJsonBody } from './body';
import type { Handler, ServiceContext } from './context';
import { bulkDevices, deleteDevice, deviceStatistics, getDevice, listDevices, putDevice } from './devices';
import { invokeMethod, METHOD_BODY_LIMIT, methodError } from './methods';
import { classicErrorBody, JSON_TYPE, sendClassicError, sendJson, sendMethodError } from './respond';
import { getTwin, patchTwin, queryDevices, replaceTwin } from './twins';

interface Operation {
  handler: Handler;
  /** Any one of these rights is enough (wire §2.2; IoT Hub access control). */
  rights: readonly PolicyRight[];
  /** Body size limit in bytes, for operations that take a body. */
  bodyLimit?: number;
}

interface Route {
  /** Path segments; ":deviceId" captures one decoded segment. */
  pattern: string[];
  methods: Record<string, Operation>;
  /** Errors on this route use the direct-method shape (wire §2.4). */
  methodStyle?: boolean;
}

const KB = 1024;
const READ: PolicyRight[] = ['RegistryRead'];
const WRITE: PolicyRight[] = ['RegistryWrite'];
const SERVICE: PolicyRight[] = ['ServiceConnect'];

const ROUTES: Route[] = [
  { pattern: ['devices', 'query'], methods: { POST: { handler: queryDevices, rights: ['RegistryRead', 'ServiceConnect'], bodyLimit: 16 * KB } } },
  {
    pattern: ['devices'],
    methods: { GET: { handler: listDevices, rights: READ }, POST: { handler: bulkDevices, rights: WRITE, bodyLimit: 1024 * KB } },
  },
  {
    pattern: ['devices', ':deviceId'],
    methods: {
      GET: { handler: getDevice, rights: READ },
      PUT: { handler: putDevice, rights: WRITE, bodyLimit: 16 * KB },
      DELETE: { handler: deleteDevice, rights: WRITE },
    },
  },
  { pattern: ['statistics', 'devices'], methods: { GET: { handler: deviceStatistics, rights: READ } } },
  {
    pattern: ['twins', ':deviceId'],
    methods: {
      GET: { handler: getTwin, rights: SERVICE },
      PATCH: { handler: patchTwin, rights: SERVICE, bodyLimit: 128 * KB },
      PUT: { handler: replaceTwin, rights: SERVICE, bodyLimit: 128 * KB },
    },
  },
  {
    pattern: ['twins', ':deviceId', 'methods'],
    methods: { POST: { handler: invokeMethod, rights: SERVICE, bodyLimit: METHOD_BODY_LIMIT } },
    methodStyle: true,
  },
];

type Match = { route: Route; params: Record<string, string> } | HubError;

function matchRoute(pathname: string): Match {
  // A trailing slash is tolerated: Registry.list() asks for "/devices/" (wire §2.3).
  const segments = pathname.split('/').slice(1);
  if (segments.length > 1 && segments[segments.length - 1] === '') segments.pop();
  let decoded: string[];
  try {
    decoded = segments.map((s) => decodeURIComponent(s));
  } catch {
    return new HubError('ArgumentInvalid', 'The request path is not properly URL-encoded.');
  }
  for (const route of ROUTES) {
    if (route.pattern.length !== decoded.length) continue;
    const params: Record<string, string> = {};
    const fits = route.pattern.every((part, i) => {
      const segment = decoded[i] as string;
      if (part.startsWith(':')) {
        params[part.slice(1)] = segment;
        return true;
      }
      return part === segment;
    });
    if (fits) return { route, params };
  }
  return new HubError('NotFound', `There is no ${pathname} on this hub.`);
}

async function handle(ctx: ServiceContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let methodStyle = false;
  const fail = (err: HubError, headers: Record<string, string> = {}) =>
    methodStyle && (err.code === 'DeviceNotOnline' || err.code === 'GatewayTimeout')
      ? sendMethodError(res, err)
      : sendClassicError(res, err, headers);
  try {
    const url = new URL(req.url ?? '/', 'https://hub.invalid');
    const match = matchRoute(url.pathname);
    if (isHubError(match)) return fail(match);
    const { route, params } = match;
    methodStyle = route.methodStyle === true;
    const operation = route.methods[req.method ?? ''];
    if (!operation) {
      const allowed = Object.keys(route.methods).join(', ');
      return fail(new HubError('MethodNotAllowed', `${req.method} is not allowed on ${url.pathname}; use ${allowed}.`), { Allow: allowed });
    }
    if (!url.searchParams.get('api-version')) {
      return fail(new HubError('InvalidProtocolVersion', 'The api-version query parameter is missing (the SDK sends 2021-04-12).'));
    }
    if (params.deviceId !== undefined) {
      const idError = checkDeviceId(params.deviceId);
      if (idError) return fail(idError);
    }
    const denied = authorize(req, ctx.hostName, (name) => ctx.store.getPolicy(name), operation.rights);
    if (denied) return fail(denied);
    let body: unknown;
    if (operation.bodyLimit !== undefined) {
      body = await readJsonBody(req, operation.bodyLimit);
      if (isHubError(body)) {
        // An over-long body is not read to its end, so this connection cannot carry another request.
        return fail(body, body.code === 'MessageTooLarge' ? { Connection: 'close' } : {});
      }
    }
    const result = await operation.handler({ req, url, params, body, ctx });
    if (isHubError(result)) {
      return fail(methodStyle ? methodError(result, undefined) : result);
    }
    if (result.status === 204) {
      res.writeHead(204, result.headers ?? {});
      res.end();
      return;
    }
    sendJson(res, result.status, result.body, result.headers);
  } catch (err) {
    ctx.log?.(`internal error on ${req.method} ${req.url}: ${(err as Error).stack ?? String(err)}`);
    if (methodStyle) return sendMethodError(res, methodError(new HubError('ServerError', 'internal'), undefined));
    sendClassicError(res, new HubError('ServerError', 'The local hub failed to handle the request.'));
  }
}

/** A keep-alive HTTPS server for the service side; listening is up to the caller. */
export function createServiceServer(ctx: ServiceContext, tls: { key: string; cert: string }): Server {
  const server = createServer({ key: tls.key, cert: tls.cert, keepAlive: true, keepAliveInitialDelay: 1000 }, (req, res) => {
    void handle(ctx, req, res);
  });
  // The SDK keeps one keep-alive connection per client; allow long idle gaps between dashboard polls.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  // Bytes that are not HTTP never reach a handler; answer them in JSON too, then hang up.
  server.on('clientError', (_err, socket) => {
    if (!socket.writable) return socket.destroy();
    const body = JSON.stringify(classicErrorBody(new HubError('ArgumentInvalid', 'The request is not valid HTTP/1.1.')));
    socket.end(
      `HTTP/1.1 400 Bad Request\r\nContent-Type: ${JSON_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
  return server;
}
