/** What the legacy system says about a login and password. */
export type LegacyAnswer =
  | { ok: true; profile: LegacyProfile }
  | { ok: false };

export interface LegacyProfile {
  id?: string;
  email?: string;
  name?: string;
  given_name?: string;
  family_name?: string;
  locale?: string;
  timezone?: string;
  phone?: string;
  email_verified?: boolean;
  attributes?: Record<string, unknown>;
}

/**
 * The legacy system behind the jit path. HTTP is the first adapter; an LDAP-bind and a SQL verifier can implement
 * the same interface. `verify` throws `LegacyUnavailableError` when the system cannot give an answer.
 */
export interface LegacyVerifier {
  readonly name: string;
  verify(login: string, password: string): Promise<LegacyAnswer>;
}

export class LegacyUnavailableError extends Error {
  override name = 'LegacyUnavailableError';
}
