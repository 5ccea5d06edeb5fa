import { LegacyUnavailableError, type LegacyAnswer, type LegacyVerifier } from '../migration/jit/legacy-verifier.ts';
import type { ProcessMetrics } from './metrics-registry.ts';

/** Counts each legacy call by result and times it, for /metrics; the answer passes through unchanged. */
export class TimedLegacyVerifier implements LegacyVerifier {
  constructor(private readonly inner: LegacyVerifier, private readonly metrics: ProcessMetrics) {}

  get name(): string {
    return this.inner.name;
  }

  async verify(login: string, password: string): Promise<LegacyAnswer> {
    const started = performance.now();
    let result = 'error';
    try {
      const answer = await this.inner.verify(login, password);
      result = answer.ok ? 'accepted' : 'rejected';
      return answer;
    } catch (error) {
      if (error instanceof LegacyUnavailableError) result = 'unavailable';
      throw error;
    } finally {
      this.metrics.legacyCalls.inc({ result });
      this.metrics.legacyLatency.observe((performance.now() - started) / 1000);
    }
  }
}
