import type { HashFamily } from './hash-family.ts';
import { cryptCharValue } from './crypt-base64.ts';
import { createCryptFamily } from './crypt-family.ts';
import { traditionalDesCrypt } from './des-crypt.ts';
import { passwordBytes } from './hash-bytes.ts';
import { describeValue, malformedHash } from './hash-error-reasons.ts';

/**
 * Traditional DES crypt(3) (Unix V7, old htpasswd -d, /etc/shadow before MD5): 2 salt characters and 11 of hash,
 * all ./0-9A-Za-z. Only the first 8 bytes of a password count, 7 bits of each.
 */
const NAME = 'des-crypt';
const SHAPE = /^[./0-9A-Za-z]{13}$/;

export function isTraditionalDesCrypt(input: string): boolean {
  return SHAPE.test(input);
}

/** The hash's last character carries 2 zero bits (66 bits written for 64): any other value no crypt() wrote. */
export function desTailProblem(hash: string): string | undefined {
  return cryptCharValue(hash.at(-1)!) & 3 ? `its last character ${describeValue(hash.at(-1))} has non-zero trailing bits (no crypt() writes that)` : undefined;
}

const base = createCryptFamily({
  name: NAME,
  prefixes: [''], // no magic: `detect` below claims the exact shape instead
  check(input) {
    if (!SHAPE.test(input)) throw malformedHash(NAME, `expected 13 characters of ./0-9A-Za-z, got ${describeValue(input)}`);
    const problem = desTailProblem(input);
    if (problem) throw malformedHash(NAME, problem);
  },
  crypt: (password, stored) => traditionalDesCrypt(passwordBytes(password), stored.slice(0, 2)),
});
export const traditionalDesCryptFamily: HashFamily = {
  ...base,
  detect: (input) => typeof input === 'string' && isTraditionalDesCrypt(input),
};
