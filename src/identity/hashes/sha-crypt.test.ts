import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { encodeCryptDigest } from './crypt-base64.ts';
import { DangerousHashParametersError } from './hash-errors.ts';
import { shaCrypt, type ShaCryptVariant } from './sha-crypt.ts';
import { initialHash, roundConstants, shaCryptRounds } from './sha-crypt-wasm.ts';
import { SHA256_CRYPT } from './sha256-crypt.ts';
import { SHA512_CRYPT } from './sha512-crypt.ts';

/**
 * The reference: Drepper's algorithm step by step on node:crypto, one hash object per step, as sha-crypt.ts did it
 * before its rounds moved to WebAssembly. The spec's vectors and the tools' fixtures are checked against
 * shaCrypt in families-crypt-ldap-phpass.test.ts; here the new code is compared with this one on random input.
 */
function referenceRounds(algorithm: string, c: Buffer, p: Buffer, s: Buffer, rounds: number): Buffer {
  for (let round = 0; round < rounds; round++) {
    const h = createHash(algorithm);
    h.update(round & 1 ? p : c);
    if (round % 3) h.update(s);
    if (round % 7) h.update(p);
    h.update(round & 1 ? c : p);
    c = h.digest();
  }
  return c;
}

function referenceShaCrypt(variant: ShaCryptVariant, password: string, salt: string, rounds: number): string {
  const { algorithm, digestBytes } = variant;
  const key = Buffer.from(password, 'utf8');
  const saltBytes = Buffer.from(salt, 'utf8');
  const b = createHash(algorithm).update(key).update(saltBytes).update(key).digest();
  const a = createHash(algorithm).update(key).update(saltBytes);
  for (let left = key.length; left > 0; left -= digestBytes) a.update(b.subarray(0, Math.min(left, digestBytes)));
  for (let bits = key.length; bits > 0; bits >>= 1) a.update(bits & 1 ? b : key);
  const c = a.digest();
  const dp = createHash(algorithm);
  for (let i = 0; i < key.length; i++) dp.update(key);
  const pDigest = dp.digest();
  const p = Buffer.concat(Array.from({ length: Math.ceil(key.length / digestBytes) }, () => pDigest)).subarray(0, key.length);
  const ds = createHash(algorithm);
  for (let i = 0; i < 16 + c[0]!; i++) ds.update(saltBytes);
  const sDigest = ds.digest();
  const s = Buffer.concat(Array.from({ length: Math.ceil(saltBytes.length / digestBytes) }, () => sDigest)).subarray(0, saltBytes.length);
  const digest = referenceRounds(algorithm, c, p, s, rounds);
  return `${variant.magic}rounds=${rounds}$${salt}$${encodeCryptDigest(digest, variant.groups)}`;
}

const VARIANTS = [SHA256_CRYPT, SHA512_CRYPT];

test('property: shaCrypt equals the step-by-step node:crypto reference for random passwords, salts and rounds', () => {
  const password = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 150 }));
  // A setting's salt is up to 16 UTF-16 units before any "$" (settingSalt); non-ASCII ones make it more than 16 bytes.
  const salt = fc.string({ unit: 'binary', maxLength: 16 }).filter((text) => text.length <= 16 && !text.includes('$'));
  const rounds = fc.integer({ min: 1000, max: 1400 });
  fc.assert(
    fc.property(fc.constantFrom(...VARIANTS), password, salt, rounds, (variant, pw, sl, n) => {
      assert.equal(shaCrypt(variant, pw, `${variant.magic}rounds=${n}$${sl}$`), referenceShaCrypt(variant, pw, sl, n));
    }),
    { numRuns: 150 },
  );
});

