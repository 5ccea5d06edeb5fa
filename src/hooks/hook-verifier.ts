import { createHmac } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ShortLivedStore } from '../storage/short-lived/short-lived-store.ts';
import type { VerifyResult, VerifyService } from '../migration/verify/verify.service.ts';
import { InvalidCredentialsError, LegacyUnavailableAnswer, TooManyFailuresError, TotpRequiredError } from '../migration/verify/verify-errors.ts';
import { PLATFORM_BUDGET_MS, type Platform } from './platforms.ts';

/** What a hook answers, whatever the platform's shape. */
export type HookOutcome =
  | { kind: 'verified'; result: VerifyResult }
  | { kind: 'refused'; reason: 'invalid' | 'totp_required' | 'too_many' }
  | { kind: 'unavailable' };

export interface HookCheck {
  platform: Platform;
  login: string;
  password: string;
  ip?: string;
  /** Keycloak with `totps`: the platform asks for the authenticator code itself. */
  carriesSecondFactor?: boolean;
}

export interface HookVerifierOptions {
  /** HMAC key for the dedupe keys (derived from CUTOVER_SECRET), so the store never holds a password or its plain hash. */
  key: Buffer;
  prefix: string;
  /** How long an answer is replayed to a retried or doubled call with the same credentials. @defaultValue 10 */
  replaySeconds?: number;
}

/**
 * Every hook decides through the verify service, once per credentials: Okta retries after 3 s and Cognito may call
 * twice (amplify-js #13334), and neither may count two failures or rehash twice. A call with the same platform,
 * login and password within a few seconds joins the one in flight (in this process, or through a lock in the
 * short-lived store in another) or gets its recorded answer. "Legacy unavailable" is not kept: a retry should ask again.
 */
export class HookVerifier {
  private readonly inFlight = new Map<string, Promise<HookOutcome>>();
  private readonly replaySeconds: number;

  constructor(private readonly verify: VerifyService, private readonly store: ShortLivedStore, private readonly options: HookVerifierOptions) {
    this.replaySeconds = options.replaySeconds ?? 10;
  }

  check(input: HookCheck): Promise<HookOutcome> {
    const id = createHmac('sha256', this.options.key)
      .update(JSON.stringify([input.platform, input.login.trim(), input.password, Boolean(input.carriesSecondFactor)]))
      .digest('base64url');
    const running = this.inFlight.get(id);
    if (running) return running;
    const started = this.once(id, input).finally(() => this.inFlight.delete(id));
    this.inFlight.set(id, started);
    return started;
  }

  private async once(id: string, input: HookCheck): Promise<HookOutcome> {
    const deadline = performance.now() + PLATFORM_BUDGET_MS[input.platform];
    const resultKey = `${this.options.prefix}:hook-answer:${id}`;
    const lockKey = `${this.options.prefix}:hook-lock:${id}`;
    const known = await this.store.get(resultKey);
    if (known) return JSON.parse(known) as HookOutcome;
    const budget = Math.max(1, Math.ceil(deadline - performance.now()));
    if (!(await this.store.setIfAbsent(lockKey, '1', budget))) {
      // Another process is checking these credentials: wait for its answer while the budget lasts.
      while (performance.now() < deadline - 50) {
        await sleep(25);
        const answer = await this.store.get(resultKey);
        if (answer) return JSON.parse(answer) as HookOutcome;
        if ((await this.store.get(lockKey)) === null) break;
      }
    }
    try {
      const outcome = await this.decide(input, deadline);
      if (outcome.kind !== 'unavailable') {
        // The TOTP secret is never written to the store; a replay answers without it.
        const kept = outcome.kind === 'verified' ? { ...outcome, result: { ...outcome.result, totp: undefined } } : outcome;
        await this.store.set(resultKey, JSON.stringify(kept), this.replaySeconds * 1000);
      }
      return outcome;
    } finally {
      await this.store.delete(lockKey);
    }
  }

  private async decide(input: HookCheck, deadline: number): Promise<HookOutcome> {
    try {
      const result = await this.verify.verify({
        login: input.login, password: input.password, platform: input.platform, deadline,
        ...(input.ip ? { ip: input.ip } : {}), ...(input.carriesSecondFactor ? { carriesSecondFactor: true } : {}),
      });
      return { kind: 'verified', result };
    } catch (error) {
      if (error instanceof TotpRequiredError) return { kind: 'refused', reason: 'totp_required' };
      if (error instanceof InvalidCredentialsError) return { kind: 'refused', reason: 'invalid' };
      if (error instanceof TooManyFailuresError) return { kind: 'refused', reason: 'too_many' };
      if (error instanceof LegacyUnavailableAnswer) return { kind: 'unavailable' };
      throw error;
    }
  }
}
