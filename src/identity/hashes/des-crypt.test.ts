import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { DangerousHashParametersError } from './hash-errors.ts';
import { parseLegacyHash, verifyLegacyHash } from './registry.ts';
import { assertMalformed } from './assert-malformed.test-helper.ts';
import { traditionalDesCryptFamily } from './traditional-des-crypt.ts';
import { bsdiDesCryptFamily } from './bsdi-des-crypt.ts';

/** des-crypt.jsonl (scripts/hash-fixtures/des-crypt.py): made by libxcrypt's crypt(3), Perl's crypt and hashcat. */
interface Fixture {
  format: 'des-crypt' | 'bsdi-crypt';
  tool: string;
  password: string;
  password_hash: string;
}

const FIXTURES: Fixture[] = readFileSync(new URL('../../../test/fixtures/hashes/des-crypt.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as Fixture);

/** Changes the first byte, the one both schemes always read. */
const wrong = (password: string) => (password.startsWith('#') ? `%${password.slice(1)}` : `#${password}`);

describe('DES crypt(3), checked against the system crypt(3) that made each vector', () => {
  it('has vectors from libxcrypt, Perl and hashcat for both forms', () => {
    for (const format of ['des-crypt', 'bsdi-crypt']) {
      for (const tool of [/^libxcrypt (?:1:)?4\.4/, /^perl's crypt/, /^hashcat/]) {
        assert.ok(FIXTURES.some((f) => f.format === format && tool.test(f.tool)), `${format} from ${tool}`);
      }
    }
    assert.ok(FIXTURES.some((f) => f.format === 'bsdi-crypt' && Buffer.byteLength(f.password) > 16), 'keys folded twice');
  });

  it('every vector parses, verifies, and a wrong first byte does not', async () => {
    for (const f of FIXTURES) {
      const parsed = parseLegacyHash(f.password_hash);
      assert.deepEqual([parsed.format, parsed.scheme], [f.format, f.format], f.password_hash);
      assert.equal(await verifyLegacyHash(parsed.scheme, parsed.encoded, f.password), true, `${f.tool}: ${JSON.stringify(f)}`);
      assert.equal(await verifyLegacyHash(parsed.scheme, parsed.encoded, wrong(f.password)), false, f.password_hash);
    }
  });

  it('traditional DES reads 8 bytes of 7 bits, as crypt(3) does; BSDi reads every byte', async () => {
    const des = FIXTURES.find((f) => f.format === 'des-crypt' && f.password === 'password')!;
    assert.equal(await verifyLegacyHash('des-crypt', des.password_hash, 'password and more'), true);
    const bsdi = FIXTURES.find((f) => f.format === 'bsdi-crypt' && f.password === 'password')!;
    assert.equal(await verifyLegacyHash('bsdi-crypt', bsdi.password_hash, 'password and more'), false);
  });

  it('{CRYPT} holding either form verifies too (OpenLDAP hands it to crypt(3))', async () => {
    for (const f of [FIXTURES[0]!, FIXTURES[1]!]) {
      const parsed = parseLegacyHash(`{CRYPT}${f.password_hash}`);
      assert.equal(parsed.format, 'ldap-crypt');
      assert.equal(await verifyLegacyHash(parsed.scheme, parsed.encoded, f.password), true);
    }
  });

  it('refuses what no crypt() writes, a count implementations disagree on, and a count that costs too much', () => {
    assertMalformed(traditionalDesCryptFamily, '24leDr0hHfb3B', /last character "B" has non-zero trailing bits/);
    assertMalformed(bsdiDesCryptFamily, '_GW..8841inaTltazRsR', /non-zero trailing bits/);
    assertMalformed(bsdiDesCryptFamily, '_....8841inaTltazRsQ', /count must be at least 1/);
    assertMalformed(bsdiDesCryptFamily, '_GW..8841inaTltazRs', /"_" and 19 characters/);
    assert.equal(parseLegacyHash('_..E.8841inaTltazRsQ').format, 'bsdi-crypt'); // count 65,536, the ceiling
    assert.throws(() => parseLegacyHash('_/.E.8841inaTltazRsQ'), /dangerous bsdi-crypt hash: count 65537 is above the ceiling of 65536/);
    assert.throws(() => parseLegacyHash('_zzzz8841inaTltazRsQ'), DangerousHashParametersError);
  });
});
