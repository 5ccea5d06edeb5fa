import type { HashFamily, LegacyHashInput } from './hash-family.ts';
import { bytesEqual, decodePaddedBase64, passwordBytes } from './hash-bytes.ts';
import { describeValue, malformedHash } from './hash-error-reasons.ts';
import {
  assertPbkdf2Cost,
  derivePbkdf2,
  DIGEST_BYTES,
  MAX_SALT_BYTES,
  parseCount,
  type DigestName,
} from './pbkdf2-derive.ts';

/*
 * Django's PBKDF2PasswordHasher / PBKDF2SHA1PasswordHasher (django/contrib/auth/hashers.py):
 *   encode: "%s$%d$%s$%s" % (algorithm, iterations, salt, b64encode(pbkdf2(password, salt, iterations)))
 *   verify: constant_time_compare(encoded, encode(password, salt, iterations))
 * The key is one digest long (dklen=None) and both password and salt are UTF-8. Because Django compares the whole
 * re-rendered string, anything it would render differently (leading zeros, non-canonical base64) never verified.
 */
const LABEL = 'django-pbkdf2';
const ALGORITHMS: Record<string, DigestName> = { pbkdf2_sha256: 'sha256', pbkdf2_sha1: 'sha1' };

interface DjangoPbkdf2Fields {
  algorithm: string;
  digest: DigestName;
  iterations: number;
  salt: string;
  hash: Buffer;
}

function read(text: string): DjangoPbkdf2Fields {
  const parts = text.split('$');
  if (parts.length !== 4) {
    throw malformedHash(LABEL, `expected "<algorithm>$<iterations>$<salt>$<hash>" (4 fields), got ${parts.length}`);
  }
  const [algorithm = '', iterationsText = '', salt = '', hashText = ''] = parts;
  const digest = ALGORITHMS[algorithm];
  if (!digest) throw malformedHash(LABEL, `unknown algorithm ${describeValue(algorithm)}`);
  const iterations = parseCount(LABEL, 'iterations', iterationsText, 'reject');
  // Django asserts `salt and '$' not in salt` before hashing.
  if (salt === '') throw malformedHash(LABEL, 'salt must not be empty');
  if (Buffer.byteLength(salt, 'utf8') > MAX_SALT_BYTES) {
    throw malformedHash(LABEL, `salt must be at most ${MAX_SALT_BYTES} bytes`);
  }
  const hash = decodePaddedBase64(hashText);
  const keyBytes = DIGEST_BYTES[digest];
  if (!hash || hash.length !== keyBytes || hash.toString('base64') !== hashText) {
    throw malformedHash(
      LABEL,
      `hash must be the padded base64 of ${keyBytes} bytes (${Math.ceil(keyBytes / 3) * 4} characters), ` +
        `got ${describeValue(hashText)}`,
    );
  }
  assertPbkdf2Cost(LABEL, iterations, keyBytes, digest);
  return { algorithm, digest, iterations, salt, hash };
}

export const djangoPbkdf2: HashFamily = {
  name: LABEL,
  detect(input: LegacyHashInput): boolean {
    return typeof input === 'string' && (input.startsWith('pbkdf2_sha256$') || input.startsWith('pbkdf2_sha1$'));
  },
  parse(input: LegacyHashInput) {
    if (typeof input !== 'string') throw malformedHash(LABEL, 'expected a string');
    const { digest } = read(input);
    return { scheme: `django-pbkdf2-${digest}`, format: LABEL, encoded: input };
  },
  async verify(encoded: string, password: string): Promise<boolean> {
    const { digest, iterations, salt, hash } = read(encoded);
    const saltBytes = Buffer.from(salt, 'utf8');
    return bytesEqual(await derivePbkdf2(passwordBytes(password), saltBytes, iterations, hash.length, digest), hash);
  },
};
