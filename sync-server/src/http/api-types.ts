import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { UserPrincipal } from '@cr/shared';
import { ApiError } from '../domain/errors';
import type { CloudLog } from '../log';

/** Variables every authenticated route sees (`requestId` and `log` every request sees). */
export interface ApiEnv {
  Variables: { user: UserPrincipal; source: string; requestId: string; log: CloudLog };
}

export const errorSchema = z.object({ error: z.string(), message: z.string() }).openapi('Error');

/** Standard error responses, described once. */
export const errors = (...codes: Array<400 | 401 | 403 | 404 | 409 | 413 | 429 | 503>) =>
  Object.fromEntries(
    codes.map((c) => [c, { description: ERROR_TEXT[c], content: { 'application/json': { schema: errorSchema } } }]),
  ) as Record<number, { description: string; content: { 'application/json': { schema: typeof errorSchema } } }>;

const ERROR_TEXT: Record<number, string> = {
  400: 'invalid input',
  401: 'missing, invalid or expired token',
  403: 'outside the caller role or scope',
  404: 'not found (or not visible to the caller)',
  409: 'conflict',
  413: 'body too large',
  429: 'too many attempts',
  503: 'the site is offline, or its edge did not confirm in time',
};

export const bearer = [{ bearer: [] as string[] }];

/** A router whose validation failures answer `400 {error, message}` naming the field. */
export function router(): OpenAPIHono<ApiEnv> {
  return new OpenAPIHono<ApiEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        const issue = result.error.issues[0];
        const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
        throw new ApiError(400, 'bad-request', `${where}${issue?.message ?? 'invalid input'}`.slice(0, 300));
      }
    },
  });
}
