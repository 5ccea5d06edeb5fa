import type { HashFamily, LegacyHashInput } from './hash-family.ts';
import { bytesEqual, decodeHex, passwordBytes } from './hash-bytes.ts';
import { describeValue, malformedHash } from './hash-error-reasons.ts';
import {
  assertPbkdf2Cost,
  derivePbkdf2,
  DIGEST_BYTES,
  isDigestName,
  MAX_SALT_BYTES,
  parseCount,
  type DigestName,
} from './pbkdf2-derive.ts';

/*
 * Werkzeug's generate_password_hash / check_password_hash (werkzeug/security.py, 2.x):
 *   "pbkdf2:<hash_name>[:<iterations>]$<salt>$" + hashlib.pbkdf2_hmac(hash_name, password, salt, iterations).hex()
 *   check: method, salt, hashval = pwhash.split("$", 2); hmac.compare_digest(<hex>, hashval)
 * Password and salt are UTF-8; the key is one digest long. The hex is compared as a string, so it must be lowercase.
 * `int(args[0] or 0)` accepts leading zeros; an empty count is 0, which pbkdf2_hmac rejects.
 */
const LABEL = 'werkzeug-pbkdf2';
const PREFIX = 'pbkdf2:';

/**
 * With no count, werkzeug uses its own DEFAULT_PBKDF2_ITERATIONS at check time: 260000 in werkzeug 2.0–2.2 (the
 * version the fixtures come from). Werkzeug 2.3 raised it to 600000, so a count-less hash only ever verified
 * against the werkzeug version that checked it; generate_password_hash itself always writes the count.
 */
export const WERKZEUG_DEFAULT_PBKDF2_ITERATIONS = 260_000;

interface WerkzeugFields {
  digest: DigestName;
  iterations: number;
  salt: string;
  hash: Buffer;
}

function read(text: string): WerkzeugFields {
  const firstDollar = text.indexOf('$');
  const secondDollar = firstDollar < 0 ? -1 : text.indexOf('$', firstDollar + 1);
  if (secondDollar < 0) throw malformedHash(LABEL, 'expected "pbkdf2:<hash>[:<iterations>]$<salt>$<hex digest>"');
  const method = text.slice(PREFIX.length, firstDollar);
  const salt = text.slice(firstDollar + 1, secondDollar);
  const hashText = text.slice(secondDollar + 1);

  const args = method.split(':');
  if (args.length > 2) throw malformedHash(LABEL, `expected at most 2 method arguments, got ${args.length}`);
  const [digest = '', iterationsText] = args;
  if (!isDigestName(digest)) {
    const known = Object.keys(DIGEST_BYTES).join(', ');
    throw malformedHash(LABEL, `unsupported hash ${describeValue(digest)}; expected one of ${known}`);
  }
  const iterations =
    iterationsText === undefined
      ? WERKZEUG_DEFAULT_PBKDF2_ITERATIONS
      : parseCount(LABEL, 'iterations', iterationsText, 'allow');
  // werkzeug: `if not salt: raise ValueError("Salt is required for PBKDF2")`
  if (salt === '') throw malformedHash(LABEL, 'salt must not be empty');
  if (Buffer.byteLength(salt, 'utf8') > MAX_SALT_BYTES) {
    throw malformedHash(LABEL, `salt must be at most ${MAX_SALT_BYTES} bytes`);
  }
  const hexChars = DIGEST_BYTES[digest] * 2;
  const hash = decodeHex(hashText, 'lowercase');
  if (!hash || hashText.length !== hexChars) {
    throw malformedHash(LABEL, `digest must be ${hexChars} lowercase hex characters, got ${describeValue(hashText)}`);
  }
  assertPbkdf2Cost(LABEL, iterations, hash.length, digest);
  return { digest, iterations, salt, hash };
}

export const werkzeugPbkdf2: HashFamily = {
  name: LABEL,
  detect(input: LegacyHashInput): boolean {
    return typeof input === 'string' && input.startsWith(PREFIX);
  },
  parse(input: LegacyHashInput) {
    if (typeof input !== 'string') throw malformedHash(LABEL, 'expected a string');
    const { digest } = read(input);
    return { scheme: `werkzeug-pbkdf2-${digest}`, format: LABEL, encoded: input };
  },
  async verify(encoded: string, password: string): Promise<boolean> {
    const { digest, iterations, salt, hash } = read(encoded);
    const saltBytes = Buffer.from(salt, 'utf8');
    return bytesEqual(await derivePbkdf2(passwordBytes(password), saltBytes, iterations, hash.length, digest), hash);
  },
};