test('property: the rounds loop equals node:crypto for any P, S and C, across every padding boundary', () => {
  // P and S of any length put each of the 8 layouts at every length mod the block size, over 1 to 8 blocks.
  fc.assert(
    fc.property(
      fc.constantFrom(256 as const, 512 as const),
      fc.uint8Array({ maxLength: 300 }),
      fc.uint8Array({ maxLength: 60 }),
      fc.uint8Array({ minLength: 64, maxLength: 64 }),
      fc.integer({ min: 0, max: 90 }),
      (bits, p, s, c64, rounds) => {
        const c = Buffer.from(c64.subarray(0, bits / 8));
        const expected = referenceRounds(`sha${bits}`, c, Buffer.from(p), Buffer.from(s), rounds);
        assert.equal(shaCryptRounds(bits, c, p, s, rounds).toString('hex'), expected.toString('hex'));
      },
    ),
    { numRuns: 400 },
  );
});

test('a key longer than the module\'s first page of memory grows it, and gives the same hash', () => {
  const password = 'long password ✓ '.repeat(400); // 7,200 UTF-8 bytes: 8 layouts of up to 2 keys each
  for (const variant of VARIANTS) {
    assert.equal(shaCrypt(variant, password, `${variant.magic}rounds=1000$grow$`), referenceShaCrypt(variant, password, 'grow', 1000));
  }
  // and the memory works as before for a short key afterwards
  assert.equal(shaCrypt(SHA512_CRYPT, 'x', '$6$rounds=1001$after$'), referenceShaCrypt(SHA512_CRYPT, 'x', 'after', 1001));
});

test('rounds runs in chunks: a count that is not a multiple of the chunk or of 42 continues the round pattern', () => {
  const c = createHash('sha512').update('c').digest();
  const p = Buffer.from('pppppppp');
  const s = Buffer.from('ssssssssssssssss');
  for (const rounds of [2047, 2048, 2049, 4096 + 41, 6000]) {
    assert.equal(shaCryptRounds(512, c, p, s, rounds).toString('hex'), referenceRounds('sha512', c, p, s, rounds).toString('hex'), `rounds=${rounds}`);
  }
});

test("the constants are FIPS 180-4's: first and last of K and H(0)", () => {
  const hex = (values: bigint[]) => [values[0]!, values.at(-1)!].map((v) => v.toString(16));
  assert.deepEqual(hex(roundConstants(256)), ['428a2f98', 'c67178f2']);
  assert.deepEqual(hex(initialHash(256)), ['6a09e667', '5be0cd19']);
  assert.deepEqual(hex(roundConstants(512)), ['428a2f98d728ae22', '6c44198c4a475817']);
  assert.deepEqual(hex(initialHash(512)), ['6a09e667f3bcc908', '5be0cd19137e2179']);
  assert.equal(roundConstants(256).length, 64);
  assert.equal(roundConstants(512).length, 80);
});

test("the spec's clamping: rounds above 999,999,999 count as 999,999,999, which is over our limit", () => {
  // Drepper's spec caps rounds at 999,999,999 (ROUNDS_MAX in sha-crypt.ts); its rounds=10 → 1000 vector is in the
  // fixtures (families-crypt-ldap-phpass.test.ts).
  for (const variant of VARIANTS) {
    assert.throws(
      () => shaCrypt(variant, 'x', `${variant.magic}rounds=4000000000$salt$`),
      (error: unknown) => error instanceof DangerousHashParametersError && /999999999 rounds exceed the limit/.test(error.message),
    );
  }
});

test('the WebAssembly rounds take well under half the time of a node:crypto call per round', () => {
  // A guard against falling back to a call per round, not a benchmark (bench/sha-crypt.bench.ts is): both run in
  // this thread one after the other, the fastest of 3 each, so the machine's load falls on both.
  const c = createHash('sha512').update('c').digest();
  const p = Buffer.from('password');
  const s = Buffer.from('saltsaltsaltsalt');
  const time = (run: () => unknown) => {
    const runs: number[] = [];
    for (let i = 0; i < 3; i++) {
      const started = process.cpuUsage();
      run();
      const used = process.cpuUsage(started);
      runs.push(used.user + used.system);
    }
    return Math.min(...runs);
  };
  const ours = time(() => shaCryptRounds(512, c, p, s, 20_000));
  const reference = time(() => referenceRounds('sha512', c, p, s, 20_000));
  assert.ok(ours < reference / 2, `ours ${ours / 1000} ms, node:crypto per round ${reference / 1000} ms`);
});
