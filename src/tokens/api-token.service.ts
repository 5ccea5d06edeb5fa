import { timingSafeEqual } from 'node:crypto';
import type { Db } from '../storage/db.ts';
import type { Principal, Role } from '../http/roles.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { hashTokenSecret, newTokenSecret } from './token-secret.ts';

export interface CreatedToken {
  id: string;
  name: string;
  role: Role;
  token: string;
  created_at: string;
}

const CACHE_TTL_MS = 10_000;
const LAST_USED_EVERY_MS = 60_000;

/**
 * API tokens: created by admins, stored only as hashes. Lookups are cached for a few seconds so that the verify
 * hot path does not pay a query per request; a revoked token stops working within that time.
 */
export class ApiTokenService {
  private readonly cache = new Map<string, { principal: Principal | null; until: number }>();
  private readonly lastUsedWritten = new Map<string, number>();
  private readonly adminHash: Buffer | null;

  constructor(private readonly db: Db, adminToken: string | undefined) {
    this.adminHash = adminToken ? Buffer.from(hashTokenSecret(adminToken), 'hex') : null;
  }

  async create(input: { name: string; role: Role }, actor: Principal, ip?: string): Promise<CreatedToken> {
    const token = newTokenSecret();
    return this.db.transaction(async (tx) => {
      const { rows } = await tx.query<{ id: string; created_at: Date }>(
        'INSERT INTO api_tokens (name, role, token_hash, created_by) VALUES ($1, $2, $3, $4) RETURNING id, created_at',
        [input.name, input.role, hashTokenSecret(token), actor.name],
      );
      const row = rows[0]!;
      await recordAudit(tx, { actor, action: 'api_token.create', target: `api_token:${row.id}`, ip, details: { name: input.name, role: input.role } });
      return { id: row.id, name: input.name, role: input.role, token, created_at: row.created_at.toISOString() };
    });
  }

  async list(): Promise<Array<{ id: string; name: string; role: Role; created_at: Date; last_used_at: Date | null; revoked_at: Date | null }>> {
    const { rows } = await this.db.query(
      'SELECT id, name, role, created_at, last_used_at, revoked_at FROM api_tokens ORDER BY created_at',
    );
    return rows as never;
  }

  async revoke(id: string, actor: Principal, ip?: string): Promise<boolean> {
    const revoked = await this.db.transaction(async (tx) => {
      const { rowCount } = await tx.query('UPDATE api_tokens SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL', [id]);
      if (rowCount) await recordAudit(tx, { actor, action: 'api_token.revoke', target: `api_token:${id}`, ip });
      return Boolean(rowCount);
    });
    this.cache.clear();
    return revoked;
  }

  /** The principal a bearer secret stands for, or null. */
  async authenticate(secret: string): Promise<Principal | null> {
    const hash = hashTokenSecret(secret);
    if (this.adminHash && timingSafeEqual(Buffer.from(hash, 'hex'), this.adminHash)) {
      return { tokenId: null, name: 'CUTOVER_ADMIN_TOKEN', role: 'admin' };
    }
    const now = Date.now();
    const cached = this.cache.get(hash);
    if (cached && cached.until > now) return cached.principal;
    const { rows } = await this.db.query<{ id: string; name: string; role: Role }>(
      'SELECT id, name, role FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL',
      [hash],
    );
    const row = rows[0];
    const principal = row ? { tokenId: row.id, name: row.name, role: row.role } : null;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(hash, { principal, until: now + CACHE_TTL_MS });
    if (principal) this.touch(principal.tokenId!, now);
    return principal;
  }

  private touch(id: string, now: number): void {
    if ((this.lastUsedWritten.get(id) ?? 0) > now - LAST_USED_EVERY_MS) return;
    this.lastUsedWritten.set(id, now);
    void this.db.query('UPDATE api_tokens SET last_used_at = now() WHERE id = $1', [id]).catch(() => undefined);
  }
}
