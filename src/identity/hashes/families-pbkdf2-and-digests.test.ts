import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import type { HashFamily, LegacyHashInput } from './hash-family.ts';
import { DangerousHashParametersError, MalformedHashError, UnsupportedHashError } from './hash-errors.ts';
import { families } from './families-pbkdf2-and-digests.ts';
import { parseLegacyHash, verifyLegacyHash } from './registry.ts';

interface Fixture {
  format: string;
  scheme: string;
  tool: string;
  password: string;
  password_hash: LegacyHashInput;
}

const FIXTURES: Fixture[] = readFileSync(
  new URL('../../../test/fixtures/hashes/pbkdf2-and-digests.jsonl', import.meta.url),
  'utf8',
)
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as Fixture);

function familyFor(input: LegacyHashInput): HashFamily {
  const claiming = families.filter((family) => family.detect(input));
  assert.equal(claiming.length, 1, `exactly one family of this group should claim ${JSON.stringify(input)}`);
  return claiming[0]!;
}

function v3Payload(prf: number, iterations: number, saltBytes: number, subkeyBytes: number): string {
  const header = Buffer.alloc(13);
  header[0] = 0x01;
  header.writeUInt32BE(prf, 1);
  header.writeUInt32BE(iterations, 5);
  header.writeUInt32BE(saltBytes, 9);
  return Buffer.concat([header, Buffer.alloc(saltBytes, 7), Buffer.alloc(subkeyBytes, 9)]).toString('base64');
}

const B64_32 = Buffer.alloc(32, 1).toString('base64');
const HEX_32 = 'ab'.repeat(32);

describe('pbkdf2-and-digests fixtures (made by each format’s own tool)', () => {
  it('cover every format of this group', () => {
    const formats = new Set(FIXTURES.map((fixture) => fixture.format));
    for (const format of ['django-pbkdf2', 'django-sha1', 'django-md5', 'pbkdf2', 'werkzeug-pbkdf2', 'aspnet-identity-v2',
      'aspnet-identity-v3', 'raw-md5', 'raw-sha1', 'raw-sha256', 'raw-sha512', 'raw-hmac-md5', 'raw-hmac-sha1',
      'raw-hmac-sha256', 'raw-hmac-sha512']) {
      assert.ok(formats.has(format), `no fixture for ${format}`);
    }
  });

  it('parse to the expected format and scheme, verify, and reject a wrong password', async () => {
    await Promise.all(
      FIXTURES.map(async ({ format, scheme, tool, password, password_hash: input }) => {
        const family = familyFor(input);
        const parsed = family.parse(input);
        const where = `${format} from ${tool}: ${JSON.stringify(input)}`;
        assert.deepEqual([parsed.format, parsed.scheme], [format, scheme], where);
        assert.equal(await family.verify(parsed.encoded, password), true, where);
        assert.equal(await family.verify(parsed.encoded, `${password}x`), false, where);
        assert.equal(await family.verify(parsed.encoded, password === '' ? ' ' : password.slice(0, -1)), false, where);
      }),
    );
  });

  it('work through the registry (parseLegacyHash / verifyLegacyHash)', async () => {
    await Promise.all(
      FIXTURES.map(async ({ scheme, password, password_hash: input }) => {
        const parsed = parseLegacyHash(input);
        assert.equal(parsed.scheme, scheme);
        assert.equal(await verifyLegacyHash(parsed.scheme, parsed.encoded, password), true);
        assert.equal(await verifyLegacyHash(parsed.scheme, parsed.encoded, `${password} `), false);
      }),
    );
  });

  it('detect cheaply: 50,000 rows through every family of the group well under a second', () => {
    const rows = Array.from({ length: 50_000 }, (_, i) => FIXTURES[i % FIXTURES.length]!.password_hash);
    const started = performance.now();
    for (const row of rows) families.some((family) => family.detect(row));
    assert.ok(performance.now() - started < 250, 'detect is too slow for 50,000 rows/s');
  });

  it('store object forms as canonical JSON that parses back to itself', () => {
    for (const { password_hash: input } of FIXTURES.filter((fixture) => typeof fixture.password_hash === 'object')) {
      const { encoded } = familyFor(input).parse(input);
      const again = familyFor(JSON.parse(encoded) as LegacyHashInput).parse(JSON.parse(encoded) as LegacyHashInput);
      assert.equal(again.encoded, encoded);
    }
  });
});

