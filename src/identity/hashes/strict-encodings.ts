/**
 * Strict decoders for the Base64 and decimal spellings that hash strings use. Each Base64 decoder returns the bytes,
 * or a reason the text is not that encoding, so the family can throw `MalformedHashError` with it. "Strict" means
 * the text must be exactly what an encoder would have written for those bytes: no whitespace, and zero trailing
 * bits — as the PHC string format puts it, "producers MUST set the trailing bits to 0" and consumers "MAY reject
 * such invalid encodings".
 */
export type Decoded = { ok: true; bytes: Buffer } | { ok: false; reason: string };

const STANDARD = /^[A-Za-z0-9+/]*$/;

/** PHC's B64 forbids `=` padding; elsewhere it may be there or not, but must be right when it is. */
export type Padding = 'forbidden' | 'optional';

/** RFC 4648 §4 Base64 (alphabet `A–Z a–z 0–9 + /`). */
export function decodeBase64(text: string, padding: Padding): Decoded {
  const body = text.replace(/={1,2}$/, '');
  const padded = body.length !== text.length;
  if (!STANDARD.test(body)) return { ok: false, reason: 'has characters outside the Base64 alphabet' };
  if (body.length % 4 === 1) return { ok: false, reason: `has an impossible length of ${body.length} characters` };
  if (padded && padding === 'forbidden') return { ok: false, reason: 'must not carry "=" padding' };
  if (padded && text.length % 4 !== 0) return { ok: false, reason: 'has the wrong amount of "=" padding' };
  return checkCanonical(body, Buffer.from(body, 'base64'));
}

/**
 * bcrypt's Base64: same bit order as RFC 4648 but the alphabet `./A–Za–z0–9` (crypt_blowfish's `BF_itoa64`) and no
 * padding. Decoding maps each character to the standard alphabet at the same index.
 */
const BCRYPT_ALPHABET = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const STANDARD_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export function decodeBcryptBase64(text: string): Decoded {
  let standard = '';
  for (const char of text) {
    const index = BCRYPT_ALPHABET.indexOf(char);
    if (index < 0) return { ok: false, reason: 'has characters outside bcrypt base64 (./A-Za-z0-9)' };
    standard += STANDARD_ALPHABET[index];
  }
  if (standard.length % 4 === 1) return { ok: false, reason: `has an impossible length of ${text.length} characters` };
  return checkCanonical(standard, Buffer.from(standard, 'base64'));
}

function checkCanonical(unpaddedStandard: string, bytes: Buffer): Decoded {
  if (bytes.toString('base64').replace(/=+$/, '') !== unpaddedStandard) {
    return { ok: false, reason: 'has non-zero trailing bits in its last character (no encoder writes that)' };
  }
  return { ok: true, bytes };
}

/**
 * A decimal number as the PHC string format defines it: "the smallest sequence of ASCII digits that matches its
 * value (i.e. there is no leading zero)". Returns undefined for anything else, or for values above `max`.
 */
export function parseDecimal(text: string, max = 2 ** 32 - 1): number | undefined {
  if (!/^(?:0|[1-9][0-9]{0,15})$/.test(text)) return undefined;
  const value = Number(text);
  return value <= max ? value : undefined;
}
