import { createHash } from 'node:crypto';
import type { Db, Queryable } from '../../storage/db.ts';
import type { ClassifiedRow } from './classify-row.ts';
import type { RowError } from './export-row.ts';

export interface BatchOutcome {
  imported: ClassifiedRow[];
  updated: ClassifiedRow[];
  unchanged: ClassifiedRow[];
  rejected: RowError[];
}

type Write = { item: ClassifiedRow; fingerprint: string; existing?: ExistingUser };

interface ExistingUser {
  id: string;
  legacy_id: string;
  email_key: string;
  profile_hash: string | null;
  last_import_id: string | null;
  state: string;
}

const INSERT_USERS = `
INSERT INTO users (legacy_id, email, email_verified, name, given_name, family_name, locale, timezone, phone, attributes,
                   path, legacy_created_at, last_login_at, profile_hash, legacy_hash_scheme, legacy_hash, last_import_id, imported_at)
SELECT t.legacy_id, t.email, t.email_verified, t.name, t.given_name, t.family_name, t.locale, t.timezone, t.phone,
       t.attributes::jsonb, t.path, t.legacy_created_at, t.last_login_at, t.profile_hash, t.legacy_hash_scheme, t.legacy_hash, $17, now()
FROM unnest($1::text[], $2::text[], $3::boolean[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
            $9::text[], $10::text[], $11::text[], $12::timestamptz[], $13::timestamptz[], $14::text[], $15::text[], $16::text[])
  AS t(legacy_id, email, email_verified, name, given_name, family_name, locale, timezone, phone, attributes, path,
       legacy_created_at, last_login_at, profile_hash, legacy_hash_scheme, legacy_hash)`;

const ON_CONFLICT_UPDATE = `
ON CONFLICT (legacy_id) DO UPDATE SET
  email = excluded.email, email_verified = excluded.email_verified, name = excluded.name,
  given_name = excluded.given_name, family_name = excluded.family_name, locale = excluded.locale,
  timezone = excluded.timezone, phone = excluded.phone, attributes = excluded.attributes,
  -- a user who already migrated or enrolled keeps their path and credential: the export no longer speaks for them
  path = CASE WHEN users.state = 'pending' THEN excluded.path ELSE users.path END,
  legacy_hash_scheme = CASE WHEN users.state = 'pending' THEN excluded.legacy_hash_scheme ELSE users.legacy_hash_scheme END,
  legacy_hash = CASE WHEN users.state = 'pending' THEN excluded.legacy_hash ELSE users.legacy_hash END,
  legacy_created_at = excluded.legacy_created_at, last_login_at = excluded.last_login_at,
  profile_hash = excluded.profile_hash, last_import_id = excluded.last_import_id, updated_at = now()`;


export function profileFingerprint({ row, path, hash }: ClassifiedRow): string {
  return createHash('sha1')
    .update(JSON.stringify([row.email, row.emailVerified, row.name, row.givenName, row.familyName, row.locale, row.timezone,
      row.phone, row.createdAt, row.lastLoginAt, row.attributes, path, hash?.scheme, hash?.encoded]))
    .digest('base64url');
}

/**
 * Writes one batch of classified rows: a few set-based statements per batch, never a query per row.
 * In-file duplicates are found through `last_import_id` (rows this import already wrote or touched); a dry run
 * keeps them in memory instead and writes nothing.
 */
export class ImportBatchWriter {
  private readonly seenIds = new Set<string>();
  private readonly seenEmails = new Set<string>();

  constructor(private readonly db: Db, private readonly importId: string, private readonly dryRun: boolean) {}

