import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DangerousHashParametersError, MalformedHashError, UnsupportedHashError } from './hash-errors.ts';
import { parseLegacyHash } from './registry.ts';
import { families } from './families-crypt-ldap-phpass.ts';

// Well-formed hashes from test/fixtures/hashes/crypt-ldap-phpass.jsonl, to bend into bad ones.
const MD5 = '$1$fixture0$CDcnnEGrM6FBL/iQ5UqNK/';
const SHA256_HASH = '5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5';
const SHA512_HASH = 'svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1';
const PHPASS = '$P$946647711V1klyitUYhtB8Yw5DMA/w.';
const DRUPAL = '$S$C20340258nzjDWpoQthrdNTR02f0pmev0K/5/Nx80WSkOQcPEQRh';
const SHA1_B64 = Buffer.alloc(20, 7).toString('base64');

const MALFORMED: [string, RegExp][] = [
  ['$1$', /md5-crypt.*no "\$" after the salt/],
  ['$1$toolongsalt$CDcnnEGrM6FBL/iQ5UqNK/', /md5-crypt.*salt must be at most 8 characters, got 11/],
  ['$1$fix:ure$CDcnnEGrM6FBL/iQ5UqNK/', /md5-crypt.*salt must use only the characters/],
  [MD5.slice(0, -1), /md5-crypt.*hash must be 22 characters, got 21/],
  [`${MD5}x`, /md5-crypt.*hash must be 22 characters, got 23/],
  [`${MD5.slice(0, -1)}_`, /md5-crypt.*only the characters/],
  [`${MD5.slice(0, -1)}z`, /md5-crypt.*ends in "z", which sets bits beyond the 16-byte digest/],
  ['$apr1$abc', /apr1-md5.*no "\$" after the salt/],
  [`$6$rounds=x$salt$${SHA512_HASH}`, /malformed sha512-crypt hash: rounds must be a number, got "x"/],
  [`$6$rounds=$salt$${SHA512_HASH}`, /sha512-crypt.*rounds must be a number, got ""/],
  [`$6$rounds=05000$salt$${SHA512_HASH}`, /sha512-crypt.*no leading zeros/],
  [`$5$rounds=10$roundstoolow$${SHA256_HASH}`, /sha256-crypt.*rounds=10 is below the minimum of 1000/],
  ['$6$rounds=1000', /sha512-crypt.*expected "\$" after rounds=N/],
  [`$6$saltstringsaltstring$${SHA512_HASH}`, /sha512-crypt.*salt must be at most 16 characters, got 20/],
  [`$6$salt$${SHA256_HASH}`, /sha512-crypt.*hash must be 86 characters, got 43/],
  [`$5$salt$${SHA512_HASH}`, /sha256-crypt.*hash must be 43 characters, got 86/],
  [`$5$salt$${SHA256_HASH.slice(0, -1)}z`, /sha256-crypt.*sets bits beyond the 32-byte digest/],
  ['{SSHA}', /ldap-ssha.*expected base64 after \{SSHA\}, found nothing/],
  ['{SHA}abc', /ldap-sha.*expected padded base64/],
  [`{SHA}${SHA1_B64.slice(0, -2)}N=`, /ldap-sha.*expected padded base64/],
  [`{SHA}${Buffer.alloc(19).toString('base64')}`, /ldap-sha.*20-byte SHA1 digest.*got 19 bytes/],
  [`{MD5}${'ab'.repeat(16)}`, /ldap-md5.*16-byte MD5 digest.*got 24 bytes/],
  [`{SSHA}${SHA1_B64}`, /ldap-ssha.*1 to 64 bytes of salt.*got 20 bytes in all/],
  [`{SSHA256}${Buffer.alloc(32 + 65).toString('base64')}`, /ldap-ssha256.*salt.*got 97 bytes/],
  ['{CRYPT}', /ldap-crypt.*expected a crypt\(3\) hash such as "\$6\$…" after \{CRYPT\}, got ""/],
  [`{CRYPT}{CRYPT}${MD5}`, /ldap-crypt.*expected a crypt\(3\) hash/],
  [`{CRYPT}$6$rounds=x$salt$${SHA512_HASH}`, /sha512-crypt.*rounds must be a number/],
  [PHPASS.slice(0, -1), /phpass.*expected 34 characters, got 33/],
  [`$P$4${PHPASS.slice(4)}`, /phpass.*iteration character "4" must stand for 2\^7 to 2\^30/],
  [`$H$T${PHPASS.slice(4)}`, /phpass.*iteration character "T"/],
  [`$P$9salt!!!!${PHPASS.slice(12)}`, /phpass.*salt must be 8 characters of/],
  [`${PHPASS.slice(0, -1)}z`, /phpass.*sets bits beyond the 16-byte digest/],
  [DRUPAL.slice(0, -1), /drupal7.*expected 55 characters, got 54/],
  [`U${DRUPAL.slice(0, -1)}`, /drupal7.*expected 56 characters, got 55/],
  [`U$X${DRUPAL.slice(2)}`, /drupal7.*expected "\$S\$", "U\$S\$", "U\$P\$" or "U\$H\$"/],
  [`$S$4${DRUPAL.slice(4)}`, /drupal7.*iteration character "4"/],
  [`U${PHPASS.slice(0, -1)}`, /drupal7.*expected 35 characters, got 34/],
];

