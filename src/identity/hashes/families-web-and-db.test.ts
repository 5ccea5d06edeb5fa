import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { LegacyHashInput } from './hash-family.ts';
import { MalformedHashError, UnsupportedHashError } from './hash-errors.ts';
import { AmbiguousHashError, HashContextError } from './hash-dialect-errors.ts';
import { families } from './families-web-and-db.ts';
import { parseLegacyHash, verifyLegacyHash } from './registry.ts';
import { assertMalformed } from './assert-malformed.test-helper.ts';
import { djangoScrypt } from './django-scrypt.ts';
import { atlassianPkcs5s2 } from './atlassian-pkcs5s2.ts';
import { mysql41 } from './mysql41.ts';
import { werkzeugHmac } from './werkzeug-hmac.ts';

/** One line of web-and-db.jsonl (scripts/hash-fixtures/web-and-db.sh): a hash made by, or published with, its tool. */
interface Fixture {
  format: string;
  scheme: string;
  tool: string;
  password: string;
  password_hash: string;
  password_hash_salt?: string;
  password_hash_format?: string;
}

const FIXTURES: Fixture[] = readFileSync(new URL('../../../test/fixtures/hashes/web-and-db.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as Fixture);

const contextOf = (f: Fixture) => ({ format: f.password_hash_format, salt: f.password_hash_salt });
const byTool = (format: string, tool: RegExp) => FIXTURES.find((f) => f.format === format && tool.test(f.tool))!;

describe('web-and-db fixtures (made by each format’s own tool or published with it)', () => {
  it('cover every family of the group, each from its own source', () => {
    const formats = new Set(FIXTURES.map((f) => f.format));
    assert.deepEqual([...formats].sort(), families.map((family) => family.name).sort());
    for (const [format, tool] of [
      ['django-scrypt', /^django 5\.2\.\d+ Scrypt/], ['django-scrypt', /test_hashers\.py test_scrypt/],
      ['atlassian-pbkdf2', /TestDefaultPasswordEncoderWithPKCS5S2/], ['atlassian-pbkdf2', /module_12001/],
      ['mysql41', /module_00300/], ['mysql41', /MySQL 5\.7 Reference Manual/],
      ['postgres-md5', /^postgresql 1\d/], ['postgres-md5', /module_00012/], ['werkzeug-hmac', /^werkzeug 2\.2\.3/],
      ['joomla-md5', /module_00011/], ['vbulletin', /module_02611/], ['vbulletin', /module_02711/],
      ['mybb', /module_02811/], ['ipb', /module_02811/],
    ] as const) assert.ok(byTool(format, tool), `no ${format} vector from ${tool}`);
  });

  it('parse to the expected format and scheme, verify, and reject a wrong password', async () => {
    await Promise.all(
      FIXTURES.map(async (f) => {
        const where = `${f.format} from ${f.tool}: ${f.password_hash}`;
        const parsed = parseLegacyHash(f.password_hash, contextOf(f));
        assert.deepEqual([parsed.format, parsed.scheme], [f.format, f.scheme], where);
        assert.equal(await verifyLegacyHash(parsed.scheme, parsed.encoded, f.password), true, where);
        assert.equal(await verifyLegacyHash(parsed.scheme, parsed.encoded, `${f.password}x`), false, where);
        assert.equal(await verifyLegacyHash(parsed.scheme, parsed.encoded, f.password.slice(0, -1)), false, where);
      }),
    );
  });

  it('store a form that verifies without the dialect or the row, as a process that never parsed it does', async () => {
    for (const f of FIXTURES.filter((x) => x.password_hash_format || x.password_hash_salt)) {
      const { encoded } = parseLegacyHash(f.password_hash, contextOf(f));
      assert.equal(await verifyLegacyHash('not-in-this-process-cache', encoded, f.password), true, f.tool);
      assert.equal(parseLegacyHash(JSON.parse(encoded) as LegacyHashInput).encoded, encoded, 'the stored form parses to itself');
    }
  });

  it('the same strings under the dialect instead of the row field', async () => {
    const dialects: Record<string, 'werkzeug' | 'joomla' | 'vbulletin' | 'mybb' | 'ipb'> = {
      'werkzeug-hmac': 'werkzeug', 'joomla-md5': 'joomla', vbulletin: 'vbulletin', mybb: 'mybb', ipb: 'ipb',
    };
    for (const f of FIXTURES.filter((x) => x.password_hash_format)) {
      const parsed = parseLegacyHash(f.password_hash, { dialect: dialects[f.format], salt: f.password_hash_salt });
      assert.equal(parsed.format, f.format);
      assert.equal(await verifyLegacyHash(parsed.scheme, parsed.encoded, f.password), true, f.tool);
    }
  });
});

describe('dialects', () => {
  const werkzeugMd5 = byTool('werkzeug-hmac', /werkzeug/);
  const werkzeugSha1 = FIXTURES.find((f) => f.scheme === 'werkzeug-hmac-sha1')!;

  it('md5$… and sha1$… stay Django’s without a dialect, and the Werkzeug HMAC then does not verify', async () => {
    for (const f of [werkzeugMd5, werkzeugSha1]) {
      const parsed = parseLegacyHash(f.password_hash);
      assert.match(parsed.format, /^django-(md5|sha1)$/);
      assert.equal(await verifyLegacyHash(parsed.scheme, parsed.encoded, f.password), false);
      assert.equal(parseLegacyHash(f.password_hash, { dialect: 'django' }).format, parsed.format);
    }
    assert.equal(parseLegacyHash('md5$salt0$e6e64733227edea1f63b6aaabb55ab63', { dialect: 'werkzeug' }).format, 'werkzeug-hmac');
  });

  it('sha256$… and the other Werkzeug-only digests are detected without a dialect', () => {
    const f = FIXTURES.find((x) => x.scheme === 'werkzeug-hmac-sha256')!;
    assert.equal(parseLegacyHash(f.password_hash).scheme, 'werkzeug-hmac-sha256');
  });

  it('refuse "<32 hex>:<salt>" with no dialect, naming the candidate dialects and formats', () => {
    const joomla = byTool('joomla-md5', /module_00011/).password_hash;
    const refused = (pattern: RegExp) => (error: unknown) => {
      assert.ok(error instanceof AmbiguousHashError, String(error));
      assert.ok(error instanceof MalformedHashError, 'never stored, never sent down on_unsupported_hash');
      assert.match(error.message, pattern);
      return true;
    };
    assert.throws(() => parseLegacyHash(joomla), refused(/^ambiguous hash: "<32 hex>:<salt>" is written by joomla, vbulletin, mybb, ipb; name the dialect with hash_dialect \(joomla, vbulletin, mybb, ipb\) or the family with password_hash_format \(joomla-md5, vbulletin, mybb, ipb\)$/));
    assert.throws(() => parseLegacyHash(joomla, { dialect: 'werkzeug' }), refused(/hash_dialect werkzeug does not write it/));
    assert.throws(() => parseLegacyHash('022f7e02b3314f7d0968f73c00ba759f', { salt: '67588' }), refused(/a 32-hex digest with password_hash_salt is written by joomla/));
  });

  it('one "hash:salt" string verifies only under the dialect that wrote it', async () => {
    const f = byTool('vbulletin', /module_02611/);
    const results: Record<string, boolean> = {};
    for (const dialect of ['joomla', 'vbulletin', 'mybb', 'ipb'] as const) {
      const parsed = parseLegacyHash(f.password_hash, { dialect });
      results[dialect] = await verifyLegacyHash(parsed.scheme, parsed.encoded, f.password);
    }
    assert.deepEqual(results, { joomla: false, vbulletin: true, mybb: false, ipb: false });
  });

  it('a dialect leaves every other string to ordinary detection (a Joomla 3 export holds bcrypt too)', () => {
    const bcrypt = '$2y$04$yMSruBH7lMEDA1ldEgl3hug.uDM90wG.udRL7f0nJAi6uKVGoimlu';
    assert.equal(parseLegacyHash(bcrypt, { dialect: 'joomla' }).format, 'bcrypt');
  });

  it('refuse a password_hash_format that is not what the hash is, and a salt the family does not read', () => {
    const field = (name: string, pattern: RegExp) => (error: unknown) => {
      assert.ok(error instanceof HashContextError, String(error));
      assert.equal(error.field, name);
      assert.match(error.message, pattern);
      return true;
    };
    assert.throws(() => parseLegacyHash('md5$salt0$e6e64733227edea1f63b6aaabb55ab63', { format: 'bcrypt' }),
      field('password_hash_format', /password_hash_format says "bcrypt", but the hash is a django-md5 hash/));
    assert.equal(parseLegacyHash('md5$salt0$e6e64733227edea1f63b6aaabb55ab63', { format: 'django-md5' }).format, 'django-md5');
    assert.throws(() => parseLegacyHash('$2y$04$yMSruBH7lMEDA1ldEgl3hug.uDM90wG.udRL7f0nJAi6uKVGoimlu', { salt: 'x' }),
      field('password_hash_salt', /only read for postgres-md5, joomla-md5, vbulletin, mybb, ipb hashes; a bcrypt hash carries its own salt/));
    assert.throws(() => parseLegacyHash({ algorithm: 'md5', hash: 'ab'.repeat(16) }, { salt: 'x' }), field('password_hash_salt', /a hash object carries its own salt/));
  });
});

describe('malformed and refused strings', () => {
  it('Django scrypt is told apart from Werkzeug scrypt by its six fields, and checked as Django renders it', () => {
    const django = byTool('django-scrypt', /test_scrypt/).password_hash;
    assert.equal(parseLegacyHash(django).format, 'django-scrypt');
    assert.equal(parseLegacyHash(`scrypt$salt$${'ab'.repeat(64)}`).format, 'werkzeug-scrypt');
    assertMalformed(djangoScrypt, django.replace('$16384$', '$016384$'), /without leading zeros/);
    assertMalformed(djangoScrypt, django.replace('seasalt', ''), /salt must not be empty/);
    assertMalformed(djangoScrypt, django.replace(/==$/, ''), /padded base64 of 64 bytes/);
    assertMalformed(djangoScrypt, django.replace('$16384$', '$1000$'), /N must be a power of 2/);
    assert.throws(() => parseLegacyHash(django.replace('$16384$', `$${2 ** 21}$`)), /dangerous django-scrypt hash: N = 2\^21/);
  });

  it('Atlassian needs exactly 16 salt and 32 key bytes; MySQL exactly 40 hex digits', () => {
    assertMalformed(atlassianPkcs5s2, `{PKCS5S2}${Buffer.alloc(47).toString('base64')}`, /48 bytes/);
    assertMalformed(atlassianPkcs5s2, '{PKCS5S2}NTczNTY0NDY2NjQyNzU1Mx8gGiRGobaZYwumctGHbn2ZOHB8LkwzH+Z1gkWfy1z', /padded base64/);
    assertMalformed(mysql41, `*${'G'.repeat(40)}`, /"\*" and 40 hex characters/);
    assert.throws(() => parseLegacyHash(`*${'A'.repeat(39)}`), UnsupportedHashError);
  });

  it('PostgreSQL md5 needs the role name; the forum digests must be lowercase hex', () => {
    assert.throws(() => parseLegacyHash('md593a8cf6a7d43e3b5bcd2dc6abb3e02c6'), /malformed postgres-md5 hash: the role name is required: give it in password_hash_salt/);
    assert.throws(() => parseLegacyHash('28F9975808AE2BDC5847B1CDA26033EA:308', { dialect: 'vbulletin' }), /malformed vbulletin hash: digest must be 32 lowercase hex characters/);
    assert.throws(() => parseLegacyHash({ algorithm: 'mybb', hash: 'ab'.repeat(16), salt: 'x', extra: 1 }), /unknown key "extra"/);
  });

  it('Werkzeug HMAC names a hashlib digest and its full length', () => {
    assertMalformed(werkzeugHmac, `sha256$salt$${'ab'.repeat(31)}`, /64 lowercase hex characters/);
    assert.throws(() => parseLegacyHash(`md4$salt$${'ab'.repeat(16)}`, { format: 'werkzeug-hmac' }), /method must be one of md5, sha1/);
  });

  // yescrypt has no library for Node (the npm and PyPI bindings are small native wrappers kept by one person each):
  // it stays unsupported, so the import's on_unsupported_hash decides. DES crypt: des-crypt.test.ts.
  it('yescrypt stays unsupported, so on_unsupported_hash decides', () => {
    // Debian 12's libxcrypt 4.4.33 through Python 3.11's crypt module: crypt("password", "$y$j9T$F5Jx5fExrKuPp53xLKQ..1")
    const yescrypt = '$y$j9T$F5Jx5fExrKuPp53xLKQ..1$tnSYvahCwPBHKZUspmcxMfb0.WiB9W.zEaKlOBL35rC';
    for (const hash of [yescrypt, `{CRYPT}${yescrypt}`]) assert.throws(() => parseLegacyHash(hash), UnsupportedHashError, hash);
  });
});
