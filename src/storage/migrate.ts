import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../observability/logger.ts';
import type { Db } from './db.ts';

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
// Any fixed number: web and worker processes starting together take turns.
const MIGRATION_LOCK = 74_219_001;

/** Applies every migrations/*.sql not yet applied, in name order, each in its own transaction. */
export async function migrate(db: Db, logger: Logger): Promise<string[]> {
  const client = await db.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    // Created only when missing: CREATE TABLE IF NOT EXISTS needs the CREATE privilege even when the table is
    // there, and the service may run as a role without it once the owner has migrated (README, Security).
    const { rows: [known] } = await client.query<{ table: string | null }>("SELECT to_regclass('schema_migrations')::text AS table");
    if (!known?.table) {
      await client.query('CREATE TABLE schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
    }
    const done = new Set((await client.query<{ name: string }>('SELECT name FROM schema_migrations')).rows.map((r) => r.name));
    const pending = readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql') && !done.has(f)).sort();
    for (const name of pending) {
      await client.query('BEGIN');
      try {
        await client.query(readFileSync(path.join(MIGRATIONS_DIR, name), 'utf8'));
        await client.query('INSERT INTO schema_migrations (name) VALUES ($1)', [name]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${name} failed: ${(error as Error).message}`);
      }
      logger.debug({ migration: name }, 'migration applied');
    }
    // One line, not one per file: a fresh database applies them all, and the lines a person needs come after.
    if (pending.length > 0) logger.info({ migrations: pending.length, last: pending.at(-1) }, `database migrations applied: ${pending.length}, up to ${pending.at(-1)}`);
    return pending;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    client.release();
  }
}