test('malformed hashes of each family throw MalformedHashError with a reason', () => {
  for (const [input, reason] of MALFORMED) {
    assert.throws(() => parseLegacyHash(input), (error: unknown) => {
      assert.ok(error instanceof MalformedHashError, `${input}: got ${String(error)}`);
      assert.match(error.message, reason);
      return true;
    });
  }
});

test('rounds above HASH_LIMITS.maxRounds throw DangerousHashParametersError', () => {
  for (const input of [
    `$6$rounds=5000001$salt$${SHA512_HASH}`,
    `$5$rounds=999999999$salt$${SHA256_HASH}`,
    `$6$rounds=${'9'.repeat(400)}$salt$${SHA512_HASH}`,
    `{CRYPT}$6$rounds=9000000$salt$${SHA512_HASH}`,
    `$P$L${PHPASS.slice(4)}`, // 2^23
    `$S$S${DRUPAL.slice(4)}`, // 2^30
    `U$S$L${DRUPAL.slice(4)}`,
  ]) {
    assert.throws(() => parseLegacyHash(input), DangerousHashParametersError, input);
  }
  // 2^22 = 4,194,304 is under the limit.
  assert.equal(parseLegacyHash(`$P$K${PHPASS.slice(4)}`).format, 'phpass');
});

test('{CRYPT} with a crypt(3) scheme cutover does not verify says so as UnsupportedHashError', () => {
  assert.equal(parseLegacyHash('{CRYPT}RZuPeZD8mswOc').format, 'ldap-crypt'); // traditional DES (des-crypt.test.ts)
  assert.throws(() => parseLegacyHash('{crypt}$y$j9T$abc$def'), (error: unknown) => {
    assert.ok(error instanceof UnsupportedHashError);
    assert.match(error.message, /unsupported hash format: \{CRYPT\} holds crypt\(3\) scheme "\$y\$"/);
    return true;
  });
});

const PREFIXES = [
  '$1$', '$apr1$', '$5$', '$6$', '$5$rounds=', '$6$rounds=1000$', '{SHA}', '{ssha}', '{SSHA512}', '{MD5}', '{SMD5}',
  '{CRYPT}', '{crypt}$6$', '{CRYPT}$1$', '{CRYPT}$5$rounds=', '$P$', '$H$', '$P$B', '$S$', '$S$D', 'U$', 'U$S$',
  'U$P$', 'U$H$7',
];
const CRYPTISH = fc.string({ unit: fc.constantFrom(...'./09AZaz$=+{}_-x'.split('')), maxLength: 120 });
const ALLOWED = [MalformedHashError, DangerousHashParametersError, UnsupportedHashError];

function parsesOrThrowsKnownError(input: string): void {
  for (const family of families) {
    if (!family.detect(input)) continue;
    try {
      const parsed = family.parse(input);
      assert.equal(parsed.encoded, input);
    } catch (error) {
      if (!ALLOWED.some((kind) => error instanceof kind)) throw error;
    }
  }
}

test('arbitrary strings at parse: a result or one of the hash errors, never anything else', () => {
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), parsesOrThrowsKnownError), { numRuns: 2000 });
  fc.assert(
    fc.property(fc.constantFrom(...PREFIXES), fc.oneof(CRYPTISH, fc.string()), (prefix, rest) => {
      parsesOrThrowsKnownError(prefix + rest);
    }),
    { numRuns: 5000 },
  );
});

test('a well-formed hash of random digits verifies false, without throwing or hanging', async () => {
  const chars = fc.constantFrom(...'./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'.split(''));
  const text = (minLength: number, maxLength: number) => fc.string({ unit: chars, minLength, maxLength });
  const hashes = fc.oneof(
    fc.tuple(text(0, 8), text(21, 21)).map(([salt, hash]) => `$1$${salt}$${hash}.`),
    fc.tuple(text(8, 8), text(21, 21)).map(([salt, hash]) => `$P$7${salt}${hash}/`),
    fc.uint8Array({ minLength: 21, maxLength: 40 }).map((bytes) => `{SSHA}${Buffer.from(bytes).toString('base64')}`),
  );
  await fc.assert(
    fc.asyncProperty(hashes, fc.string(), async (hash, password) => {
      const family = families.find((candidate) => candidate.detect(hash))!;
      assert.equal(await family.verify(family.parse(hash).encoded, password), false);
    }),
    { numRuns: 60 },
  );
});
