import { readFileSync } from 'node:fs';

/** Longest password accepted anywhere: long passphrases are welcome, megabytes are not. */
export const PASSWORD_MAX = 256;

const COMMON = new Set(
  readFileSync(new URL('./common-passwords.txt', import.meta.url), 'utf8')
    .split('\n').map((line) => line.trim()).filter((line) => line && !line.startsWith('#')),
);

/** Why a new password is refused, as data: pages say it in the user's language. */
export type PasswordProblem =
  | { code: 'too_short'; min: number; length: number }
  | { code: 'too_long'; max: number }
  | { code: 'email' }
  | { code: 'common' }
  | { code: 'guessable' };

/**
 * NIST SP 800-63B §5.1.1.2: a length floor, no composition rules, and a check against known-compromised values,
 * here a shipped list (and the list's words with digits or symbols stuck on the end). Null when acceptable.
 */
export function passwordProblem(password: string, email: string | null, minLength: number): PasswordProblem | null {
  const length = [...password].length;
  if (length < minLength) return { code: 'too_short', min: minLength, length };
  if (length > PASSWORD_MAX) return { code: 'too_long', max: PASSWORD_MAX };
  const lower = password.toLowerCase();
  const address = (email ?? '').trim().toLowerCase();
  const local = address.split('@')[0] ?? '';
  if (address && (lower === address || lower.includes(address) || (local.length >= 4 && lower.replace(/[^a-z]/g, '') === local.replace(/[^a-z]/g, '')))) {
    return { code: 'email' };
  }
  const base = lower.replace(/[\d\W_]+$/u, '');
  if (COMMON.has(lower) || COMMON.has(base)) return { code: 'common' };
  if (new Set(lower).size <= 2) return { code: 'guessable' };
  return null;
}

/** The problem in English, reading after "The password …" (the console and API answers). */
export function describePasswordProblem(problem: PasswordProblem): string {
  switch (problem.code) {
    case 'too_short': return `must be at least ${problem.min} characters (got ${problem.length})`;
    case 'too_long': return `must be at most ${problem.max} characters`;
    case 'email': return 'must not be your email address';
    case 'common': return 'is too common: it appears in lists of breached passwords';
    case 'guessable': return 'is too easy to guess: use more different characters';
  }
}

/** Why a new password is refused, in English, or null when it is acceptable. */
export function checkNewPassword(password: string, email: string | null, minLength: number): string | null {
  const problem = passwordProblem(password, email, minLength);
  return problem ? describePasswordProblem(problem) : null;
}
