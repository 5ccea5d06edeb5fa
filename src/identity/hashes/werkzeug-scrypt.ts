import type { HashFamily } from './hash-family.ts';
import { checkScryptCost, scryptKey, type ScryptCost } from './scrypt-cost.ts';
import { describeValue, malformedHash } from './hash-error-reasons.ts';
import { bytesEqual, decodeHex, passwordBytes } from './hash-bytes.ts';
import { parseDecimal } from './strict-encodings.ts';

/**
 * Werkzeug (Flask) ≥ 2.3 `generate_password_hash`: `scrypt:32768:8:1$<salt>$<hex>`. From werkzeug.security:
 * `hashlib.scrypt(password.encode(), salt=salt.encode(), n=n, r=r, p=p, maxmem=132 * n * r * p).hex()` — the salt is
 * used as the UTF-8 text itself, the key is hashlib's default 64 bytes, and a bare `scrypt$…` means n=2^15, r=8, p=1.
 * check_password_hash compares the hex text, so only lowercase hex of 64 bytes can ever match.
 */
const LABEL = 'werkzeug-scrypt';
const DEFAULT_COST: ScryptCost = { n: 2 ** 15, r: 8, p: 1 };
const KEY_BYTES = 64;
const SALT = /^[\x21-\x23\x25-\x7e]{0,1024}$/; // printable ASCII without "$" (Werkzeug's salts are letters and digits)

interface WerkzeugScrypt {
  cost: ScryptCost;
  salt: Buffer;
  hash: Buffer;
}

function parseWerkzeugScrypt(text: string): WerkzeugScrypt {
  const fail = (reason: string) => malformedHash(LABEL, reason);
  const [method = '', salt, hex, ...extra] = text.split('$');
  if (salt === undefined || hex === undefined || extra.length > 0) {
    throw fail('expected "scrypt:<n>:<r>:<p>$<salt>$<hex hash>" with exactly two "$"');
  }
  const cost = method === 'scrypt' ? DEFAULT_COST : parseMethod(method, fail);
  if (!SALT.test(salt)) throw fail('salt must be at most 1024 printable ASCII characters without "$"');
  const hash = decodeHex(hex, 'lowercase');
  if (!hash || hash.length !== KEY_BYTES) {
    throw fail(`hash must be ${KEY_BYTES * 2} lowercase hex characters, got ${describeValue(hex)}`);
  }
  checkScryptCost(LABEL, cost);
  // hashlib.scrypt refuses a maxmem above INT_MAX, and OpenSSL needs 128·r·(N + 2 + p) bytes: outside these
  // Werkzeug raises instead of checking, so no working hash can have such parameters.
  const maxmem = 132 * cost.n * cost.r * cost.p;
  if (maxmem > 2 ** 31 - 1 || 128 * cost.r * (cost.n + 2 + cost.p) > maxmem) {
    throw fail(`werkzeug's maxmem of 132·N·r·p = ${maxmem} bytes does not fit these parameters`);
  }
  return { cost, salt: Buffer.from(salt, 'utf8'), hash };
}

function parseMethod(method: string, fail: (reason: string) => Error): ScryptCost {
  const [name, ...args] = method.split(':');
  if (name !== 'scrypt' || args.length !== 3) {
    throw fail(`method must be "scrypt" or "scrypt:<n>:<r>:<p>", got ${describeValue(method)}`);
  }
  const [n, r, p] = args.map((arg) => parseDecimal(arg, 2 ** 53));
  if (n === undefined || r === undefined || p === undefined) {
    throw fail(`n, r and p must be decimal numbers without leading zeros, got ${describeValue(method)}`);
  }
  return { n, r, p };
}

export const werkzeugScrypt: HashFamily = {
  name: 'werkzeug-scrypt',

  detect: (input) => typeof input === 'string' && (input.startsWith('scrypt:') || input.startsWith('scrypt$')),

  parse(input) {
    if (typeof input !== 'string') throw malformedHash(LABEL, `expected a string, got ${describeValue(input)}`);
    const text = input;
    parseWerkzeugScrypt(text);
    return { scheme: 'werkzeug-scrypt', format: 'werkzeug-scrypt', encoded: text };
  },

  async verify(encoded, password) {
    const { cost, salt, hash } = parseWerkzeugScrypt(encoded);
    return bytesEqual(await scryptKey(passwordBytes(password), salt, KEY_BYTES, cost), hash);
  },
};
