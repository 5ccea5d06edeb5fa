import { readFileSync } from 'node:fs';

export const STAFF_PASSWORD_MIN = 12;
export const STAFF_PASSWORD_MAX = 256;

const COMMON = new Set(
  readFileSync(new URL('./common-passwords.txt', import.meta.url), 'utf8')
    .split('\n').map((line) => line.trim()).filter((line) => line && !line.startsWith('#')),
);

/**
 * Why a staff password is refused, or null when it is acceptable. NIST SP 800-63B §5.1.1.2: a length floor, no
 * composition rules, and a check against known-compromised values, here a shipped list (and the list's words with
 * digits or symbols stuck on the end).
 */
export function checkStaffPassword(password: string, email: string): string | null {
  const length = [...password].length;
  if (length < STAFF_PASSWORD_MIN) return `must be at least ${STAFF_PASSWORD_MIN} characters (got ${length})`;
  if (length > STAFF_PASSWORD_MAX) return `must be at most ${STAFF_PASSWORD_MAX} characters`;
  const lower = password.toLowerCase();
  const address = email.trim().toLowerCase();
  const local = address.split('@')[0] ?? '';
  if (lower === address || lower.includes(address) || (local.length >= 4 && lower.replace(/[^a-z]/g, '') === local.replace(/[^a-z]/g, ''))) {
    return 'must not be your email address';
  }
  const base = lower.replace(/[\d\W_]+$/u, '');
  if (COMMON.has(lower) || COMMON.has(base)) return 'is too common: it appears in lists of breached passwords';
  if (new Set(lower).size <= 2) return 'is too easy to guess: use more different characters';
  return null;
}
