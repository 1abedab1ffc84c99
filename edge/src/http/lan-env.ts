import { OpenAPIHono } from '@hono/zod-openapi';
import type { UserPrincipal } from '@cr/shared';
import { HttpError } from './respond';
import { errorSchema } from './lan-schemas';

/** Variables a LAN route sees once `requirePerson` has let the caller in. */
export interface LanEnv {
  Variables: { user: UserPrincipal };
}

const ERROR_TEXT = {
  400: 'invalid input (ids, body, percent-escapes)',
  401: 'missing, invalid or expired token',
  403: 'outside the caller role or this site, another tenant, an edge token, or a vendor',
  404: 'not on this edge',
  413: 'body larger than 16 KiB',
  415: 'body is not application/json',
  503: 'the edge has not received the cloud signing key yet',
} as const;

/** Standard error responses for the OpenAPI document, described once. */
export const errors = (...codes: Array<keyof typeof ERROR_TEXT>) =>
  Object.fromEntries(
    codes.map((c) => [c, { description: ERROR_TEXT[c], content: { 'application/json': { schema: errorSchema } } }]),
  );

export const bearer = [{ bearer: [] as string[] }];

const WHAT: Record<string, string> = { param: 'invalid path', json: 'invalid body' };

/** A router whose validation failures answer `400 {error}` naming the field, like the old hand-written router. */
export function lanRouter(): OpenAPIHono<LanEnv> {
  return new OpenAPIHono<LanEnv>({
    defaultHook: (result) => {
      if (result.success) return;
      const issue = result.error.issues[0];
      const where = issue?.path.join('.') ?? '';
      throw new HttpError(
        400,
        `${WHAT[result.target] ?? 'invalid input'}: ${where} ${issue?.message ?? ''}`.trim().slice(0, 300),
      );
    },
  });
}
