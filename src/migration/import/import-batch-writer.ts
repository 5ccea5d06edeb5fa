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

interface ExistingUser {
  id: string;
  legacy_id: string;
  email_key: string;
  profile_hash: string | null;
  last_import_id: string | null;
  state: string;
}

const UPSERT_USERS = `
INSERT INTO users (legacy_id, email, email_verified, name, given_name, family_name, locale, timezone, phone, attributes,
                   path, legacy_created_at, last_login_at, profile_hash, last_import_id, imported_at)
SELECT t.legacy_id, t.email, t.email_verified, t.name, t.given_name, t.family_name, t.locale, t.timezone, t.phone,
       t.attributes::jsonb, t.path, t.legacy_created_at, t.last_login_at, t.profile_hash, $15, now()
FROM unnest($1::text[], $2::text[], $3::boolean[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
            $9::text[], $10::text[], $11::text[], $12::timestamptz[], $13::timestamptz[], $14::text[])
  AS t(legacy_id, email, email_verified, name, given_name, family_name, locale, timezone, phone, attributes, path,
       legacy_created_at, last_login_at, profile_hash)
ON CONFLICT (legacy_id) DO UPDATE SET
  email = excluded.email, email_verified = excluded.email_verified, name = excluded.name,
  given_name = excluded.given_name, family_name = excluded.family_name, locale = excluded.locale,
  timezone = excluded.timezone, phone = excluded.phone, attributes = excluded.attributes,
  -- a user who already migrated or enrolled keeps their path: the export no longer speaks for them
  path = CASE WHEN users.state = 'pending' THEN excluded.path ELSE users.path END,
  legacy_created_at = excluded.legacy_created_at, last_login_at = excluded.last_login_at,
  profile_hash = excluded.profile_hash, last_import_id = excluded.last_import_id, updated_at = now()
RETURNING id, legacy_id`;

