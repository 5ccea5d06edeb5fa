import type { HashFamily } from './hash-family.ts';
import { checkScryptCost, scryptKey, type ScryptCost } from './scrypt-cost.ts';
import { describeValue, malformedHash } from './hash-error-reasons.ts';
import { bytesEqual, passwordBytes } from './hash-bytes.ts';
import { decodeBase64, parseDecimal } from './strict-encodings.ts';
import { MAX_SALT_BYTES } from './pbkdf2-derive.ts';

/*
 * Django 4.0+ ScryptPasswordHasher (django/contrib/auth/hashers.py):
 *   "scrypt$%d$%s$%d$%d$%s" % (n, salt, r, p, b64encode(hashlib.scrypt(password.encode(), salt=salt.encode(),
 *                                                              n=n, r=r, p=p, maxmem=0, dklen=64)))
 * Six "$" fields, which Werkzeug's "scrypt$<salt>$<hex>" (three) never has. verify() re-renders the whole string and
 * compares, so only what encode() writes can match: decimal numbers without leading zeros, padded base64 of 64 bytes.
 */
const LABEL = 'django-scrypt';
const KEY_BYTES = 64;

interface DjangoScrypt {
  cost: ScryptCost;
  salt: Buffer;
  hash: Buffer;
}

function read(text: string): DjangoScrypt {
  const fail = (reason: string) => malformedHash(LABEL, reason);
  const fields = text.split('$');
  if (fields.length !== 6 || fields[0] !== 'scrypt') throw fail('expected "scrypt$<N>$<salt>$<r>$<p>$<base64 hash>"');
  const [, nText = '', salt = '', rText = '', pText = '', hashText = ''] = fields;
  const [n, r, p] = [nText, rText, pText].map((value) => parseDecimal(value, 2 ** 53));
  if (n === undefined || r === undefined || p === undefined) {
    throw fail(`N, r and p must be decimal numbers without leading zeros, got ${describeValue(`${nText}$…$${rText}$${pText}`)}`);
  }
  // Django's _check_encode_args: `if not salt or "$" in salt: raise ValueError`.
  if (salt === '') throw fail('salt must not be empty');
  if (Buffer.byteLength(salt, 'utf8') > MAX_SALT_BYTES) throw fail(`salt must be at most ${MAX_SALT_BYTES} bytes`);
  const decoded = decodeBase64(hashText, 'optional');
  if (!decoded.ok || !hashText.endsWith('==') || decoded.bytes.length !== KEY_BYTES) {
    throw fail(`hash must be the padded base64 of ${KEY_BYTES} bytes, got ${describeValue(hashText)}`);
  }
  const cost = { n, r, p };
  checkScryptCost(LABEL, cost);
  return { cost, salt: Buffer.from(salt, 'utf8'), hash: decoded.bytes };
}

export const djangoScrypt: HashFamily = {
  name: LABEL,
  detect: (input) => typeof input === 'string' && input.startsWith('scrypt$') && input.split('$', 7).length === 6,
  parse(input) {
    if (typeof input !== 'string') throw malformedHash(LABEL, 'expected a string');
    read(input);
    return { scheme: LABEL, format: LABEL, encoded: input };
  },
  async verify(encoded, password) {
    const { cost, salt, hash } = read(encoded);
    return bytesEqual(await scryptKey(passwordBytes(password), salt, KEY_BYTES, cost), hash);
  },
};
