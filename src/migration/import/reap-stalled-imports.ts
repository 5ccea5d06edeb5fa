import type { Queryable } from '../../storage/db.ts';

/**
 * An import runs inside one HTTP request. If its process dies, the row would say "running" for ever; this job
 * marks imports with no progress for `staleAfterSeconds` as failed, so `GET /api/v1/imports/:id` tells the truth.
 */
export async function reapStalledImports(db: Queryable, staleAfterSeconds: number): Promise<number> {
  const { rowCount } = await db.query(
    `UPDATE imports SET status = 'failed', failure = 'the import stopped: its process ended before it finished', finished_at = now()
     WHERE status = 'running' AND heartbeat_at < now() - make_interval(secs => $1)`,
    [staleAfterSeconds],
  );
  return rowCount ?? 0;
}
