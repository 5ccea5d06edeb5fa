/**
 * sha-crypt's step 21 (the rounds loop) as WebAssembly, written out by this file when a thread first needs it: no
 * binary is committed, the module is these instructions. A node:crypto call per round costs about 1 µs of overhead for
 * a 1 µs block, and the rounds are all of sha-crypt's time, so the loop runs here with the SHA-2 compression
 * unrolled and the C digest kept in locals (docs/benchmarks.md has the figures).
 *
 * What the module does, for SHA-512 (words are i64, 80 steps, 128-byte blocks) and SHA-256 (i32, 64, 64 bytes):
 *   run(table, entry, count, c): `count` times: take table entry `entry` (a round's message layout, see
 *   sha-crypt.ts), write the digest C into its slot, hash the layout's blocks (already padded) from the initial
 *   value, and the result is the new C; then the next entry, modulo 42 (the rounds' layouts repeat every 2·3·7).
 *   C is read from and written back to `c`, big-endian, as the digest's bytes.
 * Exactness is checked by the tests against node:crypto (sha-crypt.test.ts).
 */

export type ShaBits = 256 | 512;

export const TABLE_ENTRIES = 42;
/** One table entry: the address C goes to, the address of the layout's first block, the number of blocks (i32 each). */
export const TABLE_ENTRY_BYTES = 12;

interface Sha2Shape {
  /** Bytes in a word (4 or 8). */
  wordBytes: 4 | 8;
  steps: 64 | 80;
  /** Σ0, Σ1, σ0, σ1 as FIPS 180-4 defines them: [rotr, rotr, rotr] and [rotr, rotr, shr]. */
  bigSigma0: [number, number, number];
  bigSigma1: [number, number, number];
  smallSigma0: [number, number, number];
  smallSigma1: [number, number, number];
}

const SHAPES: Record<ShaBits, Sha2Shape> = {
  256: { wordBytes: 4, steps: 64, bigSigma0: [2, 13, 22], bigSigma1: [6, 11, 25], smallSigma0: [7, 18, 3], smallSigma1: [17, 19, 10] },
  512: { wordBytes: 8, steps: 80, bigSigma0: [28, 34, 39], bigSigma1: [14, 18, 41], smallSigma0: [1, 8, 7], smallSigma1: [19, 61, 6] },
};

export function blockBytes(bits: ShaBits): number {
  return SHAPES[bits].wordBytes * 16;
}

// ---- The constants, computed as FIPS 180-4 §4.2 and §5.3 define them, rather than copied as tables. ----

function primes(count: number): number[] {
  const found: number[] = [];
  for (let n = 2; found.length < count; n++) if (found.every((p) => n % p !== 0)) found.push(n);
  return found;
}

/** ⌊x^(1/n)⌋ for a non-negative BigInt, by Newton's method from above. */
function integerRoot(x: bigint, n: bigint): bigint {
  if (x < 2n) return x;
  let guess = 1n << (BigInt(x.toString(2).length) / n + 1n);
  for (;;) {
    const next = ((n - 1n) * guess + x / guess ** (n - 1n)) / n;
    if (next >= guess) return guess;
    guess = next;
  }
}

/** The first `bitsOut` bits of the fractional part of the n-th root of each of the first `count` primes. */
function rootFractions(count: number, n: bigint, bitsOut: bigint): bigint[] {
  const mask = (1n << bitsOut) - 1n;
  return primes(count).map((p) => integerRoot(BigInt(p) << (bitsOut * n), n) & mask);
}

/** K: cube roots of the first 64 (SHA-256) or 80 (SHA-512) primes. */
export function roundConstants(bits: ShaBits): bigint[] {
  const shape = SHAPES[bits];
  return rootFractions(shape.steps, 3n, BigInt(shape.wordBytes * 8));
}

/** H(0): square roots of the first 8 primes. */
export function initialHash(bits: ShaBits): bigint[] {
  return rootFractions(8, 2n, BigInt(SHAPES[bits].wordBytes * 8));
}

// ---- A small WebAssembly encoder: just what the module below needs. ----

function unsignedLeb(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}

