import { isId } from '../ids';

/** A parsed Yjs document name. Documents are split along permission boundaries. */
export type DocName =
  | { kind: 'site'; tenantId: string; siteId: string }
  | { kind: 'tenant'; tenantId: string }
  | { kind: 'vendor'; tenantId: string; userId: string };

/** `site:{tenantId}:{siteId}` — one site's live state. */
export const siteDocName = (tenantId: string, siteId: string): string => `site:${tenantId}:${siteId}`;
/** `tenant:{tenantId}` — the site directory and alert routing. */
export const tenantDocName = (tenantId: string): string => `tenant:${tenantId}`;
/** `vendor:{tenantId}:{userId}` — a vendor's server-derived, read-only view of facility faults. */
export const vendorDocName = (tenantId: string, userId: string): string => `vendor:${tenantId}:${userId}`;

/** Parses a document name; anything malformed (or with injected separators) is undefined. */
export function parseDocName(name: string): DocName | undefined {
  const parts = name.split(':');
  if (!parts.every(isId)) return undefined;
  const [kind, tenantId, third] = parts as [string, string, string | undefined];
  if (kind === 'site' && parts.length === 3 && third) return { kind, tenantId, siteId: third };
  if (kind === 'tenant' && parts.length === 2) return { kind, tenantId };
  if (kind === 'vendor' && parts.length === 3 && third) return { kind, tenantId, userId: third };
  return undefined;
}
