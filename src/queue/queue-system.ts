import { createPostgresBackend, Queue, UnrecoverableError, withBackend, Worker, type ConnectionOptions, type JobsOptions, type Processor } from 'bullmq';
import type { Logger } from '../observability/logger.ts';
import { ConnectionWatch, isConnectionError } from '../observability/connection-watch.ts';
import { maskUrl } from '../storage/mask-url.ts';
import type { JobHandlers } from './job-registry.ts';
import { JOB_QUEUE, QUEUES, type JobName, type JobPayloads, type QueueName } from './queue-names.ts';
import type { QueueStore } from './queue-store.ts';

export interface QueueSystemOptions {
  store: QueueStore;
  /** Keeps each deployment's (and each test's) queues apart: a Redis key prefix, or the PostgreSQL schema (queue-store.ts). In Redis Cluster, wrap it in {braces}. */
  prefix: string;
  logger: Logger;
}

const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: { age: 24 * 3600, count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

/** What cutover uses of a queue, whichever backend holds it. */
export interface QueueHandle {
  add(name: string, data: unknown, options?: JobsOptions): Promise<unknown>;
  addBulk(jobs: Array<{ name: string; data: unknown; opts?: JobsOptions }>): Promise<unknown>;
  upsertJobScheduler(id: string, repeat: { every: number }, template: { name: string; data: unknown }): Promise<unknown>;
  getJobCounts(...types: string[]): Promise<Record<string, number>>;
  waitUntilReady(): Promise<void>;
  on(event: 'error', listener: (error: Error) => void): unknown;
  close(): Promise<void>;
}

interface WorkerHandle {
  on(event: 'failed', listener: (job: { name?: string; id?: string; attemptsMade?: number } | undefined, error: Error) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'completed', listener: () => void): unknown;
  close(): Promise<void>;
}

type Factories = {
  queue(name: string): QueueHandle;
  worker(name: string, processor: Processor, concurrency: number): WorkerHandle;
};

function redisConnection(redisUrl: string): ConnectionOptions {
  const url = new URL(redisUrl);
  return {
    host: url.hostname,
    port: Number(url.port || 6379),
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0,
    tls: url.protocol === 'rediss:' ? {} : undefined,
    maxRetriesPerRequest: null,
  };
}

function factoriesFor(store: QueueStore, prefix: string): Factories {
  if (store.kind === 'redis') {
    const connection = redisConnection(store.url);
    return {
      queue: (name) => new Queue(name, { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS }) as unknown as QueueHandle,
      worker: (name, processor, concurrency) => new Worker(name, processor, { connection, prefix, concurrency }) as unknown as WorkerHandle,
    };
  }
  const classes = withBackend(createPostgresBackend);
  return {
    queue: (name) => new classes.Queue(name, { connection: store.connection, defaultJobOptions: DEFAULT_JOB_OPTIONS }) as unknown as QueueHandle,
    worker: (name, processor, concurrency) => new classes.Worker(name, processor, { connection: store.connection, concurrency }) as unknown as WorkerHandle,
  };
}

/** Where the queues live, for logs and /readyz: `redis://user:***@host:6379`, or the database's schema. */
function describeStore(store: QueueStore): string {
  if (store.kind === 'redis') return maskUrl(store.url);
  const { connection } = store;
  return connection.connectionString ? `${maskUrl(connection.connectionString)} (schema ${connection.schema})` : `the embedded database (schema ${connection.schema})`;
}

/** The queues, their producers, and (in worker processes) their workers, on Redis or on PostgreSQL. */
export class QueueSystem {
  private readonly queues = new Map<QueueName, QueueHandle>();
  private readonly workers: WorkerHandle[] = [];
  private readonly factories: Factories;
  readonly watch: ConnectionWatch;

  constructor(private readonly options: QueueSystemOptions) {
    this.factories = factoriesFor(options.store, options.prefix);
    this.watch = new ConnectionWatch(options.logger, options.store.kind === 'redis' ? 'the queue store (Redis)' : 'the queue store (PostgreSQL)', describeStore(options.store));
  }

  /** `redis` or `postgres`: where the jobs are kept (reported by /readyz). */
  get kind(): QueueStore['kind'] {
    return this.options.store.kind;
  }

  queue(name: QueueName): QueueHandle {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = this.factories.queue(name);
      queue.on('error', (error) => this.onError(error, { queue: name }, 'queue error'));
      this.queues.set(name, queue);
    }
    return queue;
  }

  private onError(error: Error, context: Record<string, unknown>, message: string): void {
    if (isConnectionError(error)) this.watch.lost(error);
    else this.options.logger.error({ err: error, ...context }, message);
  }

  /** Opens every queue and, on PostgreSQL, brings BullMQ's tables up to date (migrate: true). */
  async ready(): Promise<void> {
    await Promise.all(Object.values(QUEUES).map((name) => this.queue(name).waitUntilReady()));
  }

  /** Answers when the queue store does (for /readyz). */
  async ping(): Promise<void> {
    await this.queue(QUEUES.maintenance).getJobCounts('waiting');
    this.watch.back();
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
      const worker = this.factories.worker(
        queueName,
        async (job) => {
          const handler = handlers[job.name as JobName] as ((data: unknown, job: unknown) => Promise<unknown>) | undefined;
          if (!handler) throw new UnrecoverableError(`no handler for job "${job.name}" on queue "${queueName}"`);
          return handler(job.data, job);
        },
        concurrency[queueName] ?? 4,
      );
      worker.on('failed', (job, error) => this.options.logger.warn({ err: error, job: job?.name, id: job?.id, attempts: job?.attemptsMade }, 'job failed'));
      worker.on('error', (error) => this.onError(error, { queue: queueName }, 'worker error'));
      worker.on('completed', () => this.watch.back());
      this.workers.push(worker);
    }
  }

  /** Graceful: workers finish the jobs they hold before closing. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.close()));
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
  }
}
