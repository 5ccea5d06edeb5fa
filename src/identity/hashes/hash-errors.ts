/** A hash that claims a known family but does not follow its format. Never stored. */
export class MalformedHashError extends Error {
  override name = 'MalformedHashError';
}

/** A well-formed hash whose cost parameters would make one check a denial of service. Never stored. */
export class DangerousHashParametersError extends Error {
  override name = 'DangerousHashParametersError';
}

/** No family recognises the input. The import's `on_unsupported_hash` option decides what happens. */
export class UnsupportedHashError extends Error {
  override name = 'UnsupportedHashError';
  constructor() {
    super('unsupported hash format');
  }
}

/** Ceilings from the product spec: above these a single verification is a denial of service. */
export const HASH_LIMITS = {
  bcryptMaxCost: 16,
  argon2MaxMemoryKiB: 256 * 1024,
  scryptMaxN: 2 ** 20,
  maxRounds: 5_000_000,
  /** Longer passwords are refused before any legacy check: sha-crypt's and PBKDF2's work grows with the length. */
  maxPasswordBytes: 1024,
} as const;

/** Every worker of the hash-check pool is busy and its queue is full: the caller should try again shortly. */
export class HashCheckPoolFullError extends Error {
  override name = 'HashCheckPoolFullError';
  constructor() {
    super('every hash-check worker is busy and the queue is full');
  }
}

/** A stored hash could not be checked. Carries only the kind of problem and the scheme, never hash material. */
export class StoredHashUnusableError extends Error {
  override name = 'StoredHashUnusableError';
  constructor(readonly scheme: string, readonly problem: string) {
    super(`stored ${scheme} hash could not be checked (${problem})`);
  }
}
