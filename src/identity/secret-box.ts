import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12; // NIST SP 800-38D: a 96-bit IV for GCM
const TAG_BYTES = 16;

/** A 256-bit key for one purpose, from CUTOVER_SECRET (HKDF-SHA256, RFC 5869; no salt, the purpose as `info`). */
export function deriveKey(secret: string, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.alloc(0), Buffer.from(info, 'utf8'), 32));
}

/** Refused ciphertext: tampered, written under another key or context, or not a sealed value at all. */
export class SecretBoxError extends Error {
  override name = 'SecretBoxError';
}

/**
 * Encrypts short strings at rest (TOTP secrets) with AES-256-GCM. A sealed value is
 * `v1.<iv>.<ciphertext>.<tag>` in base64url. The optional context (e.g. `staff:<id>`) is bound as additional
 * data, so a value copied onto another row does not open.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(secret: string, info = 'cutover totp v1') {
    this.key = deriveKey(secret, info);
  }

  encrypt(plaintext: string, context = ''): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, iv, body, cipher.getAuthTag()].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
  }

  decrypt(sealed: string, context = ''): string {
    const [version, iv, body, tag, ...rest] = sealed.split('.');
    if (version !== VERSION || iv === undefined || body === undefined || tag === undefined || rest.length > 0) {
      throw new SecretBoxError(`Unexpected sealed value format, expected "${VERSION}.<iv>.<ciphertext>.<tag>"`);
    }
    const ivBytes = Buffer.from(iv, 'base64url');
    const tagBytes = Buffer.from(tag, 'base64url');
    if (ivBytes.length !== IV_BYTES || tagBytes.length !== TAG_BYTES) throw new SecretBoxError('Sealed value has a bad IV or tag length');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, ivBytes, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(tagBytes);
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretBoxError('Sealed value does not open with this key and context');
    }
  }
}