function signedLeb(value: bigint): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = Number(value & 0x7fn);
    value >>= 7n;
    const done = (value === 0n && (byte & 0x40) === 0) || (value === -1n && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

const bytesOf = (text: string) => [...Buffer.from(text, 'utf8')];
const vector = (items: number[][]) => [...unsignedLeb(items.length), ...items.flat()];
const section = (id: number, body: number[]) => [id, ...unsignedLeb(body.length), ...body];

const I32 = 0x7f;
const I64 = 0x7e;
const op = {
  block: 0x02, loop: 0x03, end: 0x0b, br: 0x0c, brIf: 0x0d, select: 0x1b, void: 0x40,
  localGet: 0x20, localSet: 0x21, localTee: 0x22,
  i32Load: 0x28, i64Load: 0x29, i32Store: 0x36, i64Store: 0x37,
  i32Const: 0x41, i64Const: 0x42,
  i32Eqz: 0x45, i32Eq: 0x46, i32Add: 0x6a, i32Sub: 0x6b, i32Mul: 0x6c,
} as const;

/** The word-typed instructions, i32 for SHA-256 and i64 for SHA-512. */
function wordOps(wordBytes: 4 | 8) {
  const wide = wordBytes === 8;
  return {
    type: wide ? I64 : I32,
    load: wide ? op.i64Load : op.i32Load,
    store: wide ? op.i64Store : op.i32Store,
    align: wide ? 3 : 2,
    constant: (value: bigint) => [wide ? op.i64Const : op.i32Const, ...signedLeb(BigInt.asIntN(wordBytes * 8, value))],
    add: wide ? 0x7c : 0x6a,
    and: wide ? 0x83 : 0x71,
    or: wide ? 0x84 : 0x72,
    xor: wide ? 0x85 : 0x73,
    shl: wide ? 0x86 : 0x74,
    shrU: wide ? 0x88 : 0x76,
    rotl: wide ? 0x89 : 0x77,
    rotr: wide ? 0x8a : 0x78,
  };
}

/**
 * The module's bytes. Locals of `run`: 0 table, 1 entry, 2 count, 3 c (i32 parameters); 4 at, 5 block, 6 blocks
 * (i32); then words: 8 for the chaining value (which is C between rounds), 8 working variables, 16 for the message
 * schedule, and one temporary.
 */
export function shaCryptRoundsModule(bits: ShaBits): Uint8Array<ArrayBuffer> {
  const shape = SHAPES[bits];
  const w = wordOps(shape.wordBytes);
  const wb = shape.wordBytes;
  const [TABLE, ENTRY, COUNT, C, AT, BLOCK, BLOCKS] = [0, 1, 2, 3, 4, 5, 6];
  const H = 7; // H..H+7: chaining value
  const V = H + 8; // V..V+7: working variables a..h, renamed each step instead of moved
  const M = V + 8; // M..M+15: message schedule, W[t] in M + t % 16
  const T = M + 16; // temporary
  const code: number[] = [];
  const emit = (...bytes: (number | number[])[]) => { for (const b of bytes) typeof b === 'number' ? code.push(b) : code.push(...b); };
  const get = (local: number) => [op.localGet, ...unsignedLeb(local)];
  const set = (local: number) => [op.localSet, ...unsignedLeb(local)];
  const tee = (local: number) => [op.localTee, ...unsignedLeb(local)];
  const memarg = (align: number, offset: number) => [...unsignedLeb(align), ...unsignedLeb(offset)];
  const wconst = (n: number) => w.constant(BigInt(n));

  /** Byte-swaps the word on the stack (WebAssembly memory is little-endian, SHA-2 big-endian). Uses T. */
  const byteSwap = (): number[] => {
    if (wb === 4) {
      // rotl(x & 0xff00ff00, 8) | rotr(x & 0x00ff00ff, 8)
      return [...tee(T), ...wconst(0xff00ff00), w.and, ...wconst(8), w.rotl,
        ...get(T), ...wconst(0x00ff00ff), w.and, ...wconst(8), w.rotr, w.or];
    }
    const swapPairs = (mask: bigint, shift: number) => [
      ...tee(T), ...wconst(shift), w.shrU, ...w.constant(mask), w.and,
      ...get(T), ...w.constant(mask), w.and, ...wconst(shift), w.shl, w.or,
    ];
    return [...swapPairs(0x00ff00ff00ff00ffn, 8), ...swapPairs(0x0000ffff0000ffffn, 16), ...wconst(32), w.rotl];
  };

  /** rotr(x, r0) ^ rotr(x, r1) ^ (rotr or shr)(x, r2), of local x. */
  const sigma = (x: number, [r0, r1, r2]: [number, number, number], lastShift: boolean) => [
    ...get(x), ...wconst(r0), w.rotr, ...get(x), ...wconst(r1), w.rotr, w.xor,
    ...get(x), ...wconst(r2), lastShift ? w.shrU : w.rotr, w.xor,
  ];

  const K = roundConstants(bits);
  const IV = initialHash(bits);

  // C from memory into the chaining value.
  for (let i = 0; i < 8; i++) emit(get(C), w.load, memarg(w.align, i * wb), byteSwap(), set(H + i));
  emit(op.block, op.void, op.loop, op.void);
  emit(get(COUNT), op.i32Eqz, op.brIf, 1);
  // at = table + entry * 12
  emit(get(TABLE), get(ENTRY), op.i32Const, ...signedLeb(BigInt(TABLE_ENTRY_BYTES)), op.i32Mul, op.i32Add, set(AT));
  // C into its slot in the layout (unaligned stores: align hint 0).
  for (let i = 0; i < 8; i++) {
    emit(get(AT), op.i32Load, memarg(2, 0), get(H + i), byteSwap(), w.store, memarg(0, i * wb));
  }
  emit(get(AT), op.i32Load, memarg(2, 4), set(BLOCK));
  emit(get(AT), op.i32Load, memarg(2, 8), set(BLOCKS));
  for (let i = 0; i < 8; i++) emit(w.constant(IV[i]!), set(H + i));
  emit(op.loop, op.void);
  {
    for (let i = 0; i < 8; i++) emit(get(H + i), set(V + i));
    for (let j = 0; j < 16; j++) emit(get(BLOCK), w.load, memarg(w.align, j * wb), byteSwap(), set(M + j));
    for (let t = 0; t < shape.steps; t++) {
      const role = (k: number) => V + ((k - t + 8 * shape.steps) % 8);
      const [a, b, c, d, e, f, g, h] = [0, 1, 2, 3, 4, 5, 6, 7].map(role) as [number, number, number, number, number, number, number, number];
      const wt = M + (t % 16);
      if (t >= 16) {
        // W[t] = σ1(W[t-2]) + W[t-7] + σ0(W[t-15]) + W[t-16]
        emit(sigma(M + ((t - 2) % 16), shape.smallSigma1, true), get(M + ((t - 7) % 16)), w.add);
        emit(sigma(M + ((t - 15) % 16), shape.smallSigma0, true), w.add, get(wt), w.add, set(wt));
      }
      // T1 = h + Σ1(e) + Ch(e, f, g) + K[t] + W[t], with Ch = g ^ (e & (f ^ g))
      emit(get(h), sigma(e, shape.bigSigma1, false), w.add);
      emit(get(g), get(e), get(f), get(g), w.xor, w.and, w.xor, w.add);
      emit(w.constant(K[t]!), w.add, get(wt), w.add, set(T));
      // d += T1 (the next step's e)
      emit(get(d), get(T), w.add, set(d));
      // h = T1 + Σ0(a) + Maj(a, b, c) (the next step's a), with Maj = (a & b) | (c & (a | b))
      emit(get(T), sigma(a, shape.bigSigma0, false), w.add);
      emit(get(a), get(b), w.and, get(c), get(a), get(b), w.or, w.and, w.or, w.add, set(h));
    }
    // steps is a multiple of 8, so the working variables are back in place.
    for (let i = 0; i < 8; i++) emit(get(H + i), get(V + i), w.add, set(H + i));
    emit(get(BLOCK), op.i32Const, ...signedLeb(BigInt(wb * 16)), op.i32Add, set(BLOCK));
    emit(get(BLOCKS), op.i32Const, 1, op.i32Sub, tee(BLOCKS), op.brIf, 0);
  }
  emit(op.end);
  // entry = entry + 1 == 42 ? 0 : entry + 1; count -= 1
  emit(op.i32Const, 0, get(ENTRY), op.i32Const, 1, op.i32Add, tee(ENTRY), get(ENTRY));
  emit(op.i32Const, ...signedLeb(BigInt(TABLE_ENTRIES)), op.i32Eq, op.select, set(ENTRY)); // [0, e1, e1 == 42] → 0 or e1
  emit(get(COUNT), op.i32Const, 1, op.i32Sub, set(COUNT));
  emit(op.br, 0, op.end, op.end);
  // The chaining value back to memory as C.
  for (let i = 0; i < 8; i++) emit(get(C), get(H + i), byteSwap(), w.store, memarg(w.align, i * wb));
  emit(op.end);

  const locals = vector([[...unsignedLeb(3), I32], [...unsignedLeb(8 + 8 + 16 + 1), w.type]]);
  const body = [...locals, ...code];
  const module = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vector([[0x60, ...vector([[I32], [I32], [I32], [I32]]), ...vector([])]])),
    ...section(3, vector([[0]])),
    ...section(5, vector([[0x00, 1]])),
    ...section(7, vector([[...vector(bytesOf('run').map((b) => [b])), 0x00, 0], [...vector(bytesOf('memory').map((b) => [b])), 0x02, 0]])),
    ...section(10, vector([[...unsignedLeb(body.length), ...body]])),
  ];
  return new Uint8Array(module);
}

