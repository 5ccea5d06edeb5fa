/**
 * The base-64 encoding of crypt(3) hashes, phpass and Drupal 7: alphabet "./0-9A-Za-z" (phpass calls it itoa64),
 * no padding, and each 3-byte group written least significant 6 bits first.
 */
export const CRYPT_ALPHABET = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

const CRYPT_CHARS = /^[./0-9A-Za-z]*$/;

export function isCryptBase64(text: string): boolean {
  return CRYPT_CHARS.test(text);
}

/** Position of one character in the alphabet, or -1 (phpass reads the iteration count this way). */
export function cryptCharValue(char: string): number {
  return char.length === 1 ? CRYPT_ALPHABET.indexOf(char) : -1;
}

/**
 * phpass `encode64` / Drupal `_password_base64_encode`: 3 bytes become 4 characters, a final 1 or 2 bytes become
 * 2 or 3 characters.
 */
export function encodeCryptBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const left = bytes.length - i;
    let value = bytes[i]! | ((left > 1 ? bytes[i + 1]! : 0) << 8) | ((left > 2 ? bytes[i + 2]! : 0) << 16);
    const chars = left >= 3 ? 4 : left + 1;
    for (let c = 0; c < chars; c++) {
      out += CRYPT_ALPHABET[value & 0x3f];
      value >>>= 6;
    }
  }
  return out;
}

/**
 * crypt(3) writes its digest as a list of `b64_from_24bit(B2, B1, B0, n)` calls over shuffled byte positions.
 * `groups` lists them as the spec does ([B2, B1, B0], or fewer for the last, partial group).
 */
export function encodeCryptDigest(digest: Uint8Array, groups: readonly (readonly number[])[]): string {
  const ordered = new Uint8Array(digest.length);
  let k = 0;
  for (const group of groups) {
    for (let i = group.length - 1; i >= 0; i--) ordered[k++] = digest[group[i]!]!;
  }
  return encodeCryptBase64(ordered);
}

/**
 * True when the unused high bits of the last character are zero, as every encoder writes them. A string with
 * them set can never equal what the tool computes, so it is not a real hash.
 */
export function hasCleanLastChar(encoded: string, byteLength: number): boolean {
  const unusedBits = encoded.length * 6 - byteLength * 8;
  if (unusedBits <= 0) return true;
  return cryptCharValue(encoded.slice(-1)) >> (6 - unusedBits) === 0;
}

/**
 * Checks the digest part of a crypt-style hash: its length, alphabet and (when the whole digest is written) clean
 * last character. Returns a reason for `malformedHash`, or undefined when it is fine.
 */
export function cryptDigestProblem(text: string, chars: number, digestBytes?: number): string | undefined {
  if (text.length !== chars) return `hash must be ${chars} characters, got ${text.length}`;
  if (!isCryptBase64(text)) return 'hash must use only the characters ./0-9A-Za-z';
  if (digestBytes !== undefined && !hasCleanLastChar(text, digestBytes)) {
    return `hash ends in "${text.slice(-1)}", which sets bits beyond the ${digestBytes}-byte digest`;
  }
  return undefined;
}
