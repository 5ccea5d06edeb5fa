import type { Container } from './container.ts';
import { checkHandlers } from './queue/job-registry.ts';
import { reapStalledImports } from './migration/import/reap-stalled-imports.ts';

const STALLED_IMPORT_SECONDS = 600;

/** Starts the workers for every queue and the scheduled jobs. Fails at startup if a job has no handler. */
export async function startWorkers(container: Container): Promise<void> {
  const handlers = checkHandlers({
    'imports.reap-stalled': async ({ staleAfterSeconds }) => {
      const reaped = await reapStalledImports(container.db, staleAfterSeconds);
      if (reaped > 0) container.logger.warn({ reaped }, 'marked stalled imports as failed');
      return { reaped };
    },
  });
  container.queues.startWorkers(handlers);
  await container.queues.schedule('imports.reap-stalled', 60_000, { staleAfterSeconds: STALLED_IMPORT_SECONDS });
  container.logger.info('workers started');
}
