/*
 * DES (FIPS 46-3) as crypt(3) uses it: the block cipher with the salt's perturbation of the E expansion, in the
 * structure of FreeSec's crypt-des.c (FreeBSD, glibc's and libxcrypt's "des" and "bsdicrypt"). Tables are the
 * standard's, bits numbered 1–64 from the most significant, as it numbers them. Only for verifying legacy hashes.
 */
const IP = [
  58, 50, 42, 34, 26, 18, 10, 2, 60, 52, 44, 36, 28, 20, 12, 4, 62, 54, 46, 38, 30, 22, 14, 6, 64, 56, 48, 40, 32, 24, 16, 8,
  57, 49, 41, 33, 25, 17, 9, 1, 59, 51, 43, 35, 27, 19, 11, 3, 61, 53, 45, 37, 29, 21, 13, 5, 63, 55, 47, 39, 31, 23, 15, 7,
];
const FP = [
  40, 8, 48, 16, 56, 24, 64, 32, 39, 7, 47, 15, 55, 23, 63, 31, 38, 6, 46, 14, 54, 22, 62, 30, 37, 5, 45, 13, 53, 21, 61, 29,
  36, 4, 44, 12, 52, 20, 60, 28, 35, 3, 43, 11, 51, 19, 59, 27, 34, 2, 42, 10, 50, 18, 58, 26, 33, 1, 41, 9, 49, 17, 57, 25,
];
const P = [16, 7, 20, 21, 29, 12, 28, 17, 1, 15, 23, 26, 5, 18, 31, 10, 2, 8, 24, 14, 32, 27, 3, 9, 19, 13, 30, 6, 22, 11, 4, 25];
const PC1 = [
  57, 49, 41, 33, 25, 17, 9, 1, 58, 50, 42, 34, 26, 18, 10, 2, 59, 51, 43, 35, 27, 19, 11, 3, 60, 52, 44, 36,
  63, 55, 47, 39, 31, 23, 15, 7, 62, 54, 46, 38, 30, 22, 14, 6, 61, 53, 45, 37, 29, 21, 13, 5, 28, 20, 12, 4,
];
const PC2 = [
  14, 17, 11, 24, 1, 5, 3, 28, 15, 6, 21, 10, 23, 19, 12, 4, 26, 8, 16, 7, 27, 20, 13, 2,
  41, 52, 31, 37, 47, 55, 30, 40, 51, 45, 33, 48, 44, 49, 39, 56, 34, 53, 46, 42, 50, 36, 29, 32,
];
const SHIFTS = [1, 1, 2, 2, 2, 2, 2, 2, 1, 2, 2, 2, 2, 2, 2, 1];
const S_BOXES = [
  [14, 4, 13, 1, 2, 15, 11, 8, 3, 10, 6, 12, 5, 9, 0, 7, 0, 15, 7, 4, 14, 2, 13, 1, 10, 6, 12, 11, 9, 5, 3, 8,
    4, 1, 14, 8, 13, 6, 2, 11, 15, 12, 9, 7, 3, 10, 5, 0, 15, 12, 8, 2, 4, 9, 1, 7, 5, 11, 3, 14, 10, 0, 6, 13],
  [15, 1, 8, 14, 6, 11, 3, 4, 9, 7, 2, 13, 12, 0, 5, 10, 3, 13, 4, 7, 15, 2, 8, 14, 12, 0, 1, 10, 6, 9, 11, 5,
    0, 14, 7, 11, 10, 4, 13, 1, 5, 8, 12, 6, 9, 3, 2, 15, 13, 8, 10, 1, 3, 15, 4, 2, 11, 6, 7, 12, 0, 5, 14, 9],
  [10, 0, 9, 14, 6, 3, 15, 5, 1, 13, 12, 7, 11, 4, 2, 8, 13, 7, 0, 9, 3, 4, 6, 10, 2, 8, 5, 14, 12, 11, 15, 1,
    13, 6, 4, 9, 8, 15, 3, 0, 11, 1, 2, 12, 5, 10, 14, 7, 1, 10, 13, 0, 6, 9, 8, 7, 4, 15, 14, 3, 11, 5, 2, 12],
  [7, 13, 14, 3, 0, 6, 9, 10, 1, 2, 8, 5, 11, 12, 4, 15, 13, 8, 11, 5, 6, 15, 0, 3, 4, 7, 2, 12, 1, 10, 14, 9,
    10, 6, 9, 0, 12, 11, 7, 13, 15, 1, 3, 14, 5, 2, 8, 4, 3, 15, 0, 6, 10, 1, 13, 8, 9, 4, 5, 11, 12, 7, 2, 14],
  [2, 12, 4, 1, 7, 10, 11, 6, 8, 5, 3, 15, 13, 0, 14, 9, 14, 11, 2, 12, 4, 7, 13, 1, 5, 0, 15, 10, 3, 9, 8, 6,
    4, 2, 1, 11, 10, 13, 7, 8, 15, 9, 12, 5, 6, 3, 0, 14, 11, 8, 12, 7, 1, 14, 2, 13, 6, 15, 0, 9, 10, 4, 5, 3],
  [12, 1, 10, 15, 9, 2, 6, 8, 0, 13, 3, 4, 14, 7, 5, 11, 10, 15, 4, 2, 7, 12, 9, 5, 6, 1, 13, 14, 0, 11, 3, 8,
    9, 14, 15, 5, 2, 8, 12, 3, 7, 0, 4, 10, 1, 13, 11, 6, 4, 3, 2, 12, 9, 5, 15, 10, 11, 14, 1, 7, 6, 0, 8, 13],
  [4, 11, 2, 14, 15, 0, 8, 13, 3, 12, 9, 7, 5, 10, 6, 1, 13, 0, 11, 7, 4, 9, 1, 10, 14, 3, 5, 12, 2, 15, 8, 6,
    1, 4, 11, 13, 12, 3, 7, 14, 10, 15, 6, 8, 0, 5, 9, 2, 6, 11, 13, 8, 1, 4, 10, 7, 9, 5, 0, 15, 14, 2, 3, 12],
  [13, 2, 8, 4, 6, 15, 11, 1, 10, 9, 3, 14, 5, 0, 12, 7, 1, 15, 13, 8, 10, 3, 7, 4, 12, 5, 6, 11, 0, 14, 9, 2,
    7, 11, 4, 1, 9, 12, 14, 2, 0, 6, 10, 13, 15, 3, 5, 8, 2, 1, 14, 7, 4, 10, 8, 13, 15, 12, 9, 0, 3, 5, 6, 11],
];

