import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { OpenAPIHono } from '@hono/zod-openapi';
import { swaggerUI } from '@hono/swagger-ui';
import { bodyLimit } from 'hono/body-limit';
import { createAdaptorServer } from '@hono/node-server';
import { WebSocketServer, type WebSocket } from 'ws';
import { EDGE_LINK_PATH, MAX_HTTP_BODY_BYTES, MAX_WS_MESSAGE_BYTES } from '@cr/shared';
import type { CloudConfig } from './config';
import { createContext, type CloudContext, type ContextTuning } from './context';
import { router, type ApiEnv } from './http/api-types';
import { authenticate } from './http/authenticate';
import { trustedProxies } from './http/client-address';
import { securityHeaders } from './http/security-headers';
import { handleError, handleNotFound } from './http/error-handler';
import { requestLog } from './http/request-log';
import type { CloudLog } from './log';
import { authRoutes } from './routes/auth/auth-routes';
import { siteRoutes } from './routes/sites/site-routes';
import { siteAdminRoutes } from './routes/sites/site-admin-routes';
import { userRoutes } from './routes/users/user-routes';
import { edgeTokenRoutes } from './routes/sites/edge-token-routes';
import { commandRoutes } from './routes/commands/command-routes';
import { firmwareRoutes } from './routes/firmware/firmware-routes';
import { eventRoutes } from './routes/events/event-routes';
import { alertRoutes } from './routes/alerts/alert-routes';
import { auditRoutes } from './routes/audit/audit-routes';
import { memberRoutes } from './routes/members/member-routes';
import { reportRoutes } from './routes/reports/report-routes';
import { notificationRoutes } from './routes/notifications/notification-routes';
import { deliveryRoutes } from './routes/notifications/delivery-routes';
import { silenceRoutes } from './routes/notifications/silence-routes';
import { fleetRoutes } from './routes/devices/fleet-routes';
import { policyRoutes } from './routes/policies/policy-routes';
import { demoRoutes } from './routes/demo/demo-routes';
import { resourceRoutes } from './routes/bookings/resource-routes';
import { bookingRoutes } from './routes/bookings/booking-routes';
import { bookingReportRoutes } from './routes/bookings/booking-report-routes';
import { systemRoutes } from './routes/system/system-routes';
import { consoleUi } from './routes/ui/console-ui';
import { handleSync } from './sync/sync-endpoint';
import { handleEdgeLink } from './edge-link/edge-link-server';
import { seedDemo, demoEdgeTokens } from './domain/demo-seed';
import { startBackgroundJobs } from './domain/background-jobs';

/** One cloud instance: the HTTP app, the WebSocket endpoints on the same port, and its services. */
export interface Cloud {
  app: OpenAPIHono<ApiEnv>;
  ctx: CloudContext;
  /** edge tokens of the demo sites, when started with demo data */
  demoEdgeTokens: Record<string, string>;
  /** routes an HTTP upgrade to `/sync/{doc}` or the edge link */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** starts listening; resolves once requests are accepted */
  listen(port?: number, host?: string): Promise<{ port: number; url: string; server: Server }>;
  /** stops timers, closes sockets, compacts and closes the database */
  close(): Promise<void>;
}

/**
 * The REST API, chained with `.route()` so every route's request and response types stay in the
 * result's type: `CloudApi` below, which the console's typed client (`hc`) is built from.
 */
function apiRoutes(ctx: CloudContext) {
  return router()
    .route('/', systemRoutes(ctx))
    .route('/', authRoutes(ctx))
    .route('/', siteRoutes(ctx))
    .route('/', siteAdminRoutes(ctx))
    .route('/', userRoutes(ctx))
    .route('/', edgeTokenRoutes(ctx))
    .route('/', commandRoutes(ctx))
    .route('/', firmwareRoutes(ctx))
    .route('/', eventRoutes(ctx))
    .route('/', alertRoutes(ctx))
    .route('/', auditRoutes(ctx))
    .route('/', memberRoutes(ctx))
    .route('/', reportRoutes(ctx))
    .route('/', notificationRoutes(ctx))
    .route('/', deliveryRoutes(ctx))
    .route('/', silenceRoutes(ctx))
    .route('/', fleetRoutes(ctx))
    .route('/', policyRoutes(ctx))
    .route('/', resourceRoutes(ctx))
    .route('/', bookingRoutes(ctx))
    .route('/', bookingReportRoutes(ctx));
}

/** The type of the cloud's REST API (no runtime value): import it only through `./api-type`. */
export type CloudApi = ReturnType<typeof apiRoutes>;