describe('ASP.NET Identity failure cases from PasswordHasherTest.cs ("my password")', () => {
  it('verify false for a wrong subkey or extra data, refuse a short payload', async () => {
    for (const wrong of [
      'AAABAgMEBQYHCAkKCwwNDg+uAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAALtH1uJg==',
      'AQAAAAAAAAD6AAAAEAhftMyfTJyAAAAAAAAAAAAAAAAAAAih5WsjXaR3PA9M',
      'AQAAAAIAAAAyAAAAEOMwvh3+FZxqkdMBz2ekgGhwQ4B6pZWND6zgESBuWiHwAAAAAAAAAAAA',
    ]) {
      const parsed = parseLegacyHash(wrong);
      assert.equal(await verifyLegacyHash(parsed.scheme, parsed.encoded, 'my password'), false);
    }
    assert.throws(() => parseLegacyHash('AQAAAAIAAAAyAAAAEOMwvh3+FZxqkdMBz2ekgGhwQ4A='), /subkey must be 16–1024 bytes, got 3/);
    for (const badLength of [
      'AAABAgMEBQYHCAkKCwwNDg+ukCEMDf0yyQ29NYubggE=',
      'AAABAgMEBQYHCAkKCwwNDg+ukCEMDf0yyQ29NYubggHIVY0sdEUfdyeM+E1LtH1uJgAAAAAAAAAAAAA=',
    ]) {
      const refused = (error: unknown) => error instanceof MalformedHashError || error instanceof UnsupportedHashError;
      assert.throws(() => parseLegacyHash(badLength), refused);
    }
  });
});

const PBKDF2_OBJECT = { algorithm: 'pbkdf2-sha256', hash: B64_32, salt: 'c2FsdA==', iterations: 9 };

