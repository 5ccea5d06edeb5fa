import { timingSafeEqual } from 'node:crypto';

/** Every tool in this group hashes the password's UTF-8 bytes (Python `str.encode()`, .NET `Encoding.UTF8`). */
export function passwordBytes(password: string): Buffer {
  return Buffer.from(password, 'utf8');
}

/** Constant-time compare. Lengths are not secret (they follow from the stored hash), so a mismatch is just false. */
export function bytesEqual(actual: Buffer, expected: Buffer): boolean {
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

const HEX = /^(?:[0-9a-fA-F]{2})*$/;
const LOWER_HEX = /^(?:[0-9a-f]{2})*$/;

/**
 * Hex in either case, or only lowercase when the tool compares hex *strings* (Django, Werkzeug): there an
 * uppercase digest never matched, so accepting it would store a hash nobody can sign in with.
 */
export function decodeHex(text: string, caseRule: 'any-case' | 'lowercase'): Buffer | undefined {
  const pattern = caseRule === 'lowercase' ? LOWER_HEX : HEX;
  return pattern.test(text) ? Buffer.from(text, 'hex') : undefined;
}

const PADDED_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** RFC 4648 base64 with padding, as .NET `Convert.ToBase64String` and Python `base64.b64encode` write it. */
export function decodePaddedBase64(text: string): Buffer | undefined {
  return PADDED_BASE64.test(text) ? Buffer.from(text, 'base64') : undefined;
}

const PHC_B64 = /^[A-Za-z0-9+/]*$/;
const PASSLIB_AB64 = /^[A-Za-z0-9+/.]*$/;

/**
 * Base64 without padding. `phc`: the PHC string format's "B64". `ab64`: passlib's adapted base64, which writes "."
 * for "+"; `passlib.utils.binary.ab64_decode` accepts both.
 */
export function decodeUnpaddedBase64(text: string, alphabet: 'phc' | 'ab64'): Buffer | undefined {
  if (text.length % 4 === 1) return undefined;
  if (!(alphabet === 'ab64' ? PASSLIB_AB64 : PHC_B64).test(text)) return undefined;
  return Buffer.from(text.replaceAll('.', '+'), 'base64');
}

const STANDARD_ALPHABET = /^[A-Za-z0-9+/]*$/;
const URL_SAFE_ALPHABET = /^[A-Za-z0-9_-]*$/;

/**
 * For the JSON object forms: standard or URL-safe alphabet (not mixed), padding optional but correct if present.
 * Exports differ here and every spelling of the same bytes is unambiguous.
 */
export function decodeLooseBase64(text: string): Buffer | undefined {
  const unpadded = text.endsWith('==') ? text.slice(0, -2) : text.endsWith('=') ? text.slice(0, -1) : text;
  if (unpadded !== text && text.length % 4 !== 0) return undefined;
  if (unpadded.length % 4 === 1) return undefined;
  if (STANDARD_ALPHABET.test(unpadded)) return Buffer.from(unpadded, 'base64');
  if (URL_SAFE_ALPHABET.test(unpadded)) return Buffer.from(unpadded, 'base64url');
  return undefined;
}
