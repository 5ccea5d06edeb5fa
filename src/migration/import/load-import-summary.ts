import type { Queryable } from '../../storage/db.ts';
import { SUMMARY_ERROR_LIMIT, type ImportSummary } from './import-summary.ts';
import { isUuid } from '../../storage/is-uuid.ts';

interface ImportRow {
  id: string; status: ImportSummary['status']; dry_run: boolean; rows: number; imported: number; updated: number;
  unchanged: number; rejected: number; paths: Record<string, number>; hash_formats: Record<string, number>;
  ambiguous_hashes: number; ignored_fields: Record<string, number>; bytes_read: number; bytes_total: number | null; failure: string | null;
  started_at: Date; finished_at: Date | null; heartbeat_at: Date; created_by: string | null;
}

/** The summary of an import, running or finished, as `GET /api/v1/imports/:id` answers it. */
export async function loadImportSummary(db: Queryable, id: string): Promise<ImportSummary | null> {
  if (!isUuid(id)) return null;
  const { rows } = await db.query<ImportRow>('SELECT * FROM imports WHERE id = $1', [id]);
  const row = rows[0];
  if (!row) return null;
  const errors = await listImportErrors(db, id, 0, SUMMARY_ERROR_LIMIT);
  return { ...toSummary(row), errors, errors_truncated: errors.length >= SUMMARY_ERROR_LIMIT };
}

export type ImportListItem = Omit<ImportSummary, 'errors' | 'errors_truncated'> & { created_by: string | null };

/** The latest imports, newest first, without their row errors: `GET /api/v1/imports`. */
export async function listRecentImports(db: Queryable, limit: number): Promise<ImportListItem[]> {
  const { rows } = await db.query<ImportRow>('SELECT * FROM imports ORDER BY started_at DESC LIMIT $1', [limit]);
  return rows.map((row) => ({ ...toSummary(row), created_by: row.created_by }));
}

function toSummary(row: ImportRow): Omit<ImportSummary, 'errors' | 'errors_truncated'> {
  const end = row.finished_at ?? row.heartbeat_at;
  const durationMs = Math.max(0, end.getTime() - row.started_at.getTime());
  return {
    id: row.id, status: row.status, dry_run: row.dry_run, rows: row.rows, imported: row.imported, updated: row.updated,
    unchanged: row.unchanged, rejected: row.rejected, paths: row.paths, hash_formats: row.hash_formats,
    ambiguous_hashes: row.ambiguous_hashes,
    ignored_fields: row.ignored_fields, bytes_read: row.bytes_read, bytes_total: row.bytes_total,
    started_at: row.started_at.toISOString(), finished_at: row.finished_at?.toISOString() ?? null,
    duration_ms: durationMs, rows_per_second: durationMs > 0 ? Math.round((row.rows * 1000) / durationMs) : row.rows,
    ...(row.failure ? { failure: row.failure } : {}),
  };
}

export async function listImportErrors(db: Queryable, id: string, afterLine: number, limit: number) {
  const { rows } = await db.query<{ line: number; id: string | null; field: string; reason: string }>(
    'SELECT line, legacy_id AS id, field, reason FROM import_errors WHERE import_id = $1 AND line > $2 ORDER BY line LIMIT $3',
    [id, afterLine, limit],
  );
  return rows;
}
