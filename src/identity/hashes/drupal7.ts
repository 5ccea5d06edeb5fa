import { createHash } from 'node:crypto';
import { cryptDigestProblem } from './crypt-base64.ts';
import { createCryptFamily } from './crypt-family.ts';
import { passwordBytes } from './hash-bytes.ts';
import { describeValue, malformedHash } from './hash-error-reasons.ts';
import { portableCrypt, readPortableSetting } from './phpass.ts';

/**
 * Drupal 7 (includes/password.inc). "$S$": phpass's layout with SHA-512, `_password_crypt('sha512', …)`, the
 * output cut to DRUPAL_HASH_LENGTH (55) characters. "U$…": a Drupal 6 MD5 hash that user_update_7000() hashed
 * again; user_check_password() then checks md5($password) (lowercase hex) against the rest, which may be "$S$",
 * "$P$" or "$H$".
 */
const FAMILY = 'drupal7';
const SETTING_CHARS = 12;
const DRUPAL_HASH_LENGTH = 55;
/** _password_crypt: "Prevent DoS attacks by refusing to hash large passwords": `strlen($password) > 512`. */
const PASSWORD_MAX_LENGTH = 512;

interface Drupal7Parts {
  updated: boolean;
  stored: string;
  algorithm: 'md5' | 'sha512';
}

function split(input: string): Drupal7Parts {
  const updated = input.startsWith('U$');
  const stored = updated ? input.slice(1) : input;
  const id = stored.slice(0, 3);
  // user_check_password: '$S$' is sha512; '$H$' and '$P$' are md5 (bare ones belong to the phpass family).
  const algorithm = id === '$S$' ? 'sha512' : updated && (id === '$P$' || id === '$H$') ? 'md5' : undefined;
  if (!algorithm) {
    throw malformedHash(FAMILY, `expected "$S$", "U$S$", "U$P$" or "U$H$" at the start, got ${describeValue(input)}`);
  }
  const hashChars = algorithm === 'sha512' ? DRUPAL_HASH_LENGTH - SETTING_CHARS : 22;
  if (stored.length !== SETTING_CHARS + hashChars) {
    const expected = SETTING_CHARS + hashChars + (updated ? 1 : 0);
    throw malformedHash(FAMILY, `expected ${expected} characters, got ${input.length}`);
  }
  readPortableSetting(FAMILY, stored, algorithm);
  // A cut SHA-512 digest ends mid-character, so only the whole MD5 one has a last character to check.
  const problem = cryptDigestProblem(stored.slice(SETTING_CHARS), hashChars, algorithm === 'md5' ? 16 : undefined);
  if (problem) throw malformedHash(FAMILY, problem);
  return { updated, stored, algorithm };
}

export const drupal7Family = createCryptFamily({
  name: FAMILY,
  prefixes: ['$S$', 'U$'],
  check: split,
  crypt(password, encoded) {
    const { updated, stored, algorithm } = split(encoded);
    let bytes = passwordBytes(password);
    if (updated) bytes = Buffer.from(createHash('md5').update(bytes).digest('hex'));
    if (bytes.length > PASSWORD_MAX_LENGTH) return '';
    return (updated ? 'U' : '') + portableCrypt(algorithm, bytes, stored).slice(0, DRUPAL_HASH_LENGTH);
  },
});
