import { createHash } from 'node:crypto';
import type { HashFamily, LegacyHashInput } from './hash-family.ts';
import { bytesEqual, decodeHex } from './hash-bytes.ts';
import { describeValue, malformedHash } from './hash-error-reasons.ts';
import { MAX_SALT_BYTES } from './pbkdf2-derive.ts';

/*
 * Django's old digest hashers (django/contrib/auth/hashers.py, Django 3.2):
 *   SHA1PasswordHasher / MD5PasswordHasher:  "sha1$<salt>$" + sha1((salt + password).encode()).hexdigest()
 *   UnsaltedSHA1PasswordHasher:              "sha1$$" + sha1(password.encode()).hexdigest()
 *   UnsaltedMD5PasswordHasher:               "md5$$" + md5(password.encode()).hexdigest()
 * identify_hasher() picks the unsalted hashers only for "sha1$$" at exactly 46 and "md5$$" at exactly 37
 * characters; any other empty salt fails the salted hasher's `assert salt`. Each verify compares the re-rendered
 * string, so the digest must be lowercase hex. Django's bare 32-hex unsalted MD5 is not claimed here: without a
 * prefix it is indistinguishable from any other MD5 hex (import it as a raw-md5 object instead).
 */
type Algorithm = 'sha1' | 'md5';
const HEX_CHARS: Record<Algorithm, number> = { sha1: 40, md5: 32 };

interface DjangoDigestFields {
  algorithm: Algorithm;
  salt: string;
  hash: Buffer;
}

function labelOf(algorithm: Algorithm): string {
  return `django-${algorithm}`;
}

function read(text: string): DjangoDigestFields {
  const algorithm: Algorithm = text.startsWith('sha1$') ? 'sha1' : 'md5';
  const label = labelOf(algorithm);
  const parts = text.split('$');
  if (parts.length !== 3 || (parts[0] !== 'sha1' && parts[0] !== 'md5')) {
    throw malformedHash(label, `expected "${algorithm}$<salt>$<hex digest>" (3 fields), got ${parts.length}`);
  }
  const [, salt = '', hashText = ''] = parts;
  const hash = decodeHex(hashText, 'lowercase');
  if (!hash || hashText.length !== HEX_CHARS[algorithm]) {
    throw malformedHash(
      label,
      `digest must be ${HEX_CHARS[algorithm]} lowercase hex characters, got ${describeValue(hashText)}`,
    );
  }
  if (Buffer.byteLength(salt, 'utf8') > MAX_SALT_BYTES) {
    throw malformedHash(label, `salt must be at most ${MAX_SALT_BYTES} bytes`);
  }
  return { algorithm, salt, hash };
}

export const djangoSaltedDigest: HashFamily = {
  name: 'django-sha1-md5',
  detect(input: LegacyHashInput): boolean {
    return typeof input === 'string' && (input.startsWith('sha1$') || input.startsWith('md5$'));
  },
  parse(input: LegacyHashInput) {
    if (typeof input !== 'string') throw malformedHash('django-sha1-md5', 'expected a string');
    const { algorithm, salt } = read(input);
    const scheme = salt === '' ? `django-unsalted-${algorithm}` : `django-${algorithm}`;
    return { scheme, format: labelOf(algorithm), encoded: input };
  },
  async verify(encoded: string, password: string): Promise<boolean> {
    const { algorithm, salt, hash } = read(encoded);
    const digest = createHash(algorithm).update(salt + password, 'utf8').digest();
    return bytesEqual(digest, hash);
  },
};
