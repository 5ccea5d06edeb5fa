import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { LegacyHashInput } from './hash-family.ts';
import { DangerousHashParametersError, MalformedHashError, UnsupportedHashError } from './hash-errors.ts';
import { families } from './families-modern.ts';
import { parseLegacyHash } from './registry.ts';
import { MODERN_FIXTURES } from '../../../test/fixtures/hashes/modern-fixtures.ts';

/**
 * Whatever an export row holds, parsing ends quickly in a result or one of the three hash errors — never a
 * TypeError, a RangeError from a Buffer, or a hang. Verification is not run here: parse is what every row meets.
 */
const PREFIXES = [
  '$2a$', '$2b$', '$2x$', '$2y$', '$2b$05$', '$argon2id$', '$argon2i$v=19$', '$argon2d$v=16$m=', '$scrypt$',
  '$scrypt$ln=', '$scrypt$n=', 'scrypt:', 'scrypt$', 'scrypt:1024:8:1$', 'argon2$', 'argon2$argon2id$v=19$',
  'bcrypt$', 'bcrypt$$2b$', 'bcrypt_sha256$', 'bcrypt_sha256$$2a$04$',
];
/** Characters that hash strings are made of, so generated garbage gets past the first checks more often. */
const HASH_CHARS = [...'$=,:.0123456789/+abcdefmnprtvxyzlACDORWZ_-é\u0000'];
const hashLike = fc.string({ unit: fc.constantFrom(...HASH_CHARS), maxLength: 120 });
const anyText = fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ maxLength: 200 }));

function parseEndsWell(input: LegacyHashInput): boolean {
  const started = performance.now();
  try {
    parseLegacyHash(input);
  } catch (error) {
    const allowed =
      error instanceof MalformedHashError ||
      error instanceof DangerousHashParametersError ||
      error instanceof UnsupportedHashError;
    assert.ok(allowed, `unexpected ${String(error)} for ${JSON.stringify(input)}`);
  }
  // A hang or a blow-up shows as seconds; 1 s leaves room for a GC pause on a loaded CI machine (100 ms did not).
  assert.ok(performance.now() - started < 1000, `parse took too long for ${JSON.stringify(input)}`);
  return true;
}

const FIXTURE_STRINGS = MODERN_FIXTURES.map((f) => f.password_hash).filter((h): h is string => typeof h === 'string');

describe('modern hash families under arbitrary input', { timeout: 60_000 }, () => {
  it('parse of any string throws only hash errors', () => {
    fc.assert(fc.property(anyText, parseEndsWell), { numRuns: 2000 });
  });

  it('parse of a known prefix followed by garbage throws only hash errors', () => {
    const prefixed = fc.tuple(fc.constantFrom(...PREFIXES), fc.oneof(hashLike, anyText)).map(([p, rest]) => p + rest);
    fc.assert(fc.property(prefixed, parseEndsWell), { numRuns: 3000 });
  });

  it('parse of a real hash with one character changed, added or removed throws only hash errors', () => {
    const mutated = fc
      .tuple(fc.constantFrom(...FIXTURE_STRINGS), fc.nat(), fc.constantFrom(...HASH_CHARS), fc.nat(2))
      .map(([hash, at, char, how]) => {
        const i = at % (hash.length + 1);
        return hash.slice(0, i) + (how === 2 ? '' : char) + hash.slice(how === 0 ? i : i + 1);
      });
    fc.assert(fc.property(mutated, parseEndsWell), { numRuns: 3000 });
  });

  it('parse of Firebase-like objects with arbitrary fields throws only hash errors', () => {
    const field = fc.oneof(fc.string({ maxLength: 40 }), fc.integer(), fc.double(), fc.constant(null), fc.anything());
    const objects = fc.record(
      {
        algorithm: fc.constant('firebase-scrypt'),
        hash: field,
        salt: field,
        signer_key: field,
        salt_separator: field,
        rounds: fc.oneof(fc.integer({ min: -2, max: 40 }), field),
        mem_cost: fc.oneof(fc.integer({ min: -2, max: 40 }), field),
      },
      { requiredKeys: ['algorithm'] },
    );
    fc.assert(fc.property(objects, (input) => parseEndsWell(input as Record<string, unknown>)), { numRuns: 2000 });
  });

  it('every family refuses input it does not detect only with hash errors when called directly', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        for (const family of families) {
          try {
            family.parse(text);
          } catch (error) {
            assert.ok(error instanceof MalformedHashError || error instanceof DangerousHashParametersError);
          }
        }
        return true;
      }),
      { numRuns: 500 },
    );
  });
});
