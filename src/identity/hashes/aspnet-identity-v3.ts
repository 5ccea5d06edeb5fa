import type { HashFamily, LegacyHashInput } from './hash-family.ts';
import { bytesEqual, decodePaddedBase64, passwordBytes } from './hash-bytes.ts';
import { malformedHash } from './hash-error-reasons.ts';
import { assertPbkdf2Cost, derivePbkdf2, MAX_KEY_BYTES, MAX_SALT_BYTES, type DigestName } from './pbkdf2-derive.ts';

/*
 * ASP.NET Identity PasswordHasher, "Version 3" (src/Identity/Extensions.Core/src/PasswordHasher.cs):
 *   "Format: { 0x01, prf (UInt32), iter count (UInt32), salt length (UInt32), salt, subkey }
 *    (All UInt32s are stored big-endian.)"
 * KeyDerivationPrf: 0 = HMACSHA1, 1 = HMACSHA256, 2 = HMACSHA512. VerifyHashedPasswordV3 fails a salt or a subkey
 * (the rest of the payload) shorter than 128 bits, and any payload KeyDerivation.Pbkdf2 rejects (unknown PRF,
 * iteration count < 1 once cast to int).
 */
const LABEL = 'aspnet-identity-v3';
const HEADER_BYTES = 13;
const MIN_SALT_BYTES = 16;
const MIN_SUBKEY_BYTES = 16;
const PRFS: readonly DigestName[] = ['sha1', 'sha256', 'sha512'];

interface AspnetV3Fields {
  digest: DigestName;
  iterations: number;
  salt: Buffer;
  subkey: Buffer;
}

function read(text: string): AspnetV3Fields {
  const payload = decodePaddedBase64(text);
  if (!payload) throw malformedHash(LABEL, 'expected padded base64 (Convert.ToBase64String output)');
  if (payload.length < HEADER_BYTES) {
    throw malformedHash(LABEL, `payload must hold a ${HEADER_BYTES}-byte header, got ${payload.length} bytes`);
  }
  if (payload[0] !== 0x01) throw malformedHash(LABEL, `format marker must be 0x01, got 0x${payload[0]?.toString(16)}`);
  const prf = payload.readUInt32BE(1);
  const iterations = payload.readUInt32BE(5);
  const saltLength = payload.readUInt32BE(9);
  const digest = PRFS[prf];
  if (!digest) {
    throw malformedHash(LABEL, `unknown PRF ${prf}; expected 0 (HMAC-SHA1), 1 (HMAC-SHA256) or 2 (HMAC-SHA512)`);
  }
  if (iterations < 1) throw malformedHash(LABEL, 'iteration count must be at least 1, got 0');
  if (saltLength < MIN_SALT_BYTES || saltLength > MAX_SALT_BYTES) {
    throw malformedHash(LABEL, `salt length must be ${MIN_SALT_BYTES}–${MAX_SALT_BYTES} bytes, got ${saltLength}`);
  }
  const subkeyLength = payload.length - HEADER_BYTES - saltLength;
  if (subkeyLength < MIN_SUBKEY_BYTES || subkeyLength > MAX_KEY_BYTES) {
    throw malformedHash(
      LABEL,
      `after the ${saltLength}-byte salt the subkey must be ${MIN_SUBKEY_BYTES}–${MAX_KEY_BYTES} bytes, ` +
        `got ${subkeyLength}`,
    );
  }
  assertPbkdf2Cost(LABEL, iterations, subkeyLength, digest);
  return {
    digest,
    iterations,
    salt: payload.subarray(HEADER_BYTES, HEADER_BYTES + saltLength),
    subkey: payload.subarray(HEADER_BYTES + saltLength),
  };
}

export const aspnetIdentityV3: HashFamily = {
  name: LABEL,
  /** 0x01 and a PRF below 256 (its first three bytes zero) encode as "AQAAAA". */
  detect(input: LegacyHashInput): boolean {
    return typeof input === 'string' && input.startsWith('AQAAAA');
  },
  parse(input: LegacyHashInput) {
    if (typeof input !== 'string') throw malformedHash(LABEL, 'expected a string');
    read(input);
    return { scheme: LABEL, format: LABEL, encoded: input };
  },
  async verify(encoded: string, password: string): Promise<boolean> {
    const { digest, iterations, salt, subkey } = read(encoded);
    const derived = await derivePbkdf2(passwordBytes(password), salt, iterations, subkey.length, digest);
    return bytesEqual(derived, subkey);
  },
};
