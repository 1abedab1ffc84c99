import { OpenAPIHono } from '@hono/zod-openapi';
import type { Logger } from '../log';
import type { HttpDeps } from './http-deps';
import type { LanEnv } from './lan-env';
import { answerLanError, answerNotFound } from './lan-errors';
import { lanBodyLimit, lanCors, refuseMalformedPath } from './lan-guards';
import { systemRoutes } from './system-routes';
import { siteRoutes } from './site-routes';
import { commandRoutes } from './command-routes';
import { deviceRoutes } from './device-routes';
import { bookingRoutes } from './booking-routes';
import { testControlRoutes } from './test-control-routes';

export type { HttpDeps } from './http-deps';

/** Where the LAN API describes itself. */
export const OPENAPI_PATH = '/api/v1/openapi.json';

/**
 * The edge's local HTTP API: the cloud's paths, so a console on the site LAN only switches its
 * base URL. Tested through `app.request()`; served by `startHttp`.
 */
export function localApi(deps: HttpDeps, log: Logger): OpenAPIHono<LanEnv> {
  const app = new OpenAPIHono<LanEnv>();
  app.onError(answerLanError(log));
  app.notFound(answerNotFound);
  app.use('*', lanCors());
  app.use('*', refuseMalformedPath());
  app.use('/api/*', lanBodyLimit());
  app.route('/', systemRoutes(deps));
  app.route('/', siteRoutes(deps));
  app.route('/', commandRoutes(deps));
  app.route('/', deviceRoutes(deps));
  app.route('/', bookingRoutes(deps));
  if (deps.testControls) app.route('/', testControlRoutes(deps));
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
  });
  app.doc(OPENAPI_PATH, {
    openapi: '3.0.3',
    info: {
      title: `Edge ${deps.siteId} local API`,
      version: '1.0.0',
      description:
        "The site gateway on the LAN (CONTRACT.md §4). Tokens are the cloud's access tokens, verified offline; " +
        'vendors, edge tokens and other tenants are refused. Yjs sync of the site document at /sync/{docName}?token=….',
    },
  });
  return app;
}
