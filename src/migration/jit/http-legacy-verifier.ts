import type { LegacyAnswer, LegacyProfile, LegacyVerifier } from './legacy-verifier.ts';
import { LegacyUnavailableError } from './legacy-verifier.ts';

export interface HttpLegacyVerifierOptions {
  url: string;
  token?: string;
  timeoutMs: number;
}

const PROFILE_TEXT_FIELDS = ['id', 'email', 'name', 'given_name', 'family_name', 'locale', 'timezone', 'phone'] as const;

/**
 * `POST url {"login","password"}`: 200 with a JSON profile means the password is right; 401, 403 and 404 mean it is
 * wrong; anything else, or no answer within the timeout, means the legacy system is unavailable.
 */
export class HttpLegacyVerifier implements LegacyVerifier {
  readonly name = 'http';

  constructor(private readonly options: HttpLegacyVerifierOptions) {}

  async verify(login: string, password: string): Promise<LegacyAnswer> {
    let response: Response;
    try {
      response = await fetch(this.options.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          ...(this.options.token ? { authorization: `Bearer ${this.options.token}` } : {}),
        },
        body: JSON.stringify({ login, password }),
        signal: AbortSignal.timeout(this.options.timeoutMs),
        redirect: 'error',
      });
    } catch (error) {
      const reason = (error as Error).name === 'TimeoutError' ? `no answer within ${this.options.timeoutMs} ms` : (error as Error).message;
      throw new LegacyUnavailableError(`legacy system unreachable: ${reason}`);
    }
    if ([401, 403, 404].includes(response.status)) {
      await response.body?.cancel();
      return { ok: false };
    }
    if (response.status !== 200) {
      await response.body?.cancel();
      throw new LegacyUnavailableError(`legacy system answered HTTP ${response.status}`);
    }
    let body: unknown;
    try {
      const text = await response.text();
      body = text.trim() === '' ? {} : JSON.parse(text);
    } catch (error) {
      throw new LegacyUnavailableError(`legacy system answered 200 without a JSON profile: ${(error as Error).message}`);
    }
    return { ok: true, profile: toProfile(body) };
  }
}

/** Keeps only the profile fields we know, with the types we expect; anything odd is dropped, not trusted. */
function toProfile(body: unknown): LegacyProfile {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return {};
  const source = body as Record<string, unknown>;
  const profile: LegacyProfile = {};
  for (const key of PROFILE_TEXT_FIELDS) {
    const value = source[key];
    if (typeof value === 'string' && value.length > 0 && value.length <= 512) profile[key] = value;
    else if (typeof value === 'number' && key === 'id') profile.id = String(value);
  }
  if (typeof source.email_verified === 'boolean') profile.email_verified = source.email_verified;
  if (typeof source.attributes === 'object' && source.attributes !== null && !Array.isArray(source.attributes)) {
    profile.attributes = source.attributes as Record<string, unknown>;
  }
  return profile;
}
