import { DangerousHashParametersError, MalformedHashError, UnsupportedHashError } from './hash-errors.ts';
import { verifyLegacyHash } from './registry.ts';

/**
 * Runs in the hash-check pool's worker threads (see hash-check-pool.ts): the registry's own verify, so every
 * family the registry lists is checked here and never on the event loop.
 */
export interface HashCheckTask {
  scheme: string;
  encoded: string;
  password: string;
}

/**
 * What comes back to the main thread. A failed check says only which kind of problem it was: a hash error's
 * message quotes parts of the hash (salt, digest), and those must never reach a log.
 */
export type HashCheckAnswer =
  | { matches: boolean; ms: number; cpuMs: number }
  | { problem: 'malformed' | 'dangerous' | 'unsupported' | 'failed' };

export default async function checkHash({ scheme, encoded, password }: HashCheckTask): Promise<HashCheckAnswer> {
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  try {
    const matches = await verifyLegacyHash(scheme, encoded, password);
    // CPU time of the process (all its threads: native bcrypt and argon2 run on libuv's), for the cost model.
    const cpu = process.cpuUsage(cpuBefore);
    return { matches, ms: performance.now() - started, cpuMs: (cpu.user + cpu.system) / 1000 };
  } catch (error) {
    if (error instanceof MalformedHashError) return { problem: 'malformed' };
    if (error instanceof DangerousHashParametersError) return { problem: 'dangerous' };
    if (error instanceof UnsupportedHashError) return { problem: 'unsupported' };
    return { problem: 'failed' };
  }
}
