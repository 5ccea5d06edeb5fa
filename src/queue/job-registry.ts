import type { Job } from 'bullmq';
import type { JobName, JobPayloads } from './queue-names.ts';
import { JOB_QUEUE } from './queue-names.ts';

export type JobHandler<N extends JobName> = (data: JobPayloads[N], job: Job<JobPayloads[N]>) => Promise<unknown>;
export type JobHandlers = { [N in JobName]: JobHandler<N> };

/** Startup fails when a job name has no handler, rather than when the first such job arrives. */
export function checkHandlers(handlers: Partial<JobHandlers>): JobHandlers {
  const missing = (Object.keys(JOB_QUEUE) as JobName[]).filter((name) => typeof handlers[name] !== 'function');
  if (missing.length > 0) throw new Error(`No job handler for: ${missing.join(', ')}`);
  return handlers as JobHandlers;
}
