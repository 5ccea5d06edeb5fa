import type { LegacyAnswer, LegacyVerifier } from './legacy-verifier.ts';
import { LegacyUnavailableError } from './legacy-verifier.ts';

export interface CircuitBreakerOptions {
  /**
   * Consecutive unavailable answers that open the circuit.
   * @defaultValue 5
   */
  failureThreshold?: number;
  /**
   * How long an open circuit answers "unavailable" at once before one trial call is let through.
   * @defaultValue 30000
   */
  openMs?: number;
  now?: () => number;
}

/**
 * Wraps a legacy verifier: after repeated failures it stops calling a system that is down (and adding its timeout
 * to every sign-in), answers unavailable at once, and lets one trial call through after `openMs`.
 * State is per process; each web process learns on its own within a few calls.
 */
export class CircuitBreakerVerifier implements LegacyVerifier {
  readonly name: string;
  private failures = 0;
  private openUntil = 0;
  private trialInFlight = false;
  private readonly threshold: number;
  private readonly openMs: number;
  private readonly now: () => number;

  constructor(private readonly inner: LegacyVerifier, options: CircuitBreakerOptions = {}) {
    this.name = inner.name;
    this.threshold = options.failureThreshold ?? 5;
    this.openMs = options.openMs ?? 30_000;
    this.now = options.now ?? Date.now;
  }

  get state(): 'closed' | 'open' | 'half-open' {
    if (this.failures < this.threshold) return 'closed';
    return this.now() < this.openUntil ? 'open' : 'half-open';
  }

  async verify(login: string, password: string): Promise<LegacyAnswer> {
    const state = this.state;
    if (state === 'open' || (state === 'half-open' && this.trialInFlight)) {
      throw new LegacyUnavailableError('legacy system circuit is open after repeated failures');
    }
    this.trialInFlight = state === 'half-open';
    try {
      const answer = await this.inner.verify(login, password);
      this.failures = 0;
      return answer;
    } catch (error) {
      if (error instanceof LegacyUnavailableError) {
        this.failures += 1;
        if (this.failures >= this.threshold) this.openUntil = this.now() + this.openMs;
      }
      throw error;
    } finally {
      this.trialInFlight = false;
    }
  }
}
