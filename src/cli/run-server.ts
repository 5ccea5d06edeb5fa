import type { Server } from 'node:http';
import { loadConfig } from '../config/load-config.ts';
import { deploymentWarnings } from '../config/deployment-warnings.ts';
import { EXIT_CONFIG, StartupError } from '../config/startup-error.ts';
import { createLogger } from '../observability/logger.ts';
import { checkReachable } from '../storage/check-reachable.ts';
import { startupLines } from './startup-lines.ts';

export type ServerRole = 'serve' | 'web' | 'worker';

/** `cutover web` and `cutover worker` share their work through the database: the embedded one lives inside one process. */
export function embeddedRefusal(role: ServerRole): StartupError {
  return new StartupError(
    `"cutover ${role}" runs apart from the ${role === 'web' ? 'workers' : 'web app'}, and the embedded database cannot be shared between processes: set DATABASE_URL (setup 2), and REDIS_URL as well to scale out (setup 3); or run "cutover serve" (npm start), which runs both in one process on the embedded database`,
    EXIT_CONFIG,
  );
}

/**
 * `serve` runs the web app and the workers in one process (the default, and the only mode with the embedded
 * database); `web` and `worker` run them apart. Before anything opens a pool, each configured server must answer
 * (check-reachable.ts). SIGTERM stops taking new work, lets in-flight requests and jobs finish (up to
 * SHUTDOWN_TIMEOUT_MS), then closes.
 */
export async function runServer(role: ServerRole): Promise<void> {
  const config = loadConfig();
  if (role !== 'serve' && config.embeddedDatabase) throw embeddedRefusal(role);
  const logger = createLogger(config.LOG_LEVEL, undefined, { pretty: process.stdout.isTTY === true });
  for (const warning of deploymentWarnings(config)) logger.warn(warning);
  await checkReachable({ databaseUrl: config.DATABASE_URL, redisUrl: config.REDIS_URL });
  // The app and the workers load only now: a refusal or an unreachable server answers without loading them (seconds on a busy machine).
  const [{ createApp }, { createContainer }, { startWorkers }] = await Promise.all([import('../app.ts'), import('../container.ts'), import('../worker.ts')]);
  const container = await createContainer(config, logger);
  const stores = { database: config.embeddedDatabase ? 'embedded' : 'postgres', queue: container.queues.kind };
  let server: Server | undefined;
  if (role !== 'worker') {
    const app = createApp(container);
    server = await new Promise<Server>((resolve, reject) => {
      const listening = app.listen(config.PORT, config.HOST, (error?: Error) => (error ? reject(error) : resolve(listening)));
    });
    logger.info({ url: config.BASE_URL, port: config.PORT, ...stores }, `cutover is listening on ${config.BASE_URL} (database: ${stores.database}, queues: ${stores.queue})`);
    for (const line of await startupLines(config, container.db)) logger.info(line);
  }
  const workers = role !== 'web' ? await startWorkers(container) : null;
  if (role === 'worker') logger.info(stores, `cutover worker started (database: ${stores.database}, queues: ${stores.queue})`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests and jobs');
    const deadline = setTimeout(() => {
      logger.error('shutdown took longer than SHUTDOWN_TIMEOUT_MS; exiting');
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS);
    deadline.unref();
    if (server) {
      const closed = new Promise<void>((resolve) => server!.close(() => resolve()));
      server.closeIdleConnections();
      await closed;
    }
    await workers?.stop();
    await container.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}
