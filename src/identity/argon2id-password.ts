import argon2 from 'argon2';

/** Every password cutover stores: argon2id with OWASP's minimum (m=19 MiB, t=2, p=1). */
export const ARGON2ID_PARAMS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;
export const ARGON2ID_SCHEME = 'argon2id';

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, ARGON2ID_PARAMS);
}

export async function verifyPassword(encoded: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(encoded, password);
  } catch {
    return false;
  }
}

/** True when a stored hash uses weaker parameters than today's policy and should be rehashed at the next sign-in. */
export function needsRehash(encoded: string): boolean {
  return argon2.needsRehash(encoded, ARGON2ID_PARAMS);
}

let dummyHash: Promise<string> | undefined;

/**
 * Spends the time of one real verification on a throwaway hash, so an unknown login or a user with no password
 * costs what a wrong password does.
 */
export async function verifyDummyPassword(password: string): Promise<void> {
  dummyHash ??= hashPassword('cutover-timing-equaliser');
  await verifyPassword(await dummyHash, password);
}
