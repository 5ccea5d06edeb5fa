import { createCipheriv } from 'node:crypto';
import type { HashFamily, LegacyHashInput } from './hash-family.ts';
import { checkScryptCost, scryptKey } from './scrypt-cost.ts';
import { bytesEqual, passwordBytes } from './hash-bytes.ts';
import { dangerousHash, describeValue, malformedHash } from './hash-error-reasons.ts';
import { assertKnownKeys, optionalString, readCount, requiredString } from './hash-object-fields.ts';
import { decodeBase64 } from './strict-encodings.ts';

/**
 * Firebase Authentication's modified scrypt (firebase/scrypt README): an exported account's `passwordHash` and
 * `salt` plus the project's hash parameters (`base64_signer_key`, `base64_salt_separator`, `rounds`, `mem_cost`),
 * given to us as one object:
 *
 *   {"algorithm":"firebase-scrypt","hash","salt","signer_key","salt_separator","rounds","mem_cost"}
 *
 * All byte fields are standard Base64 as the console and `firebase auth:export` print them; `salt_separator`
 * defaults to the console's usual "Bw==". Check: key = scrypt(password, salt ‖ separator, N = 2^mem_cost,
 * r = rounds, p = 1, 32 bytes); AES-256-CTR(key, IV = 0) over the signer key must equal the hash.
 */
const LABEL = 'firebase-scrypt';
const FIELDS = ['algorithm', 'hash', 'salt', 'signer_key', 'salt_separator', 'rounds', 'mem_cost'] as const;
const DEFAULT_SALT_SEPARATOR = 'Bw==';
const MAX_ROUNDS = 31; // Firebase uses 8; scrypt's r this high is already far past any real project
const MAX_MEM_COST = 20; // N = 2^20, HASH_LIMITS.scryptMaxN
const MAX_BYTES = 1024;

interface FirebaseScrypt {
  hash: Buffer;
  salt: Buffer;
  signerKey: Buffer;
  saltSeparator: Buffer;
  rounds: number;
  memCost: number;
}

function parseFirebaseScrypt(input: LegacyHashInput): FirebaseScrypt {
  const fail = (reason: string) => malformedHash(LABEL, reason);
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw fail(`expected a JSON object, got ${describeValue(input)}`);
  }
  assertKnownKeys(LABEL, input, FIELDS);
  if (input.algorithm !== 'firebase-scrypt') throw fail('algorithm must be "firebase-scrypt"');
  const bytes = (field: string, text: string) => {
    const decoded = decodeBase64(text, 'optional');
    if (!decoded.ok) throw fail(`${field} ${decoded.reason}`);
    if (decoded.bytes.length > MAX_BYTES) throw fail(`${field} must be at most ${MAX_BYTES} bytes`);
    return decoded.bytes;
  };
  const separator = optionalString(LABEL, input, 'salt_separator') ?? DEFAULT_SALT_SEPARATOR;
  const parsed: FirebaseScrypt = {
    hash: bytes('hash', requiredString(LABEL, input, 'hash')),
    salt: bytes('salt', requiredString(LABEL, input, 'salt')),
    signerKey: bytes('signer_key', requiredString(LABEL, input, 'signer_key')),
    saltSeparator: bytes('salt_separator', separator),
    rounds: readCount(LABEL, input, 'rounds'),
    memCost: readCount(LABEL, input, 'mem_cost'),
  };
  // CTR keeps the length, so a hash of another length than the signer key can never match.
  if (parsed.hash.length !== parsed.signerKey.length) {
    throw fail(`hash is ${parsed.hash.length} bytes but signer_key is ${parsed.signerKey.length}; they must match`);
  }
  if (parsed.rounds > MAX_ROUNDS) throw dangerousHash(LABEL, `rounds ${parsed.rounds} is above ${MAX_ROUNDS}`);
  if (parsed.memCost > MAX_MEM_COST) {
    throw dangerousHash(LABEL, `mem_cost ${parsed.memCost} (N = 2^${parsed.memCost}) is above ${MAX_MEM_COST}`);
  }
  checkScryptCost(LABEL, scryptCost(parsed));
  return parsed;
}

function scryptCost({ rounds, memCost }: FirebaseScrypt) {
  return { n: 2 ** memCost, r: rounds, p: 1 };
}

/** Fixed key order and re-encoded Base64, so one account always stores the same text. */
function canonicalJson(parsed: FirebaseScrypt): string {
  return JSON.stringify({
    algorithm: 'firebase-scrypt',
    hash: parsed.hash.toString('base64'),
    salt: parsed.salt.toString('base64'),
    signer_key: parsed.signerKey.toString('base64'),
    salt_separator: parsed.saltSeparator.toString('base64'),
    rounds: parsed.rounds,
    mem_cost: parsed.memCost,
  });
}

function parseStored(encoded: string): FirebaseScrypt {
  let input: unknown;
  try {
    input = JSON.parse(encoded);
  } catch {
    throw malformedHash(LABEL, 'stored value is not JSON');
  }
  return parseFirebaseScrypt(input as LegacyHashInput);
}

export const firebaseScrypt: HashFamily = {
  name: 'firebase-scrypt',

  detect: (input) => typeof input === 'object' && input !== null && input.algorithm === 'firebase-scrypt',

  parse(input) {
    return { scheme: 'firebase-scrypt', format: 'firebase-scrypt', encoded: canonicalJson(parseFirebaseScrypt(input)) };
  },

  async verify(encoded, password) {
    const parsed = parseStored(encoded);
    const salt = Buffer.concat([parsed.salt, parsed.saltSeparator]);
    const key = await scryptKey(passwordBytes(password), salt, 32, scryptCost(parsed));
    const cipher = createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
    const computed = Buffer.concat([cipher.update(parsed.signerKey), cipher.final()]);
    return bytesEqual(computed, parsed.hash);
  },
};
