import { mkdirSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { Logger } from '../observability/logger.ts';
import { createDb, type Db } from './db.ts';
import { serveEmbedded } from './embedded-socket-server.ts';
import { maskUrl } from './mask-url.ts';
import { ConnectionWatch, isConnectionError } from '../observability/connection-watch.ts';

export interface DatabaseOptions {
  databaseUrl?: string;
  dataDir: string;
  poolSize?: number;
  logger: Logger;
}

/**
 * Opens PostgreSQL: the server at DATABASE_URL, or else an embedded PGlite under DATA_DIR/pg, served on a loopback
 * port (embedded-socket-server.ts) so that one `pg` code path serves both, and BullMQ's PostgreSQL backend can open
 * its own connections to it. PGlite is a single session, so the app's embedded pool has one client and transactions
 * are serialised.
 */
export async function openDatabase(options: DatabaseOptions): Promise<Db> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 10 });
    // A restarting server fails every idle client at once: one line when it goes, one when a connection is made again.
    const watch = new ConnectionWatch(options.logger, 'PostgreSQL', maskUrl(options.databaseUrl));
    pool.on('error', (error) => (isConnectionError(error) ? watch.lost(error) : options.logger.error({ err: error }, 'idle database connection failed')));
    pool.on('connect', () => watch.back());
    return createDb(pool, { address: { embedded: false, url: options.databaseUrl } });
  }
  return openEmbeddedDatabase(options);
}

async function openEmbeddedDatabase(options: DatabaseOptions): Promise<Db> {
  const { PGlite } = await import('@electric-sql/pglite');
  const directory = path.join(options.dataDir, 'pg');
  mkdirSync(directory, { recursive: true });
  const pglite = await PGlite.create(directory);
  const server = await serveEmbedded(pglite);
  const pool = new pg.Pool({ host: server.host, port: server.port, user: 'postgres', database: 'postgres', max: 1 });
  pool.on('error', (error) => options.logger.error({ err: error }, 'embedded database connection failed'));
  options.logger.info({ directory }, 'embedded PostgreSQL (PGlite) started');
  return createDb(pool, {
    address: { embedded: true, host: server.host, port: server.port },
    async onClose() {
      await server.stop();
      await pglite.close();
    },
  });
}
