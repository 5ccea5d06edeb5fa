import { noteCheckCost } from './check-cost.ts';
import type { HashFamily } from './hash-family.ts';
import { bytesEqual, decodePaddedBase64, passwordBytes } from './hash-bytes.ts';
import { describeValue, malformedHash } from './hash-error-reasons.ts';
import { derivePbkdf2 } from './pbkdf2-derive.ts';

/*
 * Atlassian's DefaultPasswordEncoder (atlassian-password-encoder, used by Jira, Confluence, Crowd and Bitbucket):
 *   "{PKCS5S2}" + base64(salt[16] + PBKDF2-HMAC-SHA1(password, salt, 10000 iterations, 32 bytes))
 * The iteration count is fixed by the scheme (hashcat mode 12001); nothing in the string can raise it.
 */
const LABEL = 'atlassian-pbkdf2';
const PREFIX = '{PKCS5S2}';
const SALT_BYTES = 16;
const KEY_BYTES = 32;
export const ATLASSIAN_ITERATIONS = 10_000;

function read(text: string): { salt: Buffer; key: Buffer } {
  const payload = decodePaddedBase64(text.slice(PREFIX.length));
  if (!payload || payload.length !== SALT_BYTES + KEY_BYTES) {
    throw malformedHash(LABEL, `expected "${PREFIX}" + padded base64 of ${SALT_BYTES + KEY_BYTES} bytes (16 salt, 32 key), got ${describeValue(text)}`);
  }
  return { salt: payload.subarray(0, SALT_BYTES), key: payload.subarray(SALT_BYTES) };
}

export const atlassianPkcs5s2: HashFamily = {
  name: LABEL,
  detect: (input) => typeof input === 'string' && input.startsWith(PREFIX),
  parse(input) {
    if (typeof input !== 'string') throw malformedHash(LABEL, 'expected a string');
    read(input);
    // PBKDF2's work is iterations × blocks: a 32-byte key is two SHA-1 blocks.
    noteCheckCost({ kernel: 'pbkdf2-sha1', work: ATLASSIAN_ITERATIONS * Math.ceil(KEY_BYTES / 20), parameter: `${ATLASSIAN_ITERATIONS} iterations (fixed)` });
    return { scheme: 'atlassian-pbkdf2-sha1', format: LABEL, encoded: input };
  },
  async verify(encoded, password) {
    const { salt, key } = read(encoded);
    return bytesEqual(await derivePbkdf2(passwordBytes(password), salt, ATLASSIAN_ITERATIONS, KEY_BYTES, 'sha1'), key);
  },
};
