import pg from 'pg';

/** Anything that can run a query: the pool, or the client of an open transaction. */
export interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
}

export interface TransactionOptions {
  /**
   * Commit without waiting for the WAL flush, for work that can be redone (an import batch).
   * @defaultValue true
   */
  synchronousCommit?: boolean;
}

export interface Db extends Queryable {
  /** Runs `work` in one transaction on one connection; commits when it resolves, rolls back when it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** Checks out a dedicated connection (COPY, long imports). Release it. */
  connect(): Promise<pg.PoolClient>;
  ping(): Promise<void>;
  close(): Promise<void>;
  readonly embedded: boolean;
  /** How another client (BullMQ's PostgreSQL backend) reaches this same database. */
  readonly address: DatabaseAddress;
}

/** The embedded database's loopback socket (pglite-socket), or the DATABASE_URL server. */
export type DatabaseAddress =
  | { embedded: true; host: string; port: number }
  | { embedded: false; url: string };

// Return BIGINT/NUMERIC counts as numbers: every count we keep fits in 2^53.
pg.types.setTypeParser(20, (value) => Number(value));
pg.types.setTypeParser(1700, (value) => Number(value));

export function createDb(pool: pg.Pool, options: { address: DatabaseAddress; onClose?: () => Promise<void> }): Db {
  return {
    embedded: options.address.embedded,
    address: options.address,
    query: (text, values) => pool.query(text, values),
    connect: () => pool.connect(),
    async transaction(work, transactionOptions = {}) {
      const client = await pool.connect();
      try {
        await client.query(transactionOptions.synchronousCommit === false ? 'BEGIN; SET LOCAL synchronous_commit = off' : 'BEGIN');
        const result = await work(client);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async ping() {
      await pool.query('SELECT 1');
    },
    async close() {
      await pool.end();
      await options.onClose?.();
    },
  };
}
