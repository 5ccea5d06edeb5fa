import type { LegacyAnswer, LegacyVerifier } from '../jit/legacy-verifier.ts';
import { LegacyUnavailableError } from '../jit/legacy-verifier.ts';

/**
 * The legacy call gets what is left of the platform's budget (`deadline`, in `performance.now()` time); past it the
 * legacy system counts as unavailable, so the platform hears an answer before it gives up. Without a deadline the
 * legacy verifier's own timeout (LEGACY_TIMEOUT_MS) is the only limit.
 */
export async function askLegacyWithin(legacy: LegacyVerifier, login: string, password: string, deadline: number | undefined): Promise<LegacyAnswer> {
  if (deadline === undefined) return legacy.verify(login, password);
  const left = Math.floor(deadline - performance.now());
  if (left <= 0) throw new LegacyUnavailableError('no time left in the platform\'s budget');
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new LegacyUnavailableError(`no answer within the ${left} ms left of the platform's budget`)), left);
  });
  try {
    return await Promise.race([legacy.verify(login, password), late]);
  } finally {
    clearTimeout(timer);
  }
}
