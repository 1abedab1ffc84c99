import type { UserPrincipal } from '@cr/shared';
import type { AuditStore } from '../../store/audit-store';

/** What an administrator changed: `target` is `kind:id` (site:…, user:…, member:…). */
export interface AdminChange {
  action: string;
  target: string;
  source: string;
  details: Record<string, unknown>;
  siteId?: string;
}

/** Records a successful administrative change, credited to the admin who made it. */
export function auditAdminChange(audit: AuditStore, admin: UserPrincipal, change: AdminChange): void {
  audit.append(admin.tenantId, { actor: admin.name ?? admin.userId, result: 'ok', ...change });
}
