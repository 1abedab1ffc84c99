import { z } from 'zod';
import { idSchema } from '../ids';

/** Roles of DESIGN.md "Security". */
export const ROLES = ['hq-operator', 'site-manager', 'vendor', 'tenant-admin'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

/** A signed-in person. `siteIds` scopes site managers and vendors; HQ and admins see every site of the tenant. */
export interface UserPrincipal {
  kind: 'user';
  userId: string;
  role: Role;
  tenantId: string;
  siteIds: readonly string[];
  /** display name or e-mail for audit records */
  name?: string;
}

/** An edge gateway, identified by its site token. */
export interface EdgePrincipal {
  kind: 'edge';
  tenantId: string;
  siteId: string;
}

export type Principal = UserPrincipal | EdgePrincipal;

export const userPrincipalSchema = z.object({
  kind: z.literal('user'),
  userId: z.string().min(1).max(64),
  role: roleSchema,
  tenantId: idSchema,
  siteIds: z.array(idSchema),
  name: z.string().max(200).optional(),
});
