import type { HashFamily, LegacyHashInput } from './hash-family.ts';
import { bytesEqual, decodePaddedBase64, passwordBytes } from './hash-bytes.ts';
import { malformedHash } from './hash-error-reasons.ts';
import { derivePbkdf2 } from './pbkdf2-derive.ts';

/*
 * ASP.NET Identity PasswordHasher, "Version 2" (src/Identity/Extensions.Core/src/PasswordHasher.cs):
 *   "PBKDF2 with HMAC-SHA1, 128-bit salt, 256-bit subkey, 1000 iterations. Format: { 0x00, salt, subkey }"
 * stored as Convert.ToBase64String of those 49 bytes (68 characters, ending "=="). VerifyHashedPasswordV2 fails
 * any payload that is not exactly 49 bytes.
 */
const LABEL = 'aspnet-identity-v2';
const SALT_BYTES = 16;
const SUBKEY_BYTES = 32;
const ITERATIONS = 1000;
const PAYLOAD_BYTES = 1 + SALT_BYTES + SUBKEY_BYTES;
const ENCODED_CHARS = 68;

function read(text: string): { salt: Buffer; subkey: Buffer } {
  const payload = decodePaddedBase64(text);
  if (!payload) throw malformedHash(LABEL, 'expected padded base64 (Convert.ToBase64String output)');
  if (payload.length !== PAYLOAD_BYTES) {
    throw malformedHash(
      LABEL,
      `payload must be ${PAYLOAD_BYTES} bytes (0x00, 16-byte salt, 32-byte subkey), got ${payload.length}`,
    );
  }
  if (payload[0] !== 0x00) throw malformedHash(LABEL, `format marker must be 0x00, got 0x${payload[0]?.toString(16)}`);
  return {
    salt: payload.subarray(1, 1 + SALT_BYTES),
    subkey: payload.subarray(1 + SALT_BYTES),
  };
}

export const aspnetIdentityV2: HashFamily = {
  name: LABEL,
  /**
   * 0x00 then 48 bytes: 68 base64 characters ending "==". Byte 0x00 makes the first character "A" and the second
   * one of "A"–"P" (a v3 hash, 0x01, starts "AQ").
   */
  detect(input: LegacyHashInput): boolean {
    if (typeof input !== 'string' || input.length !== ENCODED_CHARS || !input.startsWith('A')) return false;
    const second = input.charCodeAt(1);
    return second >= 0x41 && second <= 0x50 && input.endsWith('==');
  },
  parse(input: LegacyHashInput) {
    if (typeof input !== 'string') throw malformedHash(LABEL, 'expected a string');
    read(input);
    return { scheme: LABEL, format: LABEL, encoded: input };
  },
  async verify(encoded: string, password: string): Promise<boolean> {
    const { salt, subkey } = read(encoded);
    const derived = await derivePbkdf2(passwordBytes(password), salt, ITERATIONS, SUBKEY_BYTES, 'sha1');
    return bytesEqual(derived, subkey);
  },
};
