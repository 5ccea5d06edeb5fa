import { Queue, UnrecoverableError, Worker, type ConnectionOptions, type JobsOptions } from 'bullmq';
import type { Logger } from '../observability/logger.ts';
import type { JobHandlers } from './job-registry.ts';
import { JOB_QUEUE, QUEUES, type JobName, type JobPayloads, type QueueName } from './queue-names.ts';

export interface QueueSystemOptions {
  redisUrl: string;
  /** Keeps each deployment's (and each test's) queues apart. In Redis Cluster, wrap it in {braces}. */
  prefix: string;
  logger: Logger;
}

const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: { age: 24 * 3600, count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

/** The queues, their producers, and (in worker processes) their workers. */
export class QueueSystem {
  private readonly queues = new Map<QueueName, Queue>();
  private readonly workers: Worker[] = [];
  private readonly connection: ConnectionOptions;

  constructor(private readonly options: QueueSystemOptions) {
    const url = new URL(options.redisUrl);
    this.connection = {
      host: url.hostname,
      port: Number(url.port || 6379),
      username: url.username || undefined,
      password: url.password ? decodeURIComponent(url.password) : undefined,
      db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0,
      tls: url.protocol === 'rediss:' ? {} : undefined,
      maxRetriesPerRequest: null,
    };
  }

  queue(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.connection, prefix: this.options.prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS });
      queue.on('error', (error) => this.options.logger.error({ err: error, queue: name }, 'queue error'));
      this.queues.set(name, queue);
    }
    return queue;
  }

  /** Adds a job. A fixed `jobId` makes a duplicate a no-op. */
  async add<N extends JobName>(name: N, data: JobPayloads[N], options: JobsOptions = {}): Promise<void> {
    await this.queue(JOB_QUEUE[name]).add(name, data, options);
  }

  async schedule<N extends JobName>(name: N, everyMs: number, data: JobPayloads[N]): Promise<void> {
    await this.queue(JOB_QUEUE[name]).upsertJobScheduler(name, { every: everyMs }, { name, data });
  }

  /** Adds many jobs at once (one round trip). Fixed job ids make duplicates no-ops. */
  async addBulk<N extends JobName>(name: N, jobs: Array<{ data: JobPayloads[N]; jobId: string }>): Promise<void> {
    if (jobs.length === 0) return;
    await this.queue(JOB_QUEUE[name]).addBulk(jobs.map((job) => ({ name, data: job.data, opts: { jobId: job.jobId } })));
  }

  /** Starts one worker per queue; each job is routed to its handler by name. */
  startWorkers(handlers: JobHandlers, concurrency: Partial<Record<QueueName, number>> = {}): void {
    for (const queueName of Object.values(QUEUES)) {
      const worker = new Worker(
        queueName,
        async (job) => {
          const handler = handlers[job.name as JobName] as ((data: unknown, job: unknown) => Promise<unknown>) | undefined;
          if (!handler) throw new UnrecoverableError(`no handler for job "${job.name}" on queue "${queueName}"`);
          return handler(job.data, job);
        },
        { connection: this.connection, prefix: this.options.prefix, concurrency: concurrency[queueName] ?? 4 },
      );
      worker.on('failed', (job, error) => this.options.logger.warn({ err: error, job: job?.name, id: job?.id, attempts: job?.attemptsMade }, 'job failed'));
      worker.on('error', (error) => this.options.logger.error({ err: error, queue: queueName }, 'worker error'));
      this.workers.push(worker);
    }
  }

  /** Graceful: workers finish the jobs they hold before closing. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.close()));
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
  }
}
