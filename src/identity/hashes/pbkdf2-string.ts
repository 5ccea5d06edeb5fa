import type { HashFamily, LegacyHashInput } from './hash-family.ts';
import { bytesEqual, decodeUnpaddedBase64, passwordBytes } from './hash-bytes.ts';
import { describeValue, malformedHash } from './hash-error-reasons.ts';
import {
  assertPbkdf2Cost,
  derivePbkdf2,
  DIGEST_BYTES,
  MAX_KEY_BYTES,
  MAX_SALT_BYTES,
  parseCount,
  type DigestName,
} from './pbkdf2-derive.ts';

/*
 * Two spellings share the "$pbkdf2…$" prefix:
 * - passlib (passlib/handlers/pbkdf2.py): "$pbkdf2$" (SHA-1), "$pbkdf2-sha256$", "$pbkdf2-sha512$", then
 *   "<rounds>$<salt>$<checksum>". Salt and checksum are adapted base64 ("." for "+", no padding); the salt is
 *   used as decoded bytes and the checksum is exactly one digest long. parse_mc3 rejects zero-padded rounds.
 * - PHC string format (Auth0 custom_password_hash, RustCrypto pbkdf2): "$pbkdf2-<digest>$i=<iterations>[,l=<key
 *   length>]$<salt>$<hash>", salt and hash in B64 (standard alphabet, no padding), salt used as decoded bytes.
 */
const LABEL = 'pbkdf2';
const PASSLIB_IDENTS: Record<string, DigestName> = {
  pbkdf2: 'sha1',
  'pbkdf2-sha256': 'sha256',
  'pbkdf2-sha512': 'sha512',
};
const PHC_IDENTS: Record<string, DigestName> = {
  'pbkdf2-sha1': 'sha1',
  'pbkdf2-sha256': 'sha256',
  'pbkdf2-sha512': 'sha512',
};
/** RustCrypto password-hash `Output::MIN_LENGTH`; shorter keys are truncated garbage, not hashes. */
const PHC_MIN_KEY_BYTES = 10;

interface Pbkdf2StringFields {
  digest: DigestName;
  iterations: number;
  salt: Buffer;
  hash: Buffer;
}

function readPhcParams(paramsText: string): { iterations: number; keyLength?: number } {
  const values = new Map<string, string>();
  for (const pair of paramsText.split(',')) {
    const [key = '', value, extra] = pair.split('=');
    if (value === undefined || extra !== undefined || (key !== 'i' && key !== 'l') || values.has(key)) {
      throw malformedHash(
        LABEL,
        `parameters must be "i=<iterations>" or "i=<iterations>,l=<key length>", got ${describeValue(paramsText)}`,
      );
    }
    values.set(key, value);
  }
  const iterationsText = values.get('i');
  if (iterationsText === undefined) throw malformedHash(LABEL, 'parameter "i" (iterations) is required');
  const lengthText = values.get('l');
  return {
    iterations: parseCount(LABEL, 'iterations', iterationsText, 'reject'),
    ...(lengthText === undefined ? {} : { keyLength: parseCount(LABEL, 'key length', lengthText, 'reject') }),
  };
}

function decodeField(field: string, text: string, alphabet: 'phc' | 'ab64'): Buffer {
  const bytes = decodeUnpaddedBase64(text, alphabet);
  const spelled =
    alphabet === 'ab64' ? "passlib's adapted base64 (A-Z a-z 0-9 . /, no padding)" : 'unpadded B64 (A-Z a-z 0-9 + /)';
  if (!bytes) throw malformedHash(LABEL, `${field} must be ${spelled}, got ${describeValue(text)}`);
  return bytes;
}

function read(text: string): Pbkdf2StringFields {
  const parts = text.split('$');
  if (parts.length !== 5 || parts[0] !== '') {
    throw malformedHash(LABEL, `expected "$<ident>$<rounds or i=…>$<salt>$<hash>" (4 fields), got ${parts.length - 1}`);
  }
  const [, ident = '', paramsText = '', saltText = '', hashText = ''] = parts;
  const isPhc = paramsText.includes('=');
  const digest = (isPhc ? PHC_IDENTS : PASSLIB_IDENTS)[ident];
  if (!digest) {
    const known = Object.keys(isPhc ? PHC_IDENTS : PASSLIB_IDENTS).map((name) => `$${name}$`).join(', ');
    const form = isPhc ? 'PHC' : 'passlib';
    throw malformedHash(LABEL, `unknown ident ${describeValue(`$${ident}$`)} for the ${form} form; expected ${known}`);
  }
  const params = isPhc ? readPhcParams(paramsText) : { iterations: parseCount(LABEL, 'rounds', paramsText, 'reject') };
  const salt = decodeField('salt', saltText, isPhc ? 'phc' : 'ab64');
  if (salt.length > MAX_SALT_BYTES) throw malformedHash(LABEL, `salt must be at most ${MAX_SALT_BYTES} bytes`);
  if (isPhc && salt.length === 0) throw malformedHash(LABEL, 'salt must not be empty');
  const hash = decodeField('hash', hashText, isPhc ? 'phc' : 'ab64');
  if (!isPhc && hash.length !== DIGEST_BYTES[digest]) {
    throw malformedHash(LABEL, `checksum must decode to ${DIGEST_BYTES[digest]} bytes, got ${hash.length}`);
  }
  if (isPhc && (hash.length < PHC_MIN_KEY_BYTES || hash.length > MAX_KEY_BYTES)) {
    throw malformedHash(LABEL, `hash must decode to ${PHC_MIN_KEY_BYTES}–${MAX_KEY_BYTES} bytes, got ${hash.length}`);
  }
  if ('keyLength' in params && params.keyLength !== hash.length) {
    throw malformedHash(LABEL, `l=${params.keyLength} does not match the hash, which decodes to ${hash.length} bytes`);
  }
  assertPbkdf2Cost(LABEL, params.iterations, hash.length, digest);
  return { digest, iterations: params.iterations, salt, hash };
}

export const pbkdf2String: HashFamily = {
  name: 'pbkdf2-string',
  detect(input: LegacyHashInput): boolean {
    return typeof input === 'string' && (input.startsWith('$pbkdf2$') || input.startsWith('$pbkdf2-'));
  },
  parse(input: LegacyHashInput) {
    if (typeof input !== 'string') throw malformedHash(LABEL, 'expected a string');
    const { digest } = read(input);
    return { scheme: `pbkdf2-${digest}`, format: LABEL, encoded: input };
  },
  async verify(encoded: string, password: string): Promise<boolean> {
    const { digest, iterations, salt, hash } = read(encoded);
    return bytesEqual(await derivePbkdf2(passwordBytes(password), salt, iterations, hash.length, digest), hash);
  },
};
