import { assertSchemaCompatibility, LATEST_SCHEMA_VERSION, runMigrations, SchemaMigrationRequiredError, type PostgresPoolConfig } from 'bullmq';
import pg from 'pg';
import type { DatabaseAddress } from '../storage/db.ts';

/**
 * Where BullMQ keeps the queues: Redis when REDIS_URL is set, else PostgreSQL (BullMQ's PostgreSQL backend, with
 * FOR UPDATE SKIP LOCKED and LISTEN/NOTIFY) in the same database as everything else, embedded or at DATABASE_URL.
 */
export type QueueStore =
  | { kind: 'redis'; url: string }
  | { kind: 'postgres'; connection: PostgresPoolConfig };

/**
 * The queues' PostgreSQL namespace. BullMQ's PostgreSQL backend ignores the key prefix (a Redis idea) and keeps all
 * queues in one schema, so QUEUE_PREFIX becomes the schema's name: deployments and tests sharing a server stay apart,
 * as they do in Redis. The embedded database must use `public`: pglite-socket shares session settings between its
 * connections, so a `search_path` pinned to another schema would move cutover's own queries there too.
 */
export function queueSchema(prefix: string, embedded: boolean): string {
  if (embedded) return 'public';
  const name = `bullmq_${prefix.toLowerCase().replace(/[^a-z0-9_]+/g, '_')}`;
  return name.slice(0, 63); // PostgreSQL's identifier limit
}

/** Connections each BullMQ queue or worker keeps, besides the one it LISTENs on. */
const POOL_PER_QUEUE = { embedded: 2, server: 4 };

export function queueStoreFor(options: { redisUrl?: string; database: DatabaseAddress; prefix: string }): QueueStore {
  if (options.redisUrl) return { kind: 'redis', url: options.redisUrl };
  const { database } = options;
  const schema = queueSchema(options.prefix, database.embedded);
  if (database.embedded) {
    return { kind: 'postgres', connection: { host: database.host, port: database.port, user: 'postgres', database: 'postgres', max: POOL_PER_QUEUE.embedded, schema, migrate: true } };
  }
  // BullMQ pins search_path to its schema through the `options` startup parameter; one in DATABASE_URL (as the
  // tests' per-schema URLs carry) would override it, so it is moved out of the URL and kept, minus search_path.
  const url = new URL(database.url);
  const startupOptions = (url.searchParams.get('options') ?? '').replace(/-c\s*search_path=\S+/g, '').trim();
  url.searchParams.delete('options');
  return {
    kind: 'postgres',
    connection: { connectionString: url.toString(), ...(startupOptions ? { options: startupOptions } : {}), max: POOL_PER_QUEUE.server, schema, migrate: true },
  };
}

/** Runs `use` on one session on the queues' database, opened as BullMQ's own connections would open it. */
async function onQueueDatabase<T>(connection: PostgresPoolConfig, use: (client: pg.Client, schema: string) => Promise<T>): Promise<T> {
  const { schema = 'public', migrate: _migrate, max: _max, ...settings } = connection as PostgresPoolConfig & { schema?: string; migrate?: boolean; max?: number };
  const client = new pg.Client(settings as pg.ClientConfig);
  await client.connect();
  try {
    return await use(client, schema);
  } finally {
    await client.end();
  }
}

/**
 * Decides whether this process brings BullMQ's tables up to date. Where they are already current it only reads the
 * ledger, so the service can run as a database role that owns nothing and may not CREATE (README, Security:
 * `cutover migrate` as the owner does the rest); where they are missing or old it migrates, as whoever it is.
 */
export async function settleQueueStore(store: QueueStore): Promise<QueueStore> {
  if (store.kind !== 'postgres') return store;
  const current = await onQueueDatabase(store.connection, async (client, schema) => {
    try {
      return (await assertSchemaCompatibility(client, schema)) >= LATEST_SCHEMA_VERSION;
    } catch (error) {
      if (error instanceof SchemaMigrationRequiredError) return false;
      throw error;
    }
  });
  return { kind: 'postgres', connection: { ...store.connection, migrate: !current } };
}

/** `cutover migrate`: brings BullMQ's tables in the queue schema up to date as the owner. Answers the schema, or null on Redis. */
export async function migrateQueueStore(store: QueueStore): Promise<string | null> {
  if (store.kind !== 'postgres') return null;
  return onQueueDatabase(store.connection, async (client, schema) => {
    await runMigrations(client, schema);
    return schema;
  });
}
