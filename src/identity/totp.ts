import { generateSecret, generateURI, verify } from 'otplib';

/** RFC 6238 defaults that every authenticator app understands: SHA-1, 6 digits, 30-second steps. */
export const TOTP_PERIOD_S = 30;

/** A new base32 secret of 160 bits (RFC 4226 §4 recommends at least 128, and 160 matches SHA-1's output). */
export function newTotpSecret(): string {
  return generateSecret({ length: 20 });
}

/** The otpauth:// URI an authenticator app scans: `otpauth://totp/Issuer:label?secret=…&issuer=Issuer`. */
export function totpUri(issuer: string, label: string, secret: string): string {
  return generateURI({ issuer, label, secret, period: TOTP_PERIOD_S });
}

/**
 * Checks a 6-digit code with one step of clock drift either way (RFC 6238 §5.2) and refuses a replay: a code
 * whose time step is not after `lastStep` was already used (or is older than one that was). Returns the matched
 * time step, which the caller must store as the new `lastStep`, or null.
 */
export async function verifyTotpCode(secret: string, code: string, lastStep: number | null, now = Date.now()): Promise<number | null> {
  const token = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(token)) return null;
  // otplib throws for an afterTimeStep that is negative, not an integer, or past the last step it would try (now
  // plus the tolerance): a step stored by a server whose clock ran fast, or before this clock was set back. No
  // code can be after such a step yet, so it is a refusal like any replay.
  const lastTried = Math.floor(now / 1000 / TOTP_PERIOD_S) + 1;
  if (lastStep !== null && !(Number.isSafeInteger(lastStep) && lastStep >= 0 && lastStep <= lastTried)) return null;
  const result = await verify({
    epoch: Math.floor(now / 1000),
    secret, token, epochTolerance: TOTP_PERIOD_S, period: TOTP_PERIOD_S,
    ...(lastStep !== null ? { afterTimeStep: lastStep } : {}),
  });
  // otplib answers for TOTP and HOTP alike; only a TOTP result carries the time step.
  return result.valid && 'timeStep' in result ? result.timeStep : null;
}
