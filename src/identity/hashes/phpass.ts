import { createHash } from 'node:crypto';
import { HASH_LIMITS } from './hash-errors.ts';
import { noteCheckCost } from './check-cost.ts';
import { cryptCharValue, cryptDigestProblem, encodeCryptBase64, isCryptBase64 } from './crypt-base64.ts';
import { createCryptFamily } from './crypt-family.ts';
import { passwordBytes } from './hash-bytes.ts';
import { dangerousHash, describeValue, malformedHash } from './hash-error-reasons.ts';

/**
 * phpass "portable" hashes (openwall phpass 0.5 as WordPress ships it in class-phpass.php): "$P$" from phpass and
 * WordPress, "$H$" from phpBB3 ("the same thing"). Layout: id, one itoa64 character for log2 of the iteration
 * count, 8 characters of salt, then 22 characters of MD5 digest.
 */
const FAMILY = 'phpass';
const SETTING_CHARS = 12;
const HASH_CHARS = 22;
/** crypt_private: `if ($count_log2 < 7 || $count_log2 > 30) return $output;` (Drupal 7 uses the same bounds). */
const MIN_COUNT_LOG2 = 7;
const MAX_COUNT_LOG2 = 30;
/** CheckPassword: `if ( strlen( $password ) > 4096 ) { return false; }` */
const PASSWORD_MAX_BYTES = 4096;

/**
 * Reads the 12-character setting phpass and Drupal 7 share ("$P$", count character, 8 salt characters), with
 * their bounds and the product's ceiling on work. Returns log2 of the iteration count.
 */
export function readPortableSetting(label: string, setting: string, algorithm: 'md5' | 'sha512' = 'md5'): number {
  const countChar = setting.charAt(3);
  const countLog2 = cryptCharValue(countChar);
  if (countLog2 < MIN_COUNT_LOG2 || countLog2 > MAX_COUNT_LOG2) {
    const range = `2^${MIN_COUNT_LOG2} to 2^${MAX_COUNT_LOG2} ("5" to "S")`;
    throw malformedHash(label, `iteration character ${describeValue(countChar)} must stand for ${range}`);
  }
  if (2 ** countLog2 > HASH_LIMITS.maxRounds) {
    throw dangerousHash(label, `2^${countLog2} iterations exceed the limit of ${HASH_LIMITS.maxRounds}`);
  }
  const salt = setting.slice(4, SETTING_CHARS);
  if (salt.length !== 8 || !isCryptBase64(salt)) {
    throw malformedHash(label, `salt must be 8 characters of ./0-9A-Za-z, got ${describeValue(salt)}`);
  }
  noteCheckCost({ kernel: `portable-${algorithm}`, work: 2 ** countLog2, parameter: `2^${countLog2} iterations` });
  return countLog2;
}

/**
 * crypt_private / Drupal's _password_crypt for a checked setting: `$hash = md5($salt . $password, TRUE);
 * do { $hash = md5($hash . $password, TRUE); } while (--$count);` then the setting and encode64($hash).
 */
export function portableCrypt(algorithm: 'md5' | 'sha512', password: Buffer, setting: string): string {
  let hash = createHash(algorithm).update(setting.slice(4, SETTING_CHARS)).update(password).digest();
  const scratch = Buffer.allocUnsafe(hash.length + password.length);
  password.copy(scratch, hash.length);
  for (let count = 2 ** readPortableSetting(FAMILY, setting, algorithm); count > 0; count--) {
    hash.copy(scratch, 0);
    hash = createHash(algorithm).update(scratch).digest();
  }
  return setting.slice(0, SETTING_CHARS) + encodeCryptBase64(hash);
}

export const phpassFamily = createCryptFamily({
  name: FAMILY,
  prefixes: ['$P$', '$H$'],
  check(input) {
    if (input.length !== SETTING_CHARS + HASH_CHARS) {
      throw malformedHash(FAMILY, `expected ${SETTING_CHARS + HASH_CHARS} characters, got ${input.length}`);
    }
    readPortableSetting(FAMILY, input);
    const problem = cryptDigestProblem(input.slice(SETTING_CHARS), HASH_CHARS, 16);
    if (problem) throw malformedHash(FAMILY, problem);
  },
  crypt(password, stored) {
    const bytes = passwordBytes(password);
    return bytes.length > PASSWORD_MAX_BYTES ? '*0' : portableCrypt('md5', bytes, stored);
  },
});
