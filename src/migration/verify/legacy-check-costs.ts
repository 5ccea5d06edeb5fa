import { randomBytes } from 'node:crypto';
import type { Logger } from '../../observability/logger.ts';
import type { Db } from '../../storage/db.ts';
import type { HashCheckPool } from '../../identity/hashes/hash-check-pool.ts';

/**
 * Salts and digests are runs of 8 or more base64, hex or crypt-alphabet characters; cost parameters (`$12$`,
 * `rounds=656000`, `"iterations":1000000`, `m=65536,t=3`) are shorter. Dropping the long runs leaves one key per
 * scheme and cost. The same pattern runs in SQL (`regexp_replace`) and here, so both make the same keys.
 */
const SALT_OR_DIGEST = '[A-Za-z0-9./+]{8,}';
const SALT_OR_DIGEST_JS = new RegExp(SALT_OR_DIGEST, 'g');
const COST_KEY_SQL = `u.legacy_hash_scheme || ':' || regexp_replace(u.legacy_hash, '${SALT_OR_DIGEST}', '', 'g')`;
/** Distinct costs measured after one import; more is a sign the key missed the parameters (logged). */
const MAX_PROBES_PER_IMPORT = 64;
const REFRESH_MS = 60_000;
/** Sign-in checks remembered per key: the floor follows how slow checks are now, when the machine is busy. */
const RECENT_CHECKS = 20;
/** Sign-in checks of a key before they, not the measurement at import, say what it costs. */
const MIN_RECENT_CHECKS = 5;

/** The third quartile: most checks of the key are no slower, and one stray slow check does not move it. */
function upperQuartile(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length * 0.75)] ?? 0;
}

export function legacyHashCostKey(scheme: string, encoded: string): string {
  return `${scheme}:${encoded.replace(SALT_OR_DIGEST_JS, '')}`;
}

/**
 * The time one check of each kind of stored legacy hash takes on this machine, kept in `legacy_check_costs` so that
 * every web process shares it. Filled at import (one timed check of a wrong password per new cost key), and at
 * sign-in for a key no import measured (hashes stored before this table existed). `slowestMs` feeds the floor: the
 * slowest key's cost, which is the upper quartile of its last sign-in checks once there are a few, else what was
 * measured. The floor so follows how slow checks are now: a busy spell raises it while it lasts, and one slow
 * measurement at import does not hold it up for good.
 */
export class LegacyCheckCosts {
  private known = new Map<string, number>();
  private readonly recent = new Map<string, number[]>();
  private refresh: NodeJS.Timeout | undefined;
  slowestMs = 0;

  /** `pool` runs the timed checks off the event loop, as sign-in does. */
  constructor(private readonly db: Db, private readonly logger: Logger, private readonly pool: Pick<HashCheckPool, 'verify'>) {}

  async load(): Promise<void> {
    const { rows } = await this.db.query<{ cost_key: string; check_ms: number }>('SELECT cost_key, check_ms FROM legacy_check_costs');
    this.known = new Map(rows.map((r) => [r.cost_key, Number(r.check_ms)]));
    this.updateSlowest();
  }

  /** Re-reads the table now and then: another process may have imported slower hashes. */
  startRefreshing(): void {
    this.refresh ??= setInterval(() => void this.load().catch((error: unknown) => this.logger.warn({ err: error }, 'could not re-read legacy check costs')), REFRESH_MS);
    this.refresh.unref();
  }

  stop(): void {
    clearInterval(this.refresh);
    this.refresh = undefined;
  }

  /** After an import: time one check for each cost key its hashes brought that is not measured yet. */
  async probeImport(importId: string): Promise<void> {
    const { rows } = await this.db.query<{ cost_key: string; scheme: string; legacy_hash: string }>(
      `SELECT DISTINCT ON (cost_key) cost_key, scheme, legacy_hash FROM (
         SELECT ${COST_KEY_SQL} AS cost_key, u.legacy_hash_scheme AS scheme, u.legacy_hash
           FROM users u WHERE u.last_import_id = $1 AND u.legacy_hash IS NOT NULL
       ) k WHERE NOT EXISTS (SELECT 1 FROM legacy_check_costs c WHERE c.cost_key = k.cost_key)
       ORDER BY cost_key LIMIT ${MAX_PROBES_PER_IMPORT + 1}`,
      [importId],
    );
    if (rows.length > MAX_PROBES_PER_IMPORT) this.logger.warn({ import: importId, probed: MAX_PROBES_PER_IMPORT }, 'more distinct legacy hash costs than are probed at import; the rest are measured at their first sign-in');
    for (const row of rows.slice(0, MAX_PROBES_PER_IMPORT)) {
      // Two checks of a random wrong password (a refusal is what the floor covers); the first also pays for
      // warming up the family's code, so the faster one is the cost.
      const times: number[] = [];
      for (let i = 0; i < 2; i++) {
        const started = performance.now();
        await this.pool.verify(row.scheme, row.legacy_hash, randomBytes(12).toString('base64url')).catch(() => false);
        times.push(performance.now() - started);
      }
      await this.remember(row.cost_key, row.scheme, Math.min(...times));
    }
  }

  /** A check timed at sign-in: kept among the key's recent checks; stored only for a key no one has measured. */
  async observe(scheme: string, encoded: string, ms: number): Promise<void> {
    const key = legacyHashCostKey(scheme, encoded);
    const recent = this.recent.get(key) ?? [];
    recent.push(ms);
    if (recent.length > RECENT_CHECKS) recent.shift();
    this.recent.set(key, recent);
    if (!this.known.has(key)) await this.remember(key, scheme, ms);
    else this.updateSlowest();
  }

  private updateSlowest(): void {
    let slowest = 0;
    for (const key of new Set([...this.known.keys(), ...this.recent.keys()])) {
      const recent = this.recent.get(key) ?? [];
      slowest = Math.max(slowest, recent.length >= MIN_RECENT_CHECKS ? upperQuartile(recent) : this.known.get(key) ?? upperQuartile(recent));
    }
    this.slowestMs = slowest;
  }

  private async remember(key: string, scheme: string, ms: number): Promise<void> {
    this.known.set(key, ms);
    this.updateSlowest();
    await this.db.query('INSERT INTO legacy_check_costs (cost_key, scheme, check_ms) VALUES ($1, $2, $3) ON CONFLICT (cost_key) DO NOTHING', [key, scheme, ms]);
  }
}