function buildHttpApp(ctx: CloudContext): OpenAPIHono<ApiEnv> {
  const app = new OpenAPIHono<ApiEnv>();
  app.onError(handleError(ctx.log));
  app.notFound(handleNotFound);
  // First: every later middleware, handler and error answer runs with the request's id.
  app.use('*', requestLog(ctx.log));
  app.use('*', securityHeaders());
  app.use('*', async function countRequests(c, next) {
    const end = ctx.metrics.httpDuration.startTimer();
    await next();
    end();
    ctx.metrics.httpRequests.inc({ method: c.req.method, status: String(c.res.status) });
  });
  // Threat: memory exhaustion by huge bodies; refused before anything parses them.
  app.use(
    '/api/*',
    bodyLimit({
      maxSize: MAX_HTTP_BODY_BYTES,
      onError: (c) => c.json({ error: 'too-large', message: `body larger than ${MAX_HTTP_BODY_BYTES} bytes` }, 413),
    }),
  );
  app.use('/api/v1/*', authenticate(ctx.auth, trustedProxies(ctx.config.trustProxy)));
  app.route('/', apiRoutes(ctx));
  // Demo-only and absent from the typed API: without `--demo` it is an empty router.
  app.route('/', demoRoutes(ctx));
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
  });
  app.doc('/api/v1/openapi.json', {
    openapi: '3.0.3',
    info: {
      title: 'Control room cloud API',
      version: '1.0.0',
      description: 'REST API of the cloud (CONTRACT.md §3). Yjs sync at /sync/{docName}, edge link at /edge/v1/link.',
    },
  });
  app.get('/api/v1/docs', swaggerUI({ url: '/api/v1/openapi.json' }));
  app.use('*', consoleUi(ctx.config.uiDir));
  return app;
}

/**
 * Creates a cloud from its config: opens the store, seeds demo data if asked, wires HTTP and
 * WebSockets. `log` defaults to JSON lines on stderr at `config.logLevel`.
 */
export async function createApp(config: CloudConfig, tuning: ContextTuning = {}, log?: CloudLog): Promise<Cloud> {
  const ctx = await createContext(config, tuning, log);
  if (config.demo) await seedDemo(ctx);
  for (const s of await ctx.tenants.allSites()) await ctx.status.refresh(s.tenantId, s.id);
  const tokens = config.demo ? await demoEdgeTokens(ctx.auth) : {};
  const app = buildHttpApp(ctx);
  const stopJobs = startBackgroundJobs(ctx);
  await ctx.notifications.start();
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_WS_MESSAGE_BYTES,
    // Yjs frames are small and already compact; deflate would cost CPU per frame per client.
    perMessageDeflate: false,
  });
  let server: Server | undefined;

  const handleUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', 'http://cloud');
    const accept = (fn: (ws: WebSocket) => void) => {
      if (socket.destroyed) return;
      wss.handleUpgrade(req, socket, head, (ws) => {
        // An oversized or malformed frame makes ws emit 'error' and close with 1009/1002; without a
        // listener that error would be thrown and take the whole cloud down.
        const path = url.pathname.slice(0, 80);
        ws.on('error', (err) => ctx.log.warn({ path }, `cloud: socket ${path}: ${err.message}`));
        fn(ws);
      });
    };
    const fail = (err: unknown) => {
      ctx.log.error({ path: url.pathname.slice(0, 80), err }, `cloud: upgrade failed: ${(err as Error).message}`);
      socket.destroy();
    };
    if (url.pathname.startsWith('/sync/')) return void handleSync(req, url, accept, ctx).catch(fail);
    if (url.pathname === EDGE_LINK_PATH)
      return void handleEdgeLink(req, url, accept, { ...ctx, publicJwk: ctx.keys.publicJwk }).catch(fail);
    socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
  };

  return {
    app,
    ctx,
    demoEdgeTokens: tokens,
    handleUpgrade,
    listen: (port = config.port, host = config.host) =>
      new Promise((resolve, reject) => {
        server = createAdaptorServer({ fetch: app.fetch }) as Server;
        server.on('upgrade', handleUpgrade);
        server.once('error', reject);
        server.listen(port, host, () => {
          const actual = (server!.address() as AddressInfo).port;
          resolve({ port: actual, url: `http://${host}:${actual}`, server: server! });
        });
      }),
    close: async () => {
      stopJobs();
      // Attempts under way finish and are recorded while the stores are open; the rest waits in the outbox.
      await ctx.notifications.close();
      ctx.hub.closeAll();
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      if (server) {
        server.closeAllConnections?.();
        await new Promise<void>((r) => server!.close(() => r()));
      }
      await ctx.reports.idle();
      ctx.commands.close();
      ctx.status.close();
      // Changes accepted before the sockets closed are stored and published while the bus is still joined.
      await ctx.docs.settled();
      // The batch being stored from the stream finishes before the stores close; then the bus is left.
      await ctx.shared.close();
      // Documents compacted and everything queued for a group commit durable before the stores close.
      ctx.commits.flush();
      await ctx.docs.close();
      await ctx.alertAudit.flush();
      await ctx.telemetry.flush(Number.POSITIVE_INFINITY);
      await ctx.stores.close();
    },
  };
}
