import type { Principal } from '../http/roles.ts';
import type { Queryable } from '../storage/db.ts';

export interface AuditEntry {
  actor: Principal;
  action: string;
  target?: string;
  reason?: string;
  ip?: string;
  details?: Record<string, unknown>;
}

/** Appends to the audit log, inside the caller's transaction so the entry and the change land together. */
export async function recordAudit(db: Queryable, entry: AuditEntry): Promise<void> {
  await db.query(
    'INSERT INTO audit_log (actor, role, action, target, reason, ip, details) VALUES ($1, $2, $3, $4, $5, $6, $7)',
    [entry.actor.name, entry.actor.role, entry.action, entry.target ?? null, entry.reason ?? null, entry.ip ?? null, entry.details ?? {}],
  );
}