  async write(batch: ClassifiedRow[]): Promise<BatchOutcome> {
    if (batch.length === 0) return { imported: [], updated: [], unchanged: [], rejected: [] };
    if (this.dryRun) {
      const sorted = this.sort(batch, await this.lookup(this.db, batch));
      for (const { item } of sorted.writes) {
        this.seenIds.add(item.row.legacyId);
        this.seenEmails.add(item.row.email.toLowerCase());
      }
      return sorted.outcome;
    }
    // An import can be run again to the same result, so a batch lost in a crash costs nothing: skip the commit fsync.
    return this.db.transaction(async (tx) => {
      // Optimistic first: insert every row whose id and email are free. On a first import that is the whole batch,
      // in one statement. Only the rows that collided are looked up and sorted into updated, unchanged or rejected.
      const { fresh, rejected } = this.dedupeWithinBatch(batch);
      const written = fresh.map((item) => ({ item, fingerprint: profileFingerprint(item) }));
      const inserted = await this.insertOptimistically(tx, written);
      const rest = fresh.filter((item) => !inserted.has(item.row.legacyId));
      const sorted = rest.length > 0 ? this.sort(rest, await this.lookup(tx, rest)) : null;
      if (sorted) await this.persist(tx, sorted.writes);
      return {
        imported: [...fresh.filter((item) => inserted.has(item.row.legacyId)), ...(sorted?.outcome.imported ?? [])],
        updated: sorted?.outcome.updated ?? [],
        unchanged: sorted?.outcome.unchanged ?? [],
        rejected: [...rejected, ...(sorted?.outcome.rejected ?? [])],
      };
    }, { synchronousCommit: false });
  }

  /**
   * Inserts the rows whose legacy id is new. An email that another user already holds fails the statement (only
   * the id is the conflict target, which is much cheaper than arbitrating every unique index); then the savepoint
   * undoes it and the whole batch takes the careful path.
   */
  private async insertOptimistically(tx: Queryable, writes: Write[]): Promise<Set<string>> {
    await tx.query('SAVEPOINT optimistic_insert');
    try {
      return await this.upsertUsers(tx, writes, 'insert-only');
    } catch (error) {
      if ((error as { code?: string }).code !== '23505') throw error;
      await tx.query('ROLLBACK TO SAVEPOINT optimistic_insert');
      return new Set();
    }
  }

  /** The second of two rows with the same id or email in one batch is rejected with the first one's line. */
  private dedupeWithinBatch(batch: ClassifiedRow[]): { fresh: ClassifiedRow[]; rejected: RowError[] } {
    const ids = new Map<string, number>();
    const emails = new Map<string, number>();
    const fresh: ClassifiedRow[] = [];
    const rejected: RowError[] = [];
    for (const item of batch) {
      const { row } = item;
      const emailKey = row.email.toLowerCase();
      const idLine = ids.get(row.legacyId);
      const emailLine = emails.get(emailKey);
      if (idLine !== undefined) rejected.push({ line: row.line, id: row.legacyId, field: 'id', reason: `duplicate id: line ${idLine} has it too` });
      else if (emailLine !== undefined) rejected.push({ line: row.line, id: row.legacyId, field: 'email', reason: `duplicate email: line ${emailLine} has it too` });
      else {
        ids.set(row.legacyId, row.line);
        emails.set(emailKey, row.line);
        fresh.push(item);
      }
    }
    return { fresh, rejected };
  }

  /** Sorts rows against what the database (or, in a dry run, this file so far) already holds. */
  private sort(batch: ClassifiedRow[], [byId, byEmail]: [Map<string, ExistingUser>, Map<string, ExistingUser>]): { outcome: BatchOutcome; writes: Write[] } {
    const outcome: BatchOutcome = { imported: [], updated: [], unchanged: [], rejected: [] };
    const { fresh, rejected } = this.dedupeWithinBatch(batch);
    outcome.rejected.push(...rejected);
    const writes: Write[] = [];
    for (const item of fresh) {
      const { row } = item;
      const emailKey = row.email.toLowerCase();
      const existing = byId.get(row.legacyId);
      const reject = (field: string, reason: string) => outcome.rejected.push({ line: row.line, id: row.legacyId, field, reason });
      if (this.seenIds.has(row.legacyId) || (existing && existing.last_import_id === this.importId)) {
        reject('id', 'duplicate id: an earlier line of this file has it'); continue;
      }
      const holder = byEmail.get(emailKey);
      if (this.seenEmails.has(emailKey) || (holder && holder.legacy_id !== row.legacyId)) {
        const fromThisFile = this.seenEmails.has(emailKey) || holder?.last_import_id === this.importId;
        reject('email', fromThisFile ? 'duplicate email: an earlier line of this file has it' : `email is already held by another user (legacy id ${holder!.legacy_id})`);
        continue;
      }
      const fingerprint = profileFingerprint(item);
      if (!existing) outcome.imported.push(item);
      else if (existing.profile_hash === fingerprint) outcome.unchanged.push(item);
      else outcome.updated.push(item);
      writes.push({ item, fingerprint, existing });
    }
    return { outcome, writes };
  }

