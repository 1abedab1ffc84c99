import { z } from '@hono/zod-openapi';
import { ID_PATTERN } from '@cr/shared';

/** A contract id in a path or query (CONTRACT.md: `^[a-z0-9][a-z0-9._-]{0,63}$`). */
export const idParam = (name: string) =>
  z
    .string()
    .regex(ID_PATTERN, `${name} must match ${ID_PATTERN.source}`)
    .openapi({ param: { name, in: 'path' }, example: 'gangnam' });

export const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } });

/** Epoch milliseconds in a query string. */
export const msQuery = z.coerce.number().int().nonnegative().max(8.64e15);