// ---- Driving the module: one instance per hash size and thread, made on first use. ----

interface RoundsEngine {
  memory: WebAssembly.Memory;
  run: (table: number, entry: number, count: number, c: number) => void;
}

const engines = new Map<ShaBits, RoundsEngine>();

function engine(bits: ShaBits): RoundsEngine {
  let made = engines.get(bits);
  if (!made) {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(shaCryptRoundsModule(bits)));
    const { memory, run } = instance.exports as unknown as RoundsEngine;
    made = { memory, run };
    engines.set(bits, made);
  }
  return made;
}

const TABLE_AT = 0;
const C_AT = 512; // after the 42 × 12 bytes of table
const LAYOUTS_AT = 640; // after C (64 bytes at most), block-aligned for both sizes
/**
 * Rounds per call into the module. V8 first runs a WebAssembly function from its baseline compiler and swaps in the
 * optimised code on a later call, so a check made of many short calls is fast after its first few milliseconds
 * even in a fresh worker; a call costs well under a microsecond.
 */
const ROUNDS_PER_CALL = 2048;

/**
 * Step 21 of the spec: `rounds` times, C = H([C or P] [S unless round % 3 == 0] [P unless round % 7 == 0] [P or C]),
 * C first on even rounds and last on odd ones. P and S never change, so each of the 8 layouts is laid out once,
 * padded as SHA-2 pads it, and a round only writes C into its slot.
 */
