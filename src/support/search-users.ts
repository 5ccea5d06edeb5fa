import type { Queryable } from '../storage/db.ts';
import { isUuid } from '../storage/is-uuid.ts';

export interface UserMatch {
  id: string;
  legacy_id: string;
  email: string | null;
  name: string | null;
  path: string;
  state: string;
  locale: string | null;
  /** How the query matched: id, legacy_id, email (exact), email_prefix or name_prefix. */
  matched: string;
}

/** @defaultValue 20 */
export const SEARCH_LIMIT = 20;

/** `abc` → `abc%` for LIKE, with the user's own % _ and \ taken literally. */
function prefixPattern(text: string): string {
  return `${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Finds users for the support page: an exact user id, legacy id or email, then emails and names (full name or
 * family name) that start with the query, any case. Each branch is an index range read in index order and cut at
 * the limit (007_support.sql), so a one-letter query costs no more than a full address. Exact matches come first.
 */
export async function searchUsers(db: Queryable, query: string, limit = SEARCH_LIMIT): Promise<UserMatch[]> {
  const q = query.trim();
  if (q.length === 0) return [];
  const lower = q.toLowerCase();
  const pattern = prefixPattern(lower);
  const cols = 'id, legacy_id, email, name, path, state, locale';
  const branches = [
    `(SELECT ${cols}, 'legacy_id' AS matched, 1 AS rank FROM users WHERE legacy_id = $1)`,
    `(SELECT ${cols}, 'email' AS matched, 2 AS rank FROM users WHERE lower(email) = $2)`,
    `(SELECT ${cols}, 'email_prefix' AS matched, 3 AS rank FROM users
       WHERE (lower(email) COLLATE "C") LIKE $3 ORDER BY (lower(email) COLLATE "C") LIMIT $4)`,
  ];
  // A name has no @: an address-looking query searches addresses only.
  if (!q.includes('@')) {
    branches.push(
      `(SELECT ${cols}, 'name_prefix' AS matched, 4 AS rank FROM users
         WHERE (lower(name) COLLATE "C") LIKE $3 ORDER BY (lower(name) COLLATE "C") LIMIT $4)`,
      `(SELECT ${cols}, 'name_prefix' AS matched, 5 AS rank FROM users
         WHERE (lower(family_name) COLLATE "C") LIKE $3 ORDER BY (lower(family_name) COLLATE "C") LIMIT $4)`,
    );
  }
  const values: unknown[] = [q, lower, pattern, limit];
  if (isUuid(q)) {
    branches.unshift(`(SELECT ${cols}, 'id' AS matched, 0 AS rank FROM users WHERE id = $5)`);
    values.push(q);
  }
  const { rows } = await db.query<UserMatch & { rank: number }>(
    branches.join(' UNION ALL '),
    values,
  );
  // The best match first, then the alphabet; a user found twice (exact and prefix) is listed once.
  const seen = new Set<string>();
  const results: UserMatch[] = [];
  const sorted = rows.sort((a, b) => a.rank - b.rank || (a.email ?? a.name ?? '').localeCompare(b.email ?? b.name ?? ''));
  for (const { rank: _rank, ...row } of sorted) {
    if (seen.has(row.id)) continue;
    seen.add(row.id);
    results.push(row);
    if (results.length === limit) break;
  }
  return results;
}