/** A 64-bit block as two 32-bit halves: `hi` holds bits 1–32. */
export interface Block {
  hi: number;
  lo: number;
}

function bit(block: Block, position: number): number {
  return position <= 32 ? (block.hi >>> (32 - position)) & 1 : (block.lo >>> (64 - position)) & 1;
}

function permute64(block: Block, table: readonly number[]): Block {
  let hi = 0;
  let lo = 0;
  for (let i = 0; i < 32; i++) hi = (hi << 1) | bit(block, table[i]!);
  for (let i = 32; i < 64; i++) lo = (lo << 1) | bit(block, table[i]!);
  return { hi: hi >>> 0, lo: lo >>> 0 };
}

/** SP[j][x]: S-box j+1 of the 6-bit input x (row from its outer bits, column from the inner four), then P. */
const SP: Uint32Array[] = S_BOXES.map((box, j) => {
  const table = new Uint32Array(64);
  for (let x = 0; x < 64; x++) {
    const s = box[(((x >> 4) & 2) | (x & 1)) * 16 + ((x >> 1) & 15)]!;
    const placed = s << (28 - 4 * j); // S-box j's four output bits are bits 4j+1 … 4j+4 of f's input to P
    let out = 0;
    for (let i = 0; i < 32; i++) out = (out << 1) | ((placed >>> (32 - P[i]!)) & 1);
    table[x] = out >>> 0;
  }
  return table;
});

/** The 16 round keys, each as the two 24-bit halves of PC2's 48 bits. */
export type KeySchedule = Uint32Array;

export function keySchedule(key: Block): KeySchedule {
  let c = 0;
  let d = 0;
  for (let i = 0; i < 28; i++) c = (c << 1) | bit(key, PC1[i]!);
  for (let i = 28; i < 56; i++) d = (d << 1) | bit(key, PC1[i]!);
  const keys = new Uint32Array(32);
  for (let round = 0; round < 16; round++) {
    for (let s = 0; s < SHIFTS[round]!; s++) {
      c = ((c << 1) | (c >>> 27)) & 0xfffffff;
      d = ((d << 1) | (d >>> 27)) & 0xfffffff;
    }
    const cd = (position: number) => (position <= 28 ? (c >>> (28 - position)) & 1 : (d >>> (56 - position)) & 1);
    let left = 0;
    let right = 0;
    for (let i = 0; i < 24; i++) left = (left << 1) | cd(PC2[i]!);
    for (let i = 24; i < 48; i++) right = (right << 1) | cd(PC2[i]!);
    keys[2 * round] = left;
    keys[2 * round + 1] = right;
  }
  return keys;
}

/**
 * crypt-des.c setup_salt: salt bit i (least significant first) swaps bits i+1 and i+25 of the E expansion, so
 * it becomes a mask over each 24-bit half with bit 0 at the top.
 */
export function saltMask(salt: number): number {
  let mask = 0;
  for (let i = 0; i < 24; i++) if (salt & (1 << i)) mask |= 0x800000 >>> i;
  return mask;
}

/** E's eight 6-bit groups of R as one 24-bit half: groups 4·half … 4·half+3 (group j is bits 4j … 4j+5, circular). */
function expandHalf(r: number, half: 0 | 1): number {
  let out = 0;
  for (let j = 4 * half; j < 4 * half + 4; j++) {
    const shift = 27 - 4 * j;
    const rotated = shift >= 0 ? (r >>> shift) | (r << (32 - shift)) : (r << -shift) | (r >>> (32 + shift));
    out = (out << 6) | (rotated & 0x3f);
  }
  return out;
}

/** crypt-des.c do_des: IP, `count` times the 16 rounds (with the salt's E perturbation), FP. */
export function desEncrypt(block: Block, keys: KeySchedule, mask: number, count: number): Block {
  const permuted = permute64(block, IP);
  let l = permuted.hi;
  let r = permuted.lo;
  for (let n = 0; n < count; n++) {
    for (let round = 0; round < 16; round++) {
      let el = expandHalf(r, 0);
      let er = expandHalf(r, 1);
      const swap = (el ^ er) & mask;
      el ^= swap ^ keys[2 * round]!;
      er ^= swap ^ keys[2 * round + 1]!;
      const f =
        SP[0]![(el >>> 18) & 0x3f]! | SP[1]![(el >>> 12) & 0x3f]! | SP[2]![(el >>> 6) & 0x3f]! | SP[3]![el & 0x3f]! |
        SP[4]![(er >>> 18) & 0x3f]! | SP[5]![(er >>> 12) & 0x3f]! | SP[6]![(er >>> 6) & 0x3f]! | SP[7]![er & 0x3f]!;
      const next = (l ^ f) >>> 0;
      l = r;
      r = next;
    }
    [l, r] = [r, l]; // the pre-output swap; the next pass starts from it, as do_des does
  }
  return permute64({ hi: l >>> 0, lo: r >>> 0 }, FP);
}
