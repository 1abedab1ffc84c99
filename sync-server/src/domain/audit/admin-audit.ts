import type { UserPrincipal } from '@cr/shared';
import type { AuditPort } from '../../store/ports';

/** What an administrator changed: `target` is `kind:id` (site:…, user:…, member:…). */
export interface AdminChange {
  action: string;
  target: string;
  source: string;
  details: Record<string, unknown>;
  siteId?: string;
}

/**
 * The audit actor of a person: the account id (display names change and two people may share one),
 * with the name for readers in `details.actorName`.
 */
export function personActor(user: UserPrincipal, details: Record<string, unknown> = {}): { actor: string; details: Record<string, unknown> } {
  return { actor: user.userId, details: { ...details, ...(user.name ? { actorName: user.name } : {}) } };
}

/** Records a successful administrative change, credited to the admin's account id (name in `details.actorName`). */
export async function auditAdminChange(audit: AuditPort, admin: UserPrincipal, change: AdminChange): Promise<void> {
  await audit.append(admin.tenantId, { result: 'ok', ...change, ...personActor(admin, change.details) });
}
