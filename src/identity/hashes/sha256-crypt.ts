import { createShaCryptFamily, type ShaCryptVariant } from './sha-crypt.ts';

/** "$5$": SHA-256 crypt, 43 characters of hash. */
export const SHA256_CRYPT: ShaCryptVariant = {
  name: 'sha256-crypt',
  magic: '$5$',
  algorithm: 'sha256',
  digestBytes: 32,
  hashChars: 43,
  // The spec's output step for SHA-256: b64_from_24bit(alt_result[0], alt_result[10], alt_result[20], 4) ...
  // ending with b64_from_24bit(0, alt_result[31], alt_result[30], 3).
  groups: [
    [0, 10, 20], [21, 1, 11], [12, 22, 2], [3, 13, 23], [24, 4, 14],
    [15, 25, 5], [6, 16, 26], [27, 7, 17], [18, 28, 8], [9, 19, 29], [31, 30],
  ],
};

export const sha256CryptFamily = createShaCryptFamily(SHA256_CRYPT);
