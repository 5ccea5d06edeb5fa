import { createShaCryptFamily, type ShaCryptVariant } from './sha-crypt.ts';

/** "$6$": SHA-512 crypt, 86 characters of hash. */
export const SHA512_CRYPT: ShaCryptVariant = {
  name: 'sha512-crypt',
  magic: '$6$',
  algorithm: 'sha512',
  digestBytes: 64,
  hashChars: 86,
  // The spec's output step for SHA-512: b64_from_24bit(alt_result[0], alt_result[21], alt_result[42], 4) ...
  // ending with b64_from_24bit(0, 0, alt_result[63], 2).
  groups: [
    [0, 21, 42], [22, 43, 1], [44, 2, 23], [3, 24, 45], [25, 46, 4], [47, 5, 26], [6, 27, 48],
    [28, 49, 7], [50, 8, 29], [9, 30, 51], [31, 52, 10], [53, 11, 32], [12, 33, 54], [34, 55, 13],
    [56, 14, 35], [15, 36, 57], [37, 58, 16], [59, 17, 38], [18, 39, 60], [40, 61, 19], [62, 20, 41], [63],
  ],
};

export const sha512CryptFamily = createShaCryptFamily(SHA512_CRYPT);
