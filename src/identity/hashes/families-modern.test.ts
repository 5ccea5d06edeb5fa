import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { HashFamily, LegacyHashInput } from './hash-family.ts';
import { families } from './families-modern.ts';
import { listHashFamilies, parseLegacyHash, verifyLegacyHash } from './registry.ts';
import { bcryptMatches, parseBcryptString } from './bcrypt-hash-string.ts';
import { MODERN_FIXTURES, wrongPassword } from '../../../test/fixtures/hashes/modern-fixtures.ts';

function familyFor(input: LegacyHashInput): HashFamily {
  const claiming = families.filter((family) => family.detect(input));
  assert.equal(claiming.length, 1, `exactly one modern family should claim ${JSON.stringify(input)}`);
  return claiming[0]!;
}

function shortName(input: LegacyHashInput): string {
  const text = typeof input === 'string' ? input : JSON.stringify(input);
  return text.length > 48 ? `${text.slice(0, 48)}…` : text;
}

describe('modern hash fixtures (test/fixtures/hashes/modern.jsonl)', () => {
  it('cover every variant the families promise', () => {
    const hashes = MODERN_FIXTURES.map((f) => (typeof f.password_hash === 'string' ? f.password_hash : ''));
    const has = (pattern: RegExp) => hashes.some((hash) => pattern.test(hash));
    for (const prefix of ['$2a$', '$2b$', '$2x$', '$2y$', 'bcrypt$$2a$', 'bcrypt$$2b$', 'bcrypt_sha256$$2b$']) {
      assert.ok(hashes.some((hash) => hash.startsWith(prefix)), `a ${prefix} fixture`);
    }
    for (const variant of ['argon2id', 'argon2i', 'argon2d']) {
      assert.ok(has(new RegExp(`^\\$${variant}\\$v=19\\$`)), `${variant} with v=19`);
      assert.ok(has(new RegExp(`^\\$${variant}\\$(v=16\\$)?m=`)), `${variant} in version 1.0`);
    }
    assert.ok(has(/^\$argon2i\$m=/), 'argon2 without v=');
    assert.ok(has(/^\$argon2id\$v=19\$t=/), 'argon2 written t,m,p');
    assert.ok(has(/,data=/), 'argon2 with associated data');
    assert.ok(has(/^argon2\$argon2id\$/), 'Django argon2');
    assert.ok(has(/^\$scrypt\$ln=/) && has(/^\$scrypt\$n=/), 'both $scrypt$ spellings');
    assert.ok(has(/^scrypt:\d+:\d+:\d+\$/) && has(/^scrypt\$/), 'Werkzeug scrypt, with and without parameters');
    assert.ok(MODERN_FIXTURES.some((f) => f.format === 'firebase-scrypt'), 'Firebase scrypt');
    assert.ok(MODERN_FIXTURES.some((f) => f.password_hex !== undefined), 'byte-string bcrypt vectors');
    assert.ok(MODERN_FIXTURES.some((f) => /[^\x00-\x7f]/.test(f.password ?? '')), 'non-ASCII passwords');
  });

  it('list every family of this group in the registry', () => {
    for (const family of families) assert.ok(listHashFamilies().includes(family.name), family.name);
  });

  for (const fixture of MODERN_FIXTURES) {
    const { password } = fixture;
    if (password === undefined) continue;
    it(`${fixture.format} from ${fixture.tool}: ${shortName(fixture.password_hash)}`, async () => {
      const family = familyFor(fixture.password_hash);
      assert.equal(family.name, fixture.format);

      const parsed = parseLegacyHash(fixture.password_hash);
      assert.equal(parsed.format, fixture.format);
      assert.equal(parsed.scheme, family.name);
      if (typeof fixture.password_hash === 'string') assert.equal(parsed.encoded, fixture.password_hash);

      assert.equal(await verifyLegacyHash(parsed.scheme, parsed.encoded, password), true, 'right password');
      assert.equal(await family.verify(parsed.encoded, wrongPassword(password)), false, 'wrong password');
      if (fixture.equivalent_password !== undefined) {
        assert.equal(await family.verify(parsed.encoded, fixture.equivalent_password), true, 'the tool accepted it');
      }
    });
  }

  // crypt_blowfish's own vectors include bytes that are not UTF-8; they exercise the key schedule on raw bytes.
  for (const fixture of MODERN_FIXTURES) {
    const hex = fixture.password_hex;
    if (hex === undefined) continue;
    const title = `bcrypt bytes 0x${hex.slice(0, 16)}${hex.length > 16 ? '…' : ''}: ${fixture.password_hash as string}`;
    it(title, async () => {
      const parsed = parseBcryptString('bcrypt', fixture.password_hash as string);
      assert.equal(await bcryptMatches(parsed, Buffer.from(hex, 'hex')), true);
      // Not a one-bit change: under $2x$ a sign-extended byte overwrites the bytes before it in its word, so such
      // near misses can collide — the very weakness the published "\xff\xa3345" / "1\xa3345" pair shows.
      assert.equal(await bcryptMatches(parsed, Buffer.from('not the password')), false);
    });
  }
});
