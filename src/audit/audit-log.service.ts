import type { Queryable } from '../storage/db.ts';

export interface AuditFilters {
  actor?: string;
  /** An action (`support.contact`) or a family of them (`support`). */
  action?: string;
  target?: string;
  /** Days, YYYY-MM-DD (UTC), both included. */
  from?: string;
  to?: string;
  /** Keyset paging: entries older than this id. */
  before?: number;
}

export interface AuditEntryView {
  id: number; actor: string; role: string | null; action: string; target: string | null; reason: string | null;
  ip: string | null; details: Record<string, unknown>; at: Date;
}

/** @defaultValue 50 */
export const AUDIT_PAGE_SIZE = 50;

/** Reads the audit log, newest first, a page at a time. Read only: nothing in cutover changes or deletes entries. */
export async function listAuditEntries(db: Queryable, filters: AuditFilters, pageSize = AUDIT_PAGE_SIZE): Promise<{ entries: AuditEntryView[]; next_before: number | null }> {
  const where: string[] = [];
  const values: unknown[] = [];
  const param = (value: unknown) => `$${values.push(value)}`;
  if (filters.actor) where.push(`actor = ${param(filters.actor)}`);
  if (filters.action) where.push(`(action = ${param(filters.action)} OR action LIKE ${param(`${filters.action.replace(/[\\%_]/g, (c) => `\\${c}`)}.%`)})`);
  if (filters.target) where.push(`target = ${param(filters.target)}`);
  if (filters.from) where.push(`at >= ${param(filters.from)}::date`);
  if (filters.to) where.push(`at < ${param(filters.to)}::date + 1`);
  if (filters.before) where.push(`id < ${param(filters.before)}`);
  const { rows } = await db.query<AuditEntryView>(
    `SELECT id, actor, role, action, target, reason, ip, details, at FROM audit_log
     ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ${pageSize + 1}`,
    values,
  );
  const more = rows.length > pageSize;
  const entries = rows.slice(0, pageSize);
  return { entries, next_before: more ? entries[entries.length - 1]!.id : null };
}
