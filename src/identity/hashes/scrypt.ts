import type { HashFamily } from './hash-family.ts';
import { checkScryptCost, scryptKey, type ScryptCost } from './scrypt-cost.ts';
import { describeValue, malformedHash } from './hash-error-reasons.ts';
import { bytesEqual, passwordBytes } from './hash-bytes.ts';
import { decodeBase64, parseDecimal } from './strict-encodings.ts';

/**
 * scrypt in PHC-style strings, in the two spellings real tools write:
 * - `$scrypt$ln=16,r=8,p=1$<salt>$<hash>`: passlib ("logN, r, p -- decimal-encoded positive integer, no
 *   zero-padding; salt, digest -- b64-nopad encoded bytes", 32-byte digest) and RustCrypto's scrypt crate.
 * - `$scrypt$n=16384,r=8,p=1$<salt>$<hash>`: AdonisJS and other @phc/format users, N spelled out, 64-byte key.
 * The key length is the stored hash's length, as every one of them recomputes it. Padding on the Base64 is
 * tolerated (some libraries write it); the passlib `$7$` form is not handled here.
 */
const LABEL = 'scrypt';
const MIN_HASH_BYTES = 16;
const MAX_BYTES = 1024;

interface ScryptHashString {
  cost: ScryptCost;
  salt: Buffer;
  hash: Buffer;
}

function parseScryptString(text: string): ScryptHashString {
  const fail = (reason: string) => malformedHash(LABEL, reason);
  const fields = text.split('$');
  if (fields[0] !== '' || fields[1] !== 'scrypt') {
    throw fail(`must start with "$scrypt$", got ${describeValue(text.slice(0, 8))}`);
  }
  if (fields.length !== 5) {
    throw fail(`expected "$scrypt$<params>$<salt>$<hash>", got ${fields.length - 1} "$"-separated fields`);
  }
  const [, , params = '', saltText = '', hashText = ''] = fields;
  const match = /^(ln|n)=([0-9]+),r=([0-9]+),p=([0-9]+)$/.exec(params);
  if (!match) throw fail(`parameters must be "ln=…,r=…,p=…" or "n=…,r=…,p=…", got ${describeValue(params)}`);
  const [, costName, costText = '', rText = '', pText = ''] = match;
  const [cost, r, p] = [parseDecimal(costText, 2 ** 53), parseDecimal(rText), parseDecimal(pText)];
  if (cost === undefined || r === undefined || p === undefined) {
    throw fail(`parameters must be decimal numbers without leading zeros, got ${describeValue(params)}`);
  }
  if (costName === 'ln' && (cost < 1 || cost > 63)) throw fail(`ln must be between 1 and 63, got ${cost}`);
  const n = costName === 'ln' ? 2 ** cost : cost;

  const salt = decodeBase64(saltText, 'optional');
  if (!salt.ok) throw fail(`salt ${salt.reason}`);
  if (salt.bytes.length > MAX_BYTES) throw fail(`salt must be at most ${MAX_BYTES} bytes, got ${salt.bytes.length}`);
  const hash = decodeBase64(hashText, 'optional');
  if (!hash.ok) throw fail(`hash ${hash.reason}`);
  if (hash.bytes.length < MIN_HASH_BYTES || hash.bytes.length > MAX_BYTES) {
    throw fail(`hash must be ${MIN_HASH_BYTES} to ${MAX_BYTES} bytes, got ${hash.bytes.length}`);
  }
  checkScryptCost(LABEL, { n, r, p });
  return { cost: { n, r, p }, salt: salt.bytes, hash: hash.bytes };
}

export const scrypt: HashFamily = {
  name: 'scrypt',

  detect: (input) => typeof input === 'string' && input.startsWith('$scrypt$'),

  parse(input) {
    if (typeof input !== 'string') throw malformedHash(LABEL, `expected a string, got ${describeValue(input)}`);
    const text = input;
    parseScryptString(text);
    return { scheme: 'scrypt', format: 'scrypt', encoded: text };
  },

  async verify(encoded, password) {
    const { cost, salt, hash } = parseScryptString(encoded);
    return bytesEqual(await scryptKey(passwordBytes(password), salt, hash.length, cost), hash);
  },
};