// Only a legacy hash that came from an import is ever replaced: an upgraded credential is never touched.
const UPSERT_LEGACY_HASHES = `
INSERT INTO password_credentials (user_id, scheme, encoded, legacy, source)
SELECT t.user_id, t.scheme, t.encoded, true, 'import' FROM unnest($1::uuid[], $2::text[], $3::text[]) AS t(user_id, scheme, encoded)
ON CONFLICT (user_id) DO UPDATE SET scheme = excluded.scheme, encoded = excluded.encoded, created_at = now()
WHERE password_credentials.legacy AND password_credentials.source = 'import'`;

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
    const outcome: BatchOutcome = { imported: [], updated: [], unchanged: [], rejected: [] };
    if (batch.length === 0) return outcome;
    const [byId, byEmail] = await this.lookup(batch);
    const batchIds = new Map<string, number>();
    const batchEmails = new Map<string, number>();
    const writes: Array<{ item: ClassifiedRow; fingerprint: string; existing?: ExistingUser }> = [];

    for (const item of batch) {
      const { row } = item;
      const emailKey = row.email.toLowerCase();
      const existing = byId.get(row.legacyId);
      const reject = (field: string, reason: string) => outcome.rejected.push({ line: row.line, id: row.legacyId, field, reason });
      const earlierLine = batchIds.get(row.legacyId);
      if (earlierLine !== undefined) { reject('id', `duplicate id: line ${earlierLine} has it too`); continue; }
      if (this.seenIds.has(row.legacyId) || (existing && existing.last_import_id === this.importId)) {
        reject('id', 'duplicate id: an earlier line of this file has it'); continue;
      }
      const emailLine = batchEmails.get(emailKey);
      if (emailLine !== undefined) { reject('email', `duplicate email: line ${emailLine} has it too`); continue; }
      const holder = byEmail.get(emailKey);
      if (this.seenEmails.has(emailKey) || (holder && holder.legacy_id !== row.legacyId)) {
        const fromThisFile = this.seenEmails.has(emailKey) || holder?.last_import_id === this.importId;
        reject('email', fromThisFile ? 'duplicate email: an earlier line of this file has it' : `email is already held by another user (legacy id ${holder!.legacy_id})`);
        continue;
      }
      batchIds.set(row.legacyId, row.line);
      batchEmails.set(emailKey, row.line);
      const fingerprint = profileFingerprint(item);
      if (!existing) outcome.imported.push(item);
      else if (existing.profile_hash === fingerprint) outcome.unchanged.push(item);
      else outcome.updated.push(item);
      writes.push({ item, fingerprint, existing });
    }

    if (this.dryRun) {
      for (const { item } of writes) {
        this.seenIds.add(item.row.legacyId);
        this.seenEmails.add(item.row.email.toLowerCase());
      }
    } else {
      await this.db.transaction((tx) => this.persist(tx, writes));
    }
    return outcome;
  }

  private async lookup(batch: ClassifiedRow[]): Promise<[Map<string, ExistingUser>, Map<string, ExistingUser>]> {
    const ids = batch.map((item) => item.row.legacyId);
    const emails = batch.map((item) => item.row.email.toLowerCase());
    const { rows } = await this.db.query<ExistingUser & { by: string }>(
      `SELECT 'id' AS by, id, legacy_id, lower(email) AS email_key, profile_hash, last_import_id, state FROM users WHERE legacy_id = ANY($1::text[])
       UNION ALL
       SELECT 'email', id, legacy_id, lower(email), profile_hash, last_import_id, state FROM users WHERE lower(email) = ANY($2::text[])`,
      [ids, emails],
    );
    const byId = new Map<string, ExistingUser>();
    const byEmail = new Map<string, ExistingUser>();
    for (const row of rows) (row.by === 'id' ? byId.set(row.legacy_id, row) : byEmail.set(row.email_key, row));
    return [byId, byEmail];
  }

  private async persist(tx: Queryable, writes: Array<{ item: ClassifiedRow; fingerprint: string; existing?: ExistingUser }>): Promise<void> {
    const changed = writes.filter((w) => w.existing?.profile_hash !== w.fingerprint);
    const unchangedIds = writes.filter((w) => w.existing?.profile_hash === w.fingerprint).map((w) => w.existing!.id);
    if (unchangedIds.length > 0) {
      await tx.query('UPDATE users SET last_import_id = $1 WHERE id = ANY($2::uuid[])', [this.importId, unchangedIds]);
    }
    if (changed.length === 0) return;
    const column = <T>(pick: (row: ClassifiedRow) => T) => changed.map((w) => pick(w.item));
    const { rows } = await tx.query<{ id: string; legacy_id: string }>(UPSERT_USERS, [
      column((c) => c.row.legacyId), column((c) => c.row.email), column((c) => c.row.emailVerified),
      column((c) => c.row.name), column((c) => c.row.givenName), column((c) => c.row.familyName),
      column((c) => c.row.locale), column((c) => c.row.timezone), column((c) => c.row.phone),
      column((c) => JSON.stringify(c.row.attributes)), column((c) => c.path), column((c) => c.row.createdAt),
      column((c) => c.row.lastLoginAt), changed.map((w) => w.fingerprint), this.importId,
    ]);
    const userIds = new Map(rows.map((r) => [r.legacy_id, r.id]));
    // Credentials change only for users still pending: a migrated or enrolled user's credential is theirs now.
    const pending = changed.filter((w) => !w.existing || w.existing.state === 'pending');
    const withHash = pending.filter((w) => w.item.hash);
    if (withHash.length > 0) {
      await tx.query(UPSERT_LEGACY_HASHES, [
        withHash.map((w) => userIds.get(w.item.row.legacyId)), withHash.map((w) => w.item.hash!.scheme), withHash.map((w) => w.item.hash!.encoded),
      ]);
    }
    const lostHash = pending.filter((w) => w.existing && !w.item.hash).map((w) => w.existing!.id);
    if (lostHash.length > 0) {
      await tx.query("DELETE FROM password_credentials WHERE user_id = ANY($1::uuid[]) AND legacy AND source = 'import'", [lostHash]);
    }
  }
}
