import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerOptions,
  type ServerResponse,
} from 'node:http';
import type { Socket } from 'node:net';
import { databaseFailure } from '../db/connection-errors.js';
import type { HttpDeps } from './http-deps.js';
import {
  addVary,
  HttpError,
  refuseUnlessRead,
  sendBody,
  sendJson,
  sendJsonError,
} from './http-json.js';
import { sendDatabaseUnavailable } from './database-unavailable.js';
import { awaitContinue, drainOn, drainUnreadBody } from './body-drain.js';
import { wantsPrometheus } from './prometheus.js';
import {
  isClientAbort,
  missingHostProblem,
  requestUrl,
  type RequestTarget,
} from './request-guards.js';
import { graphiqlPage, sendGraphiql } from './graphiql-route.js';
import { graphql } from './graphql-route.js';
import { sheetRoute } from './sheet-routes.js';
import { handleCors } from './cors.js';
import { loadStaticFiles, serveStatic } from './static-files.js';

/** The HTTP server: /graphql, /graphiql, /livez, /readyz, the dashboard at /; every error answer is JSON. */
export function createHttpServer(deps: HttpDeps): Server {
  const graphiql = graphiqlPage();
  const dashboard = loadStaticFiles();
  // Node's own missing-Host refusal is an empty 400; handle() answers it in JSON instead.
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const path = req.url?.split('?')[0];
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      deps.prometheus?.observeRequest(req.method, path, res.statusCode, ms);
      deps.log.info({ method: req.method, path, status: res.statusCode, ms }, 'request');
      // Answered before its body was read whole (a refusal): the rest is read and dropped.
      if (!req.complete) void drainUnreadBody(req);
    });
    handle(req, res, deps, graphiql, dashboard).catch((err: unknown) => {
      if (err instanceof HttpError) {
        // sendJsonError settles what is left of the body first (body-drain.ts).
        const headers: Record<string, string> =
          err.status === 401 ? { 'www-authenticate': 'Bearer' } : {};
        return sendJsonError(res, err.status, err.code, err.message, headers);
      }
      if (isClientAbort(err, req)) {
        // The client went away (closed tab, slow client cut off): nothing to fix, no stack.
        deps.log.info({ method: req.method, path: req.url?.split('?')[0] }, 'client aborted');
        return void res.destroy();
      }
      const failure = databaseFailure(err);
      if (failure !== 'outage') deps.log.error({ err }, 'request failed');
      if (failure !== null && !res.headersSent) return sendDatabaseUnavailable(res);
      if (!res.headersSent)
        sendJsonError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
      else res.destroy();
    });
  };
  const server = createServer(SERVER_OPTIONS, onRequest);
  // `Expect: 100-continue`: the interim answer waits until a route reads the body.
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    awaitContinue(req, res);
    onRequest(req, res);
  });
  // An Expect other than 100-continue: Node answers 417 with an empty body unless told.
  server.on('checkExpectation', (_req: IncomingMessage, res: ServerResponse) =>
    sendJsonError(res, 417, 'BAD_REQUEST', '不支持的 Expect 请求头（只支持 100-continue）'),
  );
  // Requests Node cannot parse (bad methods, oversized headers) get a JSON answer too.
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    // The body of a request refused before it was read whole is being dropped (body-drain.ts),
    // within bounds of its own: a request timeout is left to those, and a body that cannot be
    // parsed after the refusal went out ends the connection. Either written here would be a
    // second answer to the same request, read by the client as the answer to its next one.
    const drain = drainOn(socket);
    if (drain) {
      if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') return;
      if (drain.answered) return void (socket as Socket).destroySoon();
    }
    // A request read whole before this one (pipelined) is still owed its answer: a 400
    // written now would be read as that answer, though a mutation there may have committed.
    // Let that answer go out, marked as the last, and close after it; the unreadable request
    // gets none (the client sees the connection close before it, as with any unanswered one).
    const owed = (socket as { _httpMessage?: ServerResponse | null })._httpMessage;
    if (owed && owed.req.complete && !owed.writableFinished) {
      if (!owed.headersSent) owed.shouldKeepAlive = false;
      owed.once('finish', () => socket.end());
      owed.once('close', () => socket.end());
      return;
    }
    // Headers that did not arrive in time (a slow or stalled client) are a 408, not a request
    // the server could not read.
    const [status, reason, message, code] =
      err.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'Request Header Fields Too Large', '无法解析的 HTTP 请求', 'BAD_REQUEST']
        : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? [408, 'Request Timeout', '请求头未在时限内收完', 'REQUEST_TIMEOUT']
          : [400, 'Bad Request', '无法解析的 HTTP 请求', 'BAD_REQUEST'];
    const body = JSON.stringify({ errors: [{ message, extensions: { code } }] });
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\n` +
        `content-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
  });
  return server;
}

