import { parseLegacyHash } from '../../identity/hashes/registry.ts';
import { collectCheckCosts } from '../../identity/hashes/check-cost.ts';
import { assertCheckWithinBudget } from '../../identity/hashes/hash-cost-model.ts';
import { DangerousHashParametersError, MalformedHashError, UnsupportedHashError } from '../../identity/hashes/hash-errors.ts';
import type { ParsedLegacyHash } from '../../identity/hashes/hash-family.ts';
import { AmbiguousHashError, HashContextError } from '../../identity/hashes/hash-dialect-errors.ts';
import type { HashDialect } from '../../identity/hashes/hash-dialects.ts';
import type { ExportRow, MigrationPath, RowError } from './export-row.ts';

export interface ClassifyOptions {
  /** Path for a row without a hash: jit when the legacy system is configured, reset otherwise. */
  defaultPath: 'jit' | 'reset';
  onUnsupportedHash: 'reject' | 'jit' | 'reset';
  /** LEGACY_HASH_MAX_MS: a hash whose one check the cost model puts above this is refused. Unset: no time cap. */
  maxCheckMs?: number;
  /** Which framework wrote the export: decides the strings several families write ("md5$…", "hash:salt"). */
  hashDialect?: HashDialect | undefined;
}

export interface ClassifiedRow {
  row: ExportRow;
  path: MigrationPath;
  /** The legacy hash to store; only on bulk_hash rows. */
  hash: ParsedLegacyHash | null;
}

function hashProblem(row: ExportRow, reason: string): RowError {
  return { line: row.line, id: row.legacyId, field: 'password_hash', reason };
}

/**
 * Routes a row to its migration path. A verifiable hash means bulk_hash; no hash means the default path; an
 * unsupported hash follows `onUnsupportedHash`; a malformed or dangerous one is always rejected, never stored.
 */
export function classifyRow(row: ExportRow, options: ClassifyOptions): ClassifiedRow | RowError {
  let hash: ParsedLegacyHash | null = null;
  let unsupported = false;
  if (row.passwordHash !== null) {
    try {
      const { value, costs } = collectCheckCosts(() => parseLegacyHash(row.passwordHash!, {
        dialect: options.hashDialect,
        format: row.passwordHashFormat ?? undefined,
        salt: row.passwordHashSalt ?? undefined,
      }));
      if (options.maxCheckMs !== undefined) assertCheckWithinBudget(value.format, costs, options.maxCheckMs);
      hash = value;
    } catch (error) {
      if (error instanceof AmbiguousHashError) return { ...hashProblem(row, error.message), ambiguousHash: true };
      if (error instanceof HashContextError) return { line: row.line, id: row.legacyId, field: error.field, reason: error.message };
      if (error instanceof UnsupportedHashError) unsupported = true;
      else if (error instanceof MalformedHashError || error instanceof DangerousHashParametersError) return hashProblem(row, error.message);
      else throw error;
    }
  }

  if (row.path === 'bulk_hash') {
    if (hash) return { row, path: 'bulk_hash', hash };
    return { line: row.line, id: row.legacyId, field: 'path', reason: unsupported ? 'bulk_hash needs a supported password_hash; this one is an unsupported hash format' : 'bulk_hash needs a password_hash' };
  }
  if (row.path) return { row, path: row.path, hash: null };
  if (hash) return { row, path: 'bulk_hash', hash };
  if (unsupported) {
    if (options.onUnsupportedHash === 'reject') return hashProblem(row, 'unsupported hash format');
    return { row, path: options.onUnsupportedHash, hash: null };
  }
  return { row, path: options.defaultPath, hash: null };
}
