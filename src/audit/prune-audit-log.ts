import type { Db } from '../storage/db.ts';

const BATCH = 10_000;

/**
 * Deletes audit entries older than the retention (AUDIT_RETENTION_DAYS), in batches so that no transaction holds
 * many rows. The only delete the append-only trigger lets through (007_support.sql).
 */
export async function pruneAuditLog(db: Db, retentionDays: number): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await db.transaction(async (tx) => {
      await tx.query("SET LOCAL cutover.audit_prune = 'on'");
      const result = await tx.query(
        `DELETE FROM audit_log WHERE id IN (
           SELECT id FROM audit_log WHERE at < now() - make_interval(days => $1) ORDER BY at LIMIT ${BATCH})`,
        [retentionDays],
      );
      return result.rowCount ?? 0;
    });
    total += deleted;
    if (deleted < BATCH) return total;
  }
}
