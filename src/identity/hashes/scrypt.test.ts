import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DangerousHashParametersError, MalformedHashError } from './hash-errors.ts';
import type { HashFamily, LegacyHashInput } from './hash-family.ts';
import { scrypt } from './scrypt.ts';
import { werkzeugScrypt } from './werkzeug-scrypt.ts';
import { firebaseScrypt } from './firebase-scrypt.ts';
import { parseLegacyHash, verifyLegacyHash } from './registry.ts';
import { MODERN_FIXTURES } from '../../../test/fixtures/hashes/modern-fixtures.ts';

function assertRefused(family: HashFamily, input: LegacyHashInput, kind: 'malformed' | 'dangerous', reason: RegExp) {
  const type = kind === 'malformed' ? MalformedHashError : DangerousHashParametersError;
  assert.throws(
    () => family.parse(input),
    (error: unknown) => {
      assert.ok(error instanceof type, `${type.name} for ${JSON.stringify(input)}, got ${String(error)}`);
      assert.match(error.message, new RegExp(`^${kind} ${family.name} hash: `));
      assert.match(error.message, reason);
      return true;
    },
  );
}

const SALT = 'oZRybu3dm9N6r/X+v3dOKQ';
const KEY = 'OJu4WR2XquIFrUoWPSbPPPLW23pt4E0PWmU3qskfdrk';

describe('scrypt ($scrypt$ PHC strings)', () => {
  it('refuses malformed strings with a reason', () => {
    const cases: [string, RegExp][] = [
      [`$scrypt$ln=4,r=8,p=1$${SALT}`, /expected "\$scrypt\$<params>\$<salt>\$<hash>"/],
      [`$scrypt$r=8,ln=4,p=1$${SALT}$${KEY}`, /parameters must be "ln=…,r=…,p=…" or "n=…,r=…,p=…"/],
      [`$scrypt$N=16,r=8,p=1$${SALT}$${KEY}`, /parameters must be/],
      [`$scrypt$ln=04,r=8,p=1$${SALT}$${KEY}`, /without leading zeros/],
      [`$scrypt$ln=0,r=8,p=1$${SALT}$${KEY}`, /ln must be between 1 and 63, got 0/],
      [`$scrypt$n=1000,r=8,p=1$${SALT}$${KEY}`, /N must be a power of 2 above 1, got 1000/],
      [`$scrypt$ln=16,r=1,p=1$${SALT}$${KEY}`, /N must be below 2\^\(16·r\) = 2\^16/],
      [`$scrypt$ln=4,r=0,p=1$${SALT}$${KEY}`, /r must be a positive integer/],
      [`$scrypt$ln=4,r=8,p=1$${SALT}!$${KEY}`, /salt has characters outside/],
      [`$scrypt$ln=4,r=8,p=1$${SALT}$${KEY.slice(0, 20)}`, /hash must be 16 to 1024 bytes, got 15/],
      [`$scrypt$ln=4,r=8,p=1$${SALT}$${KEY.slice(0, -1)}l`, /hash has non-zero trailing bits/],
    ];
    for (const [input, reason] of cases) assertRefused(scrypt, input, 'malformed', reason);
  });

  it('refuses N above 2^20 and equivalent memory or work as dangerous', () => {
    assertRefused(scrypt, `$scrypt$ln=21,r=8,p=1$${SALT}$${KEY}`, 'dangerous', /N = 2\^21 is above .* 2\^20/);
    assertRefused(scrypt, `$scrypt$n=2097152,r=8,p=1$${SALT}$${KEY}`, 'dangerous', /2\^21/);
    assertRefused(scrypt, `$scrypt$ln=17,r=128,p=1$${SALT}$${KEY}`, 'dangerous', /bytes of memory/);
    assertRefused(scrypt, `$scrypt$ln=20,r=8,p=2$${SALT}$${KEY}`, 'dangerous', /N·r·p/);
    assert.equal(scrypt.parse(`$scrypt$ln=20,r=8,p=1$${SALT}$${KEY}`).format, 'scrypt');
  });
});

