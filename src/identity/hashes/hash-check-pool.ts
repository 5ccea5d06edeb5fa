import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { HashCheckAnswer, HashCheckTask } from './hash-check.worker.ts';
import { workerModule } from '../../runtime/module-file.ts';
import { HASH_LIMITS, HashCheckPoolFullError, StoredHashUnusableError } from './hash-errors.ts';

export interface HashCheckPoolOptions {
  /** Worker threads. @defaultValue the number of cores (`os.availableParallelism()`) */
  size?: number;
  /** Checks that may wait for a worker; one more is refused with `HashCheckPoolFullError`. @defaultValue 8 per worker */
  queueMax?: number;
}

/** Piscina's `Errors.TaskQueueAtLimit` and `Errors.NoTaskQueueAvailable` (not exported from its entry point). */
const FULL = new Set(['Task queue is at limit', 'No task queue available and all Workers are busy']);

/**
 * The worker threads run TypeScript like the rest of cutover: `workerModule` hands them the compiled `.js` under
 * dist/, or a shim that registers tsx in the thread under src/ (a worker inherits neither `--import tsx` nor
 * bin/cutover.js's `register()`).
 */
const WORKER = workerModule(import.meta.url, './hash-check.worker.ts');

/**
 * Legacy hash checks (sha-crypt, bcrypt, PBKDF2, scrypt …) in a bounded pool of worker threads, so that a costly
 * hash never holds the event loop. The worker runs the registry's verify, so a family added to the registry runs
 * here with no more work. Passwords over `HASH_LIMITS.maxPasswordBytes` never reach a worker.
 */
export class HashCheckPool {
  readonly size: number;
  readonly queueMax: number;
  private readonly pool: Piscina<HashCheckTask, HashCheckAnswer>;

  constructor(options: HashCheckPoolOptions = {}) {
    this.size = options.size ?? availableParallelism();
    this.queueMax = options.queueMax ?? 8 * this.size;
    this.pool = new Piscina({
      filename: WORKER,
      minThreads: this.size,
      maxThreads: this.size,
      maxQueue: this.queueMax,
      idleTimeout: Number.POSITIVE_INFINITY,
      // Not the parent's flags, which may be `-e`, `--input-type` or `--test`: the worker module brings its own loader.
      execArgv: [],
      // Workers run at a lower priority (nice +10, per thread on Linux): the event loop gets a core first.
      niceIncrement: 10,
    });
  }

  /** True when the password matches. Throws `HashCheckPoolFullError` when full, `StoredHashUnusableError` for a bad stored hash. */
  async verify(scheme: string, encoded: string, password: string): Promise<boolean> {
    return (await this.check(scheme, encoded, password)).matches;
  }

  /** Like `verify`, and says how long the check took in its worker, in wall and CPU time (for the cost model). */
  async check(scheme: string, encoded: string, password: string): Promise<{ matches: boolean; ms: number; cpuMs: number }> {
    if (Buffer.byteLength(password, 'utf8') > HASH_LIMITS.maxPasswordBytes) return { matches: false, ms: 0, cpuMs: 0 };
    const answer = await this.pool.run({ scheme, encoded, password }).catch((error: unknown) => {
      // Piscina's refusals when every worker is busy and maxQueue tasks wait, or maxQueue is 0 (its Errors).
      if (error instanceof Error && FULL.has(error.message)) throw new HashCheckPoolFullError();
      throw error;
    });
    if ('problem' in answer) throw new StoredHashUnusableError(scheme, answer.problem);
    return answer;
  }

  close(): Promise<void> {
    return this.pool.close({ force: true });
  }
}
