import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { BLOWFISH_PI_WORDS } from './blowfish-pi-words.ts';

/**
 * bcrypt's EksBlowfish exactly as Openwall's crypt_blowfish 1.3 computes it (the code PHP bundles; libxcrypt and
 * Apache's APR, behind htpasswd -B, carry copies of it), including its two compatibility modes:
 *
 * - `$2x$`: the sign-extension bug of crypt_blowfish < 1.1, which ORed `(signed char)` password bytes into the key.
 * - `$2a$`: the "safety" countermeasure, which flips bit 16 of the first initial key word, only when a sign extension
 *   happened but the buggy and correct keys came out identical. That needs a 0xff byte before a high byte in one
 *   word, and 0xff never occurs in UTF-8, so for text passwords `$2a$` equals `$2b$`/`$2y$` (and OpenBSD's `$2a$`).
 *
 * The key is the password as a C string: it ends at the first NUL, its terminating NUL counts, and it repeats until
 * 72 bytes (18 words) are read — which is why bytes after the 72nd are ignored.
 */
export type BcryptMinor = 'a' | 'b' | 'x' | 'y';

/** crypt_blowfish `flags_by_subtype`: bit 0 = emulate the bug, bit 1 = apply the safety measure. */
const FLAGS: Record<BcryptMinor, number> = { a: 2, b: 4, x: 1, y: 4 };

/** "OrpheanBeholderScryDoubt" as six big-endian words (crypt_blowfish `BF_magic_w`). */
const MAGIC = [0x4f727068, 0x65616e42, 0x65686f6c, 0x64657253, 0x63727944, 0x6f756274];

/** Main-loop rounds between two yields to the event loop, so cost 12+ does not stall other requests. */
const ROUNDS_PER_SLICE = 32;

/** Returns the 23 hash bytes that follow the salt in a bcrypt string (crypt_blowfish encodes 23 of the 24). */
export async function eksBlowfish(
  password: Uint8Array,
  salt: Uint8Array,
  cost: number,
  minor: BcryptMinor,
): Promise<Buffer> {
  const { initial, expanded } = setKey(password, FLAGS[minor]);
  const state = new Int32Array(BLOWFISH_PI_WORDS.buffer.slice(0));
  const saltBytes = Buffer.from(salt.buffer, salt.byteOffset, 16);
  const saltWords = Int32Array.from([0, 4, 8, 12], (offset) => saltBytes.readInt32BE(offset));
  const block = new Int32Array(2);

  state.set(initial);
  // Expand the salt into P and S, chaining: block k XORs in salt words (2k mod 4) and (2k + 1 mod 4).
  for (let k = 0; k < 521; k++) {
    block[0]! ^= saltWords[(2 * k) & 3]!;
    block[1]! ^= saltWords[(2 * k + 1) & 3]!;
    encipher(state, block);
    state[2 * k] = block[0]!;
    state[2 * k + 1] = block[1]!;
  }
  for (let round = 1; round <= 2 ** cost; round++) {
    for (let i = 0; i < 18; i++) state[i]! ^= expanded[i]!;
    rekey(state, block);
    for (let i = 0; i < 18; i++) state[i]! ^= saltWords[i & 3]!;
    rekey(state, block);
    if (round % ROUNDS_PER_SLICE === 0) await yieldToEventLoop();
  }
  const output = Buffer.alloc(24);
  for (let i = 0; i < 6; i += 2) {
    block[0] = MAGIC[i]!;
    block[1] = MAGIC[i + 1]!;
    for (let n = 0; n < 64; n++) encipher(state, block);
    output.writeInt32BE(block[0]!, i * 4);
    output.writeInt32BE(block[1]!, i * 4 + 4);
  }
  return output.subarray(0, 23);
}

/** crypt_blowfish `BF_set_key`: the expanded key (used every round) and the initial P-array (P ^ key, + safety). */
function setKey(password: Uint8Array, flags: number) {
  const nul = password.indexOf(0);
  const key = nul < 0 ? password : password.subarray(0, nul);
  const bug = flags & 1;
  const safety = (flags & 2) << 15;
  const expanded = new Int32Array(18);
  const initial = new Int32Array(18);
  let position = 0;
  let sign = 0;
  let diff = 0;
  for (let i = 0; i < 18; i++) {
    let correct = 0;
    let buggy = 0;
    for (let j = 0; j < 4; j++) {
      const byte = position < key.length ? key[position]! : 0;
      correct = (correct << 8) | byte;
      buggy = (buggy << 8) | (byte >= 0x80 ? byte | ~0xff : byte); // (BF_word_signed)(signed char)*ptr
      if (j > 0) sign |= buggy & 0x80;
      position = position < key.length ? position + 1 : 0; // the NUL is read once, then the key restarts
    }
    diff |= correct ^ buggy;
    expanded[i] = bug ? buggy : correct;
    initial[i] = BLOWFISH_PI_WORDS[i]! ^ expanded[i]!;
  }
  diff |= diff >>> 16; // still zero iff exact match
  diff &= 0xffff;
  diff += 0xffff; // bit 16 set iff the buggy and correct keys differ
  sign <<= 9; // the non-benign sign extension flag, moved to bit 16
  initial[0]! ^= sign & ~diff & safety;
  return { initial, expanded };
}

/** Re-encrypts P and S in place, chaining from a zero block (crypt_blowfish `BF_body`). */
function rekey(state: Int32Array, block: Int32Array): void {
  block[0] = 0;
  block[1] = 0;
  for (let i = 0; i < 1042; i += 2) {
    encipher(state, block);
    state[i] = block[0]!;
    state[i + 1] = block[1]!;
  }
}

/** One Blowfish block encryption with P = state[0..17] and S0..S3 = state[18..1041]. */
function encipher(state: Int32Array, block: Int32Array): void {
  let left = block[0]! ^ state[0]!;
  let right = block[1]!;
  for (let i = 1; i < 17; i += 2) {
    right ^= feistel(state, left) ^ state[i]!;
    left ^= feistel(state, right) ^ state[i + 1]!;
  }
  block[0] = right ^ state[17]!;
  block[1] = left;
}

/** F(x) = ((S0[a] + S1[b]) ^ S2[c]) + S3[d], modulo 2^32. */
function feistel(state: Int32Array, x: number): number {
  const sum = (state[18 + (x >>> 24)]! + state[274 + ((x >>> 16) & 0xff)]!) | 0;
  return ((sum ^ state[530 + ((x >>> 8) & 0xff)]!) + state[786 + (x & 0xff)]!) | 0;
}
