import { createHash, randomBytes } from 'node:crypto';

/** 256-bit random, shown once; only its SHA-256 is stored (the token is high-entropy, so a fast hash is right). */
export function newTokenSecret(prefix = 'cut'): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

export function hashTokenSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}
