import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DangerousHashParametersError, MalformedHashError } from './hash-errors.ts';
import { bcrypt } from './bcrypt.ts';
import { djangoBcrypt } from './django-bcrypt.ts';
import { djangoBcryptSha256 } from './django-bcrypt-sha256.ts';
import { stringFixtures } from '../../../test/fixtures/hashes/modern-fixtures.ts';
import { assertMalformed } from './assert-malformed.test-helper.ts';

// Openwall crypt_blowfish wrapper.c: "U*U" at cost 05.
const VALID = '$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW';
const SALT = VALID.slice(7, 29);
const HASH = VALID.slice(29);


describe('bcrypt', () => {
  it('detects the four modular-crypt prefixes and nothing else', () => {
    for (const minor of 'abxy') assert.equal(bcrypt.detect(`$2${minor}$05$${SALT}${HASH}`), true);
    for (const other of ['$2$05$x', '$2c$05$x', '$3a$', 'bcrypt$$2b$', '2a$05$', '']) {
      assert.equal(bcrypt.detect(other), false, other);
    }
    assert.equal(bcrypt.detect({ algorithm: 'bcrypt' }), false);
  });

  it('refuses malformed strings with a reason', () => {
    const cases: [string, RegExp][] = [
      ['$2a$', /cost must be two digits/],
      ['$2a$5$' + SALT + HASH, /cost must be two digits/],
      ['$2a$03$' + SALT + HASH, /cost must be between 04 and 31, got 03/],
      ['$2a$32$' + SALT + HASH, /cost must be between 04 and 31, got 32/],
      ['$2a$05$' + SALT, /hash is missing/],
      ['$2a$05$' + SALT + HASH.slice(1), /53 characters of bcrypt base64 \(22 \+ 31\), got 52/],
      ['$2a$05$' + SALT + HASH + '=', /got 54/],
      ['$2a$05$' + '!' + SALT.slice(1) + HASH, /salt has characters outside bcrypt base64/],
      // 22nd salt character "v" sets bits crypt_blowfish drops: PHP re-emits "u" and the compare always fails.
      ['$2a$05$' + SALT.slice(0, 21) + 'D' + HASH, /salt has non-zero trailing bits/],
      ['$2a$05$' + SALT + HASH.slice(0, 30) + 'f', /hash has non-zero trailing bits/],
      ['$2a$05$' + SALT + HASH.slice(0, 30) + '+', /hash has characters outside bcrypt base64/],
    ];
    for (const [input, reason] of cases) assertMalformed(bcrypt, input, reason);
  });

  it('refuses costs above 16 as dangerous, accepts 16', () => {
    for (const cost of ['17', '20', '31']) {
      assert.throws(() => bcrypt.parse(`$2b$${cost}$${SALT}${HASH}`), DangerousHashParametersError);
    }
    assert.throws(() => bcrypt.parse(`$2b$17$${SALT}${HASH}`), /dangerous bcrypt hash: cost 17 .*ceiling of 16/);
    assert.equal(bcrypt.parse(`$2b$16$${SALT}${HASH}`).scheme, 'bcrypt');
  });

  it('tells $2x$ from $2y$ only for passwords with high-bit bytes, as PHP crypt() does', async () => {
    const made = (password: string, minor: string) =>
      stringFixtures('bcrypt').find((f) => f.password === password && f.hash.startsWith(`$2${minor}$05$abcdef`))!.hash;
    const x = made('pässwörd ✓', 'x');
    const y = made('pässwörd ✓', 'y');
    assert.notEqual(x.slice(7), y.slice(7));
    assert.equal(await bcrypt.verify(x, 'pässwörd ✓'), true);
    assert.equal(await bcrypt.verify(`$2y$${x.slice(4)}`, 'pässwörd ✓'), false);
    assert.equal(made('plain ascii', 'x').slice(7), made('plain ascii', 'y').slice(7));
  });

  it('reads the password as a C string: it ends at the first NUL', async () => {
    const { hash } = stringFixtures('bcrypt').find((f) => f.password === 'abc')!;
    assert.equal(await bcrypt.verify(hash, 'abc\u0000anything'), true);
    assert.equal(await bcrypt.verify(hash, 'ab'), false);
  });

  it('yields to the event loop while it works', async () => {
    const { hash, password } = stringFixtures('bcrypt').find((f) => f.hash.startsWith('$2y$10$'))!;
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    assert.equal(await bcrypt.verify(hash, password), true);
    clearInterval(timer);
    assert.ok(ticks > 0, 'timers ran during a cost-10 check');
  });
});

describe('Django bcrypt hashers', () => {
  const inner = `$2b$05$${SALT}${HASH}`;

  it('claim only their own prefix', () => {
    assert.equal(djangoBcrypt.detect(`bcrypt$${inner}`), true);
    assert.equal(djangoBcrypt.detect(`bcrypt_sha256$${inner}`), false);
    assert.equal(djangoBcryptSha256.detect(`bcrypt_sha256$${inner}`), true);
    assert.equal(djangoBcryptSha256.detect(`bcrypt$${inner}`), false);
  });

  it('refuse what Python bcrypt or Django would refuse', () => {
    assertMalformed(djangoBcrypt, `bcrypt$${inner.slice(1)}`, /must start with "bcrypt\$\$"/);
    assertMalformed(djangoBcryptSha256, `bcrypt_sha256$${inner.slice(1)}`, /must start with "bcrypt_sha256\$\$"/);
    assertMalformed(djangoBcrypt, `bcrypt$$2x$05$${SALT}${HASH}`, /"\$2x\$" is not one this hasher checks/);
    assertMalformed(djangoBcrypt, `bcrypt$$2b$05$${SALT}`, /hash is missing/);
    assert.throws(() => djangoBcryptSha256.parse(`bcrypt_sha256$$2b$17$${SALT}${HASH}`), DangerousHashParametersError);
  });

  it('bcrypt_sha256 has no 72-byte limit: the SHA-256 hex goes to bcrypt', async () => {
    const { hash, password } = stringFixtures('django-bcrypt-sha256').find((f) => f.password.length > 40)!;
    assert.equal(await djangoBcryptSha256.verify(hash, password), true);
    assert.equal(await djangoBcryptSha256.verify(hash, `${password}é`), false);
  });

  it('plain bcrypt$ keeps the 72-byte limit; a NUL is a non-match, as Python bcrypt refuses it', async () => {
    const { hash, password } = stringFixtures('django-bcrypt').find((f) => f.password.length > 40)!;
    assert.equal(await djangoBcrypt.verify(hash, `${password}é`), true);
    const short = stringFixtures('django-bcrypt').find((f) => f.password === 'pässwörd ✓')!;
    assert.equal(await djangoBcrypt.verify(short.hash, 'pässwörd ✓\u0000'), false);
  });
});