export function shaCryptRounds(bits: ShaBits, c: Uint8Array, p: Uint8Array, s: Uint8Array, rounds: number): Buffer {
  const digestBytes = bits / 8;
  const block = blockBytes(bits);
  const lengthField = block / 8; // 16 bytes of bit length for SHA-512, 8 for SHA-256
  if (c.length !== digestBytes) throw new Error(`sha-crypt rounds: C must be ${digestBytes} bytes`);
  const layouts = [];
  let at = LAYOUTS_AT;
  for (let pattern = 0; pattern < 8; pattern++) {
    const odd = (pattern & 1) !== 0;
    const length = digestBytes + (pattern & 2 ? s.length : 0) + (pattern & 4 ? p.length : 0) + p.length;
    const blocks = Math.ceil((length + 1 + lengthField) / block);
    layouts.push({ pattern, odd, at, length, blocks });
    at += blocks * block;
  }
  const { memory, run } = engine(bits);
  if (memory.buffer.byteLength < at) memory.grow(Math.ceil((at - memory.buffer.byteLength) / 65536));
  const bytes = new Uint8Array(memory.buffer);
  const view = new DataView(memory.buffer);
  const slots: number[] = [];
  for (const { pattern, odd, at: start, length, blocks } of layouts) {
    bytes.fill(0, start, start + blocks * block);
    let write = start;
    const put = (part: Uint8Array) => { bytes.set(part, write); write += part.length; };
    if (odd) put(p); else write += digestBytes;
    if (pattern & 2) put(s);
    if (pattern & 4) put(p);
    if (odd) write += digestBytes; else put(p);
    bytes[start + length] = 0x80;
    view.setBigUint64(start + blocks * block - 8, BigInt(length) * 8n, false);
    slots[pattern] = odd ? start + length - digestBytes : start;
  }
  for (let round = 0; round < TABLE_ENTRIES; round++) {
    const pattern = (round & 1) | (round % 3 ? 2 : 0) | (round % 7 ? 4 : 0);
    const entry = TABLE_AT + round * TABLE_ENTRY_BYTES;
    view.setInt32(entry, slots[pattern]!, true);
    view.setInt32(entry + 4, layouts[pattern]!.at, true);
    view.setInt32(entry + 8, layouts[pattern]!.blocks, true);
  }
  bytes.set(c, C_AT);
  try {
    for (let done = 0; done < rounds; done += ROUNDS_PER_CALL) {
      run(TABLE_AT, done % TABLE_ENTRIES, Math.min(ROUNDS_PER_CALL, rounds - done), C_AT);
    }
    return Buffer.from(bytes.subarray(C_AT, C_AT + digestBytes));
  } finally {
    // P, S and C come from the password: leave none of it in the module's memory.
    bytes.fill(0, 0, at);
  }
}
