import { loadConfig } from '../config/load-config.ts';
import { createLogger } from '../observability/logger.ts';
import { migrate } from '../storage/migrate.ts';
import { openDatabase } from '../storage/open-database.ts';
import { migrateQueueStore, queueStoreFor } from '../queue/queue-store.ts';

/**
 * `cutover migrate`: applies the pending migrations and exits. Run it with the table owner's DATABASE_URL, so that
 * the service itself can run as a role that owns nothing (README, Security). Startup migrates too, as whoever it is.
 */
export async function migrateCommand(json: boolean): Promise<number> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const db = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.dataDir, poolSize: 1, logger });
  try {
    const applied = await migrate(db, logger);
    // Without REDIS_URL the queues live in this database too (their own schema on a server): their tables as well.
    const queueSchema = db.address.embedded ? null : await migrateQueueStore(queueStoreFor({ redisUrl: config.REDIS_URL, database: db.address, prefix: config.QUEUE_PREFIX }));
    process.stdout.write(json ? `${JSON.stringify({ applied, queue_schema: queueSchema })}\n`
      : `${applied.length ? `applied ${applied.join(', ')}` : 'every migration was already applied'}${queueSchema ? `; the queues' tables in schema ${queueSchema} are up to date` : ''}\n`);
    return 0;
  } finally {
    await db.close();
  }
}