describe('Werkzeug scrypt', () => {
  const HEX = 'ab'.repeat(64);

  it('refuses malformed strings with a reason', () => {
    const cases: [string, RegExp][] = [
      [`scrypt:1024:8:1$salt`, /exactly two "\$"/],
      [`scrypt:1024:8$salt$${HEX}`, /method must be "scrypt" or "scrypt:<n>:<r>:<p>"/],
      [`scrypt:01024:8:1$salt$${HEX}`, /without leading zeros/],
      [`scrypt:1024:8:1$salt$${HEX.toUpperCase()}`, /128 lowercase hex characters/],
      [`scrypt:1024:8:1$salt$${HEX.slice(2)}`, /128 lowercase hex characters/],
      [`scrypt:1024:8:1$two words$${HEX}`, /salt must be at most 1024 printable ASCII/],
      [`scrypt:1000:8:1$salt$${HEX}`, /N must be a power of 2/],
      // Werkzeug passes maxmem = 132·N·r·p to hashlib: at N = 64, r = 8 OpenSSL needs more, and Werkzeug raises.
      [`scrypt:64:8:1$salt$${HEX}`, /maxmem of 132·N·r·p = 67584 bytes does not fit/],
    ];
    for (const [input, reason] of cases) assertRefused(werkzeugScrypt, input, 'malformed', reason);
  });

  it('refuses N above 2^20 as dangerous', () => {
    assertRefused(werkzeugScrypt, `scrypt:2097152:8:1$salt$${HEX}`, 'dangerous', /2\^21/);
  });
});

describe('Firebase scrypt', () => {
  const readme = MODERN_FIXTURES.find((f) => f.format === 'firebase-scrypt')!;
  const sample = readme.password_hash as Record<string, unknown>;

  it('stores canonical JSON: fixed key order, padded Base64, default separator filled in', () => {
    const { salt_separator: _separator, ...withoutSeparator } = sample;
    const reordered = Object.fromEntries(Object.entries({ ...withoutSeparator, rounds: '8' }).reverse());
    const encoded = firebaseScrypt.parse(reordered).encoded;
    assert.equal(encoded, firebaseScrypt.parse(sample).encoded);
    assert.deepEqual(Object.keys(JSON.parse(encoded)), [
      'algorithm', 'hash', 'salt', 'signer_key', 'salt_separator', 'rounds', 'mem_cost',
    ]);
    assert.equal(JSON.parse(encoded).salt_separator, 'Bw==');
  });

  it('verifies the README sample through the registry', async () => {
    const parsed = parseLegacyHash(sample);
    assert.equal(await verifyLegacyHash(parsed.scheme, parsed.encoded, 'user1password'), true);
    assert.equal(await verifyLegacyHash(parsed.scheme, parsed.encoded, 'user1password\n'), false);
    const otherSeparator = firebaseScrypt.parse({ ...sample, salt_separator: 'CA==' });
    assert.equal(await firebaseScrypt.verify(otherSeparator.encoded, 'user1password'), false);
  });

  it('refuses malformed objects with a reason', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ ...sample, saltSeparator: 'Bw==' }, /unknown key "saltSeparator"/],
      [{ ...sample, hash: undefined }, /hash is required/],
      [{ ...sample, hash: 42 }, /hash must be a string/],
      [{ ...sample, salt: '42xEC+ixf3L2lw=' }, /salt has the wrong amount of "=" padding/],
      [{ ...sample, signer_key: 'AAAA' }, /hash is 64 bytes but signer_key is 3/],
      [{ ...sample, rounds: 0 }, /rounds must be a positive integer/],
      [{ ...sample, mem_cost: 1.5 }, /mem_cost must be a positive integer/],
      [{ ...sample, rounds: 1, mem_cost: 16 }, /N must be below 2\^\(16·r\)/],
    ];
    for (const [input, reason] of cases) assertRefused(firebaseScrypt, input, 'malformed', reason);
    await assert.rejects(firebaseScrypt.verify('{"algorithm":', 'x'), /malformed firebase-scrypt hash: .* not JSON/);
  });

  it('refuses mem_cost above 20 and rounds of 32 or more as dangerous', () => {
    assertRefused(firebaseScrypt, { ...sample, mem_cost: 21 }, 'dangerous', /mem_cost 21/);
    assertRefused(firebaseScrypt, { ...sample, rounds: 32 }, 'dangerous', /rounds 32/);
  });
});
