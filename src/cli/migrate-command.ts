import { loadConfig } from '../config/load-config.ts';
import { createLogger } from '../observability/logger.ts';
import { migrate } from '../storage/migrate.ts';
import { openDatabase } from '../storage/open-database.ts';

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
    process.stdout.write(json ? `${JSON.stringify({ applied })}\n` : applied.length ? `applied ${applied.join(', ')}\n` : 'every migration was already applied\n');
    return 0;
  } finally {
    await db.close();
  }
}