/**
 * Only a WebSocket handshake on /graphql leaves HTTP for the live server (subscriptions.ts).
 * Any other `Upgrade` (curl --http2's h2c, `websocket` on /livez) is ignored, as HTTP allows,
 * and the request served as usual; without this Node handed every request that names
 * `Connection: upgrade` to the WebSocket library, which answered it with an HTML 400 or 405.
 * `shouldUpgradeCallback` is Node 22's (not yet in @types/node).
 */
const SERVER_OPTIONS = {
  requireHostHeader: false,
  // How often Node looks for requests past their deadlines (app.ts): every 30 s by default, so
  // a request could be cut up to 30 s after its 30 s.
  connectionsCheckingInterval: 5_000,
  shouldUpgradeCallback: (req: IncomingMessage) =>
    req.headers.upgrade?.trim().toLowerCase() === 'websocket' &&
    (req.url ?? '').split('?')[0] === '/graphql',
} as ServerOptions;

const READ_ONLY = new Set(['/livez', '/readyz', '/metrics']);
const NO_ORIGINS: ReadonlySet<string> = new Set();

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  deps: HttpDeps,
  graphiql: ReturnType<typeof graphiqlPage>,
  dashboard: ReturnType<typeof loadStaticFiles>,
): Promise<void> {
  const noHost = missingHostProblem(req);
  if (noHost) return sendJsonError(res, 400, 'BAD_REQUEST', noHost);
  let url: RequestTarget;
  try {
    url = requestUrl(req);
  } catch {
    return sendJsonError(res, 400, 'BAD_REQUEST', '无法解析请求地址');
  }
  const refuse = (message: string) => sendJsonError(res, 403, 'FORBIDDEN', message);
  if (handleCors(req, res, url.pathname, deps.corsOrigins ?? NO_ORIGINS, refuse)) return;
  // The probes and metrics are reads: another method is a 405, as on every other route.
  if (READ_ONLY.has(url.pathname) && refuseUnlessRead(req, res)) return;
  switch (url.pathname) {
    case '/livez':
      return sendJson(res, 200, { status: 'ok' });
    case '/metrics':
      // As readable as the data: anonymous only where anonymous reads are allowed.
      await deps.authenticate(req);
      // Prometheus text or JSON, by Accept.
      addVary(res, 'Accept');
      if (deps.prometheus && wantsPrometheus(req.headers.accept, url.searchParams.get('format'))) {
        const text = await deps.prometheus.text();
        return sendBody(
          res,
          200,
          { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' },
          text,
        );
      }
      return sendJson(res, 200, deps.metrics.read());
    case '/readyz':
      return (await deps.ready().catch(() => false))
        ? sendJson(res, 200, { status: 'ready' })
        : sendJson(res, 503, { status: 'not ready' });
    case '/graphiql':
      return sendGraphiql(req, res, deps.graphiql, graphiql);
    case '/graphql':
      return graphql(req, res, url, deps);
    case '/api/import':
    case '/api/export':
      return sheetRoute(req, res, url, { ...deps, em: (p, r) => deps.context(p, r).em });
    default:
      // The dashboard (/, its scripts and styles) by exact name; anything else is a 404.
      if (await serveStatic(req, res, url, dashboard)) return;
      return sendJsonError(res, 404, 'NOT_FOUND', `没有这个地址：${url.pathname}`);
  }
}