  private async lookup(db: Queryable, batch: ClassifiedRow[]): Promise<[Map<string, ExistingUser>, Map<string, ExistingUser>]> {
    const ids = batch.map((item) => item.row.legacyId);
    const emails = batch.map((item) => item.row.email.toLowerCase());
    // LATERAL … LIMIT 1 keeps the plan to one index probe per key. A plain `= ANY($1)` or a join lets the planner
    // pick a sequential scan of the whole users table for every batch, which grows with the table.
    const { rows } = await db.query<ExistingUser & { by: string }>(
      `SELECT 'id' AS by, u.id, u.legacy_id, lower(u.email) AS email_key, u.profile_hash, u.last_import_id, u.state
         FROM unnest($1::text[]) AS k(key) CROSS JOIN LATERAL (SELECT * FROM users WHERE legacy_id = k.key LIMIT 1) u
       UNION ALL
       SELECT 'email', u.id, u.legacy_id, lower(u.email), u.profile_hash, u.last_import_id, u.state
         FROM unnest($2::text[]) AS k(key) CROSS JOIN LATERAL (SELECT * FROM users WHERE lower(email) = k.key LIMIT 1) u`,
      [ids, emails],
    );
    const byId = new Map<string, ExistingUser>();
    const byEmail = new Map<string, ExistingUser>();
    for (const row of rows) (row.by === 'id' ? byId.set(row.legacy_id, row) : byEmail.set(row.email_key, row));
    return [byId, byEmail];
  }

  private async persist(tx: Queryable, writes: Write[]): Promise<void> {
    const unchangedIds = writes.filter((w) => w.existing?.profile_hash === w.fingerprint).map((w) => w.existing!.id);
    if (unchangedIds.length > 0) {
      await tx.query('UPDATE users SET last_import_id = $1 WHERE id IN (SELECT unnest($2::uuid[]))', [this.importId, unchangedIds]);
    }
    await this.upsertUsers(tx, writes.filter((w) => w.existing?.profile_hash !== w.fingerprint), 'upsert');
  }

  /** One statement for a whole batch. `insert-only` skips rows whose legacy id exists and says which went in. */
  private async upsertUsers(tx: Queryable, writes: Write[], mode: 'insert-only' | 'upsert'): Promise<Set<string>> {
    if (writes.length === 0) return new Set();
    const column = <T>(pick: (row: ClassifiedRow) => T) => writes.map((w) => pick(w.item));
    const { rows } = await tx.query<{ legacy_id: string }>(`${INSERT_USERS} ${mode === 'upsert' ? ON_CONFLICT_UPDATE : 'ON CONFLICT (legacy_id) DO NOTHING'} RETURNING legacy_id`, [
      column((c) => c.row.legacyId), column((c) => c.row.email), column((c) => c.row.emailVerified),
      column((c) => c.row.name), column((c) => c.row.givenName), column((c) => c.row.familyName),
      column((c) => c.row.locale), column((c) => c.row.timezone), column((c) => c.row.phone),
      column((c) => JSON.stringify(c.row.attributes)), column((c) => c.path), column((c) => c.row.createdAt),
      column((c) => c.row.lastLoginAt), writes.map((w) => w.fingerprint), column((c) => c.hash?.scheme ?? null),
      column((c) => c.hash?.encoded ?? null), this.importId,
    ]);
    return new Set(rows.map((r) => r.legacy_id));
  }
}
