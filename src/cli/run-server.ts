import type { Server } from 'node:http';
import { createApp } from '../app.ts';
import { loadConfig } from '../config/load-config.ts';
import { deploymentWarnings } from '../config/deployment-warnings.ts';
import { createContainer } from '../container.ts';
import { createLogger } from '../observability/logger.ts';
import { startWorkers } from '../worker.ts';

export type ServerRole = 'serve' | 'web' | 'worker';

/**
 * `serve` runs the web app and the workers in one process (the default, and the only mode with the embedded
 * database); `web` and `worker` run them apart. SIGTERM stops taking new work, lets in-flight requests and jobs
 * finish (up to SHUTDOWN_TIMEOUT_MS), then closes.
 */
export async function runServer(role: ServerRole): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  for (const warning of deploymentWarnings(config)) logger.warn(warning);
  if (role !== 'serve' && config.embeddedDatabase) {
    logger.warn(`"cutover ${role}" with the embedded database: the other half must run in this process's data directory, which it cannot share; use "cutover serve" or set DATABASE_URL`);
  }
  const container = await createContainer(config, logger);
  let server: Server | undefined;
  if (role !== 'worker') {
    const app = createApp(container);
    server = await new Promise<Server>((resolve, reject) => {
      const listening = app.listen(config.PORT, config.HOST, (error?: Error) => (error ? reject(error) : resolve(listening)));
    });
    logger.info({ url: config.BASE_URL, port: config.PORT, database: config.embeddedDatabase ? 'embedded' : 'server' }, 'cutover is listening');
  }
  const workers = role !== 'web' ? await startWorkers(container) : null;

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