const MALFORMED: Array<[LegacyHashInput, RegExp]> = [
  [`pbkdf2_sha256$abc$salt$${B64_32}`, /malformed django-pbkdf2 hash: iterations must be a positive integer, got "abc"/],
  [`pbkdf2_sha256$01000$salt$${B64_32}`, /iterations must not have leading zeros/],
  [`pbkdf2_sha256$0$salt$${B64_32}`, /iterations must be at least 1/],
  [`pbkdf2_sha256$1000$$${B64_32}`, /salt must not be empty/],
  ['pbkdf2_sha256$1000$salt', /4 fields/],
  [`pbkdf2_sha1$1000$salt$${B64_32}`, /padded base64 of 20 bytes/],
  ['pbkdf2_sha256$1000$salt$AAAA', /padded base64 of 32 bytes/],
  ['sha1$salt$' + 'AB'.repeat(20), /malformed django-sha1 hash: digest must be 40 lowercase hex/],
  ['md5$salt$' + 'ab'.repeat(20), /malformed django-md5 hash: digest must be 32 lowercase hex/],
  ['md5$salt', /3 fields/],
  ['sha1$$' + 'ab'.repeat(16), /digest must be 40/],
  [`$pbkdf2-sha256$029000$c2FsdA$${'A'.repeat(43)}`, /malformed pbkdf2 hash: rounds must not have leading zeros/],
  [`$pbkdf2-sha1$1000$c2FsdA$${'A'.repeat(27)}`, /unknown ident "\$pbkdf2-sha1\$" for the passlib form/],
  [`$pbkdf2-sha384$i=1000$c2FsdA$${'A'.repeat(43)}`, /unknown ident "\$pbkdf2-sha384\$" for the PHC form/],
  [`$pbkdf2-sha256$1000$sa!t$${'A'.repeat(43)}`, /salt must be passlib's adapted base64/],
  [`$pbkdf2-sha256$1000$c2FsdA$${'A'.repeat(40)}`, /checksum must decode to 32 bytes, got 30/],
  [`$pbkdf2-sha256$i=1000,l=16$c2FsdA$${'A'.repeat(43)}`, /l=16 does not match the hash, which decodes to 32 bytes/],
  [`$pbkdf2-sha256$i=1000,p=1$c2FsdA$${'A'.repeat(43)}`, /parameters must be "i=<iterations>"/],
  [`$pbkdf2-sha256$l=32$c2FsdA$${'A'.repeat(43)}`, /parameter "i" \(iterations\) is required/],
  [`$pbkdf2-sha256$i=1000$$${'A'.repeat(43)}`, /salt must not be empty/],
  [`$pbkdf2-sha256$i=1000$c2Fs.A$${'A'.repeat(43)}`, /salt must be unpadded B64/],
  ['$pbkdf2$1000$c2FsdA', /4 fields/],
  ['pbkdf2:sha256:1000$salt', /malformed werkzeug-pbkdf2 hash: expected "pbkdf2:<hash>/],
  [`pbkdf2:sha3_256:1000$salt$${HEX_32}`, /unsupported hash "sha3_256"/],
  [`pbkdf2:sha256:1e3$salt$${HEX_32}`, /iterations must be a positive integer, got "1e3"/],
  [`pbkdf2:sha256:$salt$${HEX_32}`, /iterations must be a positive integer, got ""/],
  [`pbkdf2:sha256:1000$$${HEX_32}`, /salt must not be empty/],
  [`pbkdf2:sha256:1000$salt$${HEX_32.toUpperCase()}`, /64 lowercase hex/],
  [`pbkdf2:sha256:1:2$salt$${HEX_32}`, /at most 2 method arguments, got 3/],
  [`AA${'*'.repeat(64)}==`, /malformed aspnet-identity-v2 hash: expected padded base64/],
  ['AQAAAA==', /malformed aspnet-identity-v3 hash: payload must hold a 13-byte header, got 4 bytes/],
  [v3Payload(3, 1000, 16, 32), /unknown PRF 3/],
  [v3Payload(1, 0, 16, 32), /iteration count must be at least 1/],
  [v3Payload(1, 1000, 8, 32), /salt length must be 16–1024 bytes, got 8/],
  [v3Payload(1, 1000, 16, 8), /subkey must be 16–1024 bytes, got 8/],
  [{ algorithm: 'pbkdf2-sha256', hash: B64_32, salt: 'c2FsdA==' }, /malformed pbkdf2 hash: iterations is required/],
  [{ algorithm: 'pbkdf2-sha256', hash: B64_32, salt: 'c2FsdA==', iterations: 'abc' }, /iterations must be a positive integer/],
  [{ ...PBKDF2_OBJECT, iterations: 1.5 }, /iterations must be a positive integer, got 1.5/],
  [{ ...PBKDF2_OBJECT, salt_encodng: 'hex' }, /unknown key "salt_encodng"/],
  [{ ...PBKDF2_OBJECT, encoding: 'utf8' }, /encoding must be one of base64, hex/],
  [{ ...PBKDF2_OBJECT, hash: 'not base64!' }, /hash is not valid base64/],
  [{ ...PBKDF2_OBJECT, key_length: 64 }, /key_length 64 does not match/],
  [{ algorithm: 'pbkdf2-sha256', hash: B64_32, iterations: 9 }, /salt is required/],
  [{ algorithm: 'pbkdf2-sha1', hash: 'AAAA', salt: 'c2FsdA==', iterations: 9 }, /hash must decode to 10–1024 bytes, got 3/],
  [{ algorithm: 'sha256', hash: 'xyz' }, /malformed raw-sha256 hash: hash is not valid hex/],
  [{ algorithm: 'sha256', hash: 'ab'.repeat(20) }, /hash must decode to 32 bytes, got 20/],
  [{ algorithm: 'md5', hash: 'ab'.repeat(16), salt: 'pepper' }, /salt_position is required: one of prefix, suffix/],
  [
    { algorithm: 'md5', hash: 'ab'.repeat(16), salt: 'ab', salt_position: 'prefix', salt_encoding: 'latin1' },
    /salt_encoding must be one of utf8, hex, base64/,
  ],
  [{ algorithm: 'sha1', hash: 'ab'.repeat(20), key: 'k' }, /key is only used by the hmac-\* algorithms/],
  [{ algorithm: 'hmac-sha1', hash: 'ab'.repeat(20) }, /key is required/],
  [{ algorithm: 'sha1', hash: 'ab'.repeat(20), iterations: 0 }, /iterations must be a positive integer, got 0/],
  [{ algorithm: 'sha1', hash: 42 }, /hash must be a string, got 42/],
  [{ algorithm: 'sha1', hash: 'ab'.repeat(20), rounds: 2 }, /unknown key "rounds"/],
];

const DANGEROUS: LegacyHashInput[] = [
  `pbkdf2_sha256$5000001$salt$${B64_32}`,
  `pbkdf2_sha256$99999999999999999999999$salt$${B64_32}`,
  `$pbkdf2-sha256$6000000$c2FsdA$${'A'.repeat(43)}`,
  `$pbkdf2-sha1$i=2000000,l=64$c2FsdA$${'A'.repeat(86)}`,
  `pbkdf2:sha256:5000001$salt$${HEX_32}`,
  v3Payload(1, 0xffffffff, 16, 32),
  v3Payload(1, 5_000_000, 16, 64),
  { algorithm: 'pbkdf2-sha512', hash: Buffer.alloc(64).toString('base64'), salt: 'c2FsdA==', iterations: 6_000_000 },
  { algorithm: 'pbkdf2-sha1', hash: Buffer.alloc(64).toString('base64'), salt: 'c2FsdA==', iterations: 3_000_000 },
  { algorithm: 'hmac-sha256', hash: HEX_32, key: 'k', iterations: 5_000_001 },
];

describe('pbkdf2-and-digests refuses what it must not store', () => {
  it('throws MalformedHashError with a reason for malformed input', () => {
    for (const [input, reason] of MALFORMED) {
      assert.throws(() => familyFor(input).parse(input), (error: unknown) => {
        assert.ok(error instanceof MalformedHashError, `${JSON.stringify(input)} threw ${String(error)}`);
        assert.match(error.message, reason);
        return true;
      });
    }
  });

  it('throws DangerousHashParametersError above HASH_LIMITS.maxRounds', () => {
    for (const input of DANGEROUS) {
      assert.throws(() => familyFor(input).parse(input), DangerousHashParametersError, JSON.stringify(input));
    }
  });
});

const PREFIXES = ['pbkdf2_sha256$', 'pbkdf2_sha1$', 'sha1$', 'md5$', '$pbkdf2$', '$pbkdf2-sha1$', '$pbkdf2-sha256$',
  '$pbkdf2-sha512$', '$pbkdf2-sha256$i=', 'pbkdf2:sha256:', 'pbkdf2:sha1$', 'AQAAAA', 'AA'];
const ALGORITHMS = ['pbkdf2-sha1', 'pbkdf2-sha256', 'pbkdf2-sha512', 'md5', 'sha1', 'sha256', 'sha512', 'hmac-md5',
  'hmac-sha1', 'hmac-sha256', 'hmac-sha512'];
const FIELD_VALUES = fc.oneof(
  fc.anything(),
  fc.constantFrom('hex', 'base64', 'utf8', 'prefix', 'suffix', '', 'AAAA', HEX_32, B64_32),
  fc.integer({ min: -2, max: 6_000_000 }),
  fc.stringMatching(/^[0-9a-fA-F]{0,130}$/),
  fc.stringMatching(/^[A-Za-z0-9+/_.-]{0,90}={0,2}$/),
);
const FIELD_NAMES = fc.constantFrom('hash', 'encoding', 'salt', 'salt_encoding', 'salt_position', 'key', 'key_encoding',
  'iterations', 'key_length', 'extra');

/** Only refusals the import knows how to report; anything else (TypeError, RangeError …) is a bug. */
function assertOnlyKnownRefusals(run: () => unknown): void {
  try {
    run();
  } catch (error) {
    if (error instanceof MalformedHashError || error instanceof DangerousHashParametersError) return;
    if (!(error instanceof UnsupportedHashError)) throw error;
  }
}

function parseWithThisGroup(input: unknown): void {
  for (const family of families) {
    if (family.detect(input as LegacyHashInput)) {
      family.parse(input as LegacyHashInput);
      return;
    }
  }
}

describe('pbkdf2-and-digests parse on arbitrary input (fast-check)', () => {
  it('survives arbitrary strings and values', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.anything()), (input) => {
        assertOnlyKnownRefusals(() => parseWithThisGroup(input));
      }),
      { numRuns: 2000 },
    );
  });

  it('survives its own prefixes followed by garbage and by $-separated fields, also through the registry', () => {
    const field = fc.oneof(
      fc.string({ maxLength: 20 }),
      fc.stringMatching(/^[0-9]{0,12}$/),
      fc.stringMatching(/^[A-Za-z0-9+/.=]{0,90}$/),
      fc.constant('i=1000,l=32'),
    );
    const garbage = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 120 }),
      fc.array(field, { maxLength: 6 }).map((fields) => fields.join('$')),
    );
    fc.assert(
      fc.property(fc.constantFrom(...PREFIXES), garbage, (prefix, rest) => {
        assertOnlyKnownRefusals(() => parseWithThisGroup(prefix + rest));
        assertOnlyKnownRefusals(() => parseLegacyHash(prefix + rest));
      }),
      { numRuns: 3000 },
    );
  });

  it('survives objects with its algorithm values and arbitrary fields', () => {
    const objects = fc
      .tuple(fc.constantFrom(...ALGORITHMS), fc.dictionary(FIELD_NAMES, FIELD_VALUES, { maxKeys: 8 }))
      .map(([algorithm, fields]) => ({ ...fields, algorithm }));
    fc.assert(
      fc.property(objects, (input) => {
        assertOnlyKnownRefusals(() => parseWithThisGroup(input));
        assertOnlyKnownRefusals(() => parseLegacyHash(input));
      }),
      { numRuns: 3000 },
    );
  });
});
