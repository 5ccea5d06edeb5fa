import { readFileSync } from 'node:fs';

/** Longest password accepted anywhere: long passphrases are welcome, megabytes are not. */
export const PASSWORD_MAX = 256;

const COMMON = new Set(
  readFileSync(new URL('./common-passwords.txt', import.meta.url), 'utf8')
    .split('\n').map((line) => line.trim()).filter((line) => line && !line.startsWith('#')),
);

/**
 * Why a new password is refused, or null when it is acceptable. NIST SP 800-63B §5.1.1.2: a length floor, no
 * composition rules, and a check against known-compromised values, here a shipped list (and the list's words with
 * digits or symbols stuck on the end). The reason reads after "The password …".
 */
export function checkNewPassword(password: string, email: string | null, minLength: number): string | null {
  const length = [...password].length;
  if (length < minLength) return `must be at least ${minLength} characters (got ${length})`;
  if (length > PASSWORD_MAX) return `must be at most ${PASSWORD_MAX} characters`;
  const lower = password.toLowerCase();
  const address = (email ?? '').trim().toLowerCase();
  const local = address.split('@')[0] ?? '';
  if (address && (lower === address || lower.includes(address) || (local.length >= 4 && lower.replace(/[^a-z]/g, '') === local.replace(/[^a-z]/g, '')))) {
    return 'must not be your email address';
  }
  const base = lower.replace(/[\d\W_]+$/u, '');
  if (COMMON.has(lower) || COMMON.has(base)) return 'is too common: it appears in lists of breached passwords';
  if (new Set(lower).size <= 2) return 'is too easy to guess: use more different characters';
  return null;
}
