import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DangerousHashParametersError, MalformedHashError } from './hash-errors.ts';
import type { HashFamily } from './hash-family.ts';
import { argon2 } from './argon2.ts';
import { djangoArgon2 } from './django-argon2.ts';
import { assertMalformed } from './assert-malformed.test-helper.ts';

// Argon2 reference src/test.c, Argon2i v=19, "password" / "somesalt".
const SALT = 'c29tZXNhbHQ';
const HASH = 'iekCn0Y3spW+sCcFanM2xBT63UP2sghkUoHLIUpWRS8';
const VALID = `$argon2i$v=19$m=256,t=2,p=1$${SALT}$${HASH}`;


describe('argon2', () => {
  it('refuses malformed strings with a reason', () => {
    const cases: [string, RegExp][] = [
      [`$argon2x$v=19$m=256,t=2,p=1$${SALT}$${HASH}`, /must start with "\$argon2id\$"/],
      [`$argon2i$v=18$m=256,t=2,p=1$${SALT}$${HASH}`, /version must be v=16 or v=19/],
      [`$argon2i$v=19$m=256,t=2,p=1$${SALT}`, /expected parameters, salt and hash/],
      [`$argon2i$v=19$m=256,t=2,p=1$${SALT}$${HASH}$`, /expected parameters, salt and hash/],
      // test.c "Handle an invalid encoding correctly (it is missing a $)", both places.
      [`$argon2i$v=19$m=65536,t=2,p=1${SALT}$wWKIMhR9lyDFvRz9YTZweHKfbftvj+qf+YFY4NeBbtA`, /bad parameter|expected/],
      [`$argon2i$v=19$m=65536,t=2,p=1$${SALT}wWKIMhR9lyDFvRz9YTZweHKfbftvj+qf+YFY4NeBbtA`, /expected/],
      // test.c "salt is too short": an empty salt.
      [`$argon2i$v=19$m=65536,t=2,p=1$$9sTbSlTio3Biev89thdrlKKiCaYsjjYVJxGAL3swxpQ`, /salt must be 8 to 1024 bytes/],
      [`$argon2i$v=19$m=256,t=2,p=1$c29tZXNhbA$${HASH}`, /salt must be 8 to 1024 bytes, got 7/],
      [`$argon2i$v=19$m=256,t=2,p=1$${SALT.slice(0, -1)}R$${HASH}`, /salt has non-zero trailing bits/],
      [`$argon2i$v=19$m=256,t=2,p=1$${SALT}$${HASH}!`, /hash has characters outside/],
      [`$argon2i$v=19$m=256,t=2,p=1$${SALT}$AAA`, /hash must be 4 to 1024 bytes, got 2/],
      [`$argon2i$v=19$m=0256,t=2,p=1$${SALT}$${HASH}`, /m must be a decimal number/],
      [`$argon2i$v=19$m=256,t=0,p=1$${SALT}$${HASH}`, /iterations t must be at least 1/],
      [`$argon2i$v=19$m=256,t=2,p=0$${SALT}$${HASH}`, /parallelism p must be between 1/],
      [`$argon2i$v=19$m=15,t=2,p=2$${SALT}$${HASH}`, /memory m must be at least 8 × p = 16 KiB, got 15/],
      [`$argon2i$v=19$m=256,t=2$${SALT}$${HASH}`, /parameters must be m, t and p/],
      [`$argon2i$v=19$m=256,t=2,p=1,keyid=AAAA$${SALT}$${HASH}`, /parameters must be/],
      [`$argon2i$v=19$m=256,m=256,t=2,p=1$${SALT}$${HASH}`, /bad parameter "m=256"/],
      [`$argon2i$v=19$m=256,t=2,p=1,data=A$${SALT}$${HASH}`, /data has an impossible length/],
    ];
    for (const [input, reason] of cases) assertMalformed(argon2, input, reason);
  });

  it('refuses memory above 256 MiB, long runs and many threads as dangerous', () => {
    // test.c's TEST_LARGE_RAM vector: m = 2^20 KiB = 1 GiB.
    const gib = '$argon2i$v=19$m=1048576,t=2,p=1$c29tZXNhbHQ$0Vh6ygkiw7XWqD7asxvuPE667zQu1hJ6VdGbI1GtH0E';
    assert.throws(() => argon2.parse(gib), /dangerous argon2 hash: memory m=1048576 KiB is above the ceiling/);
    assert.throws(() => argon2.parse(`$argon2id$v=19$m=262145,t=1,p=1$${SALT}$${HASH}`), DangerousHashParametersError);
    assert.throws(() => argon2.parse(`$argon2id$v=19$m=262144,t=11,p=1$${SALT}$${HASH}`), /m × t/);
    assert.throws(() => argon2.parse(`$argon2id$v=19$m=1024,t=1,p=65$${SALT}$${HASH}`), /p=65 .* 64 threads/);
    assert.equal(argon2.parse(`$argon2id$v=19$m=262144,t=10,p=64$${SALT}$${HASH}`).format, 'argon2');
  });

  it('reads m, t and p in any order and padded Base64, as the JavaScript tools that wrote them do', () => {
    for (const params of ['t=2,m=256,p=1', 'm=256,p=1,t=2', 'p=1,t=2,m=256,data=AAAA']) {
      assert.equal(argon2.parse(`$argon2i$v=19$${params}$${SALT}$${HASH}`).encoded.includes(params), true);
    }
    assert.equal(argon2.parse(`$argon2i$v=19$m=256,t=2,p=1$${SALT}=$${HASH}=`).scheme, 'argon2');
  });

  it('verifies test.c vectors, with and without v=, and rejects the "passwore" mismatch', async () => {
    assert.equal(await argon2.verify(VALID, 'password'), true);
    assert.equal(await argon2.verify(VALID.replace('v=19$', ''), 'password'), false, 'v absent means version 1.0');
    const passwore = '$argon2i$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$8iIuixkI73Js3G1uMbezQXD0b8LG4SXGsOwoQkdAQIM';
    assert.equal(await argon2.verify(passwore, 'password'), false);
  });
});

describe('Django argon2', () => {
  const django = `argon2$argon2i$v=19$m=256,t=2,p=1$${SALT}$${HASH}`;

  it('verifies the test.c vector wrapped the Django way', async () => {
    assert.equal(djangoArgon2.detect(django), true);
    assert.equal(djangoArgon2.parse(django).format, 'django-argon2');
    assert.equal(await djangoArgon2.verify(django, 'password'), true);
  });

  it('holds to the reference decoder that argon2-cffi uses', () => {
    assertMalformed(djangoArgon2, 'argon2$$argon2i$v=19$m=256,t=2,p=1$x$y', /must start with "argon2\$argon2id\$"/);
    assertMalformed(djangoArgon2, django.replace('m=256,t=2', 't=2,m=256'), /parameters must be "m,t,p"/);
    assertMalformed(djangoArgon2, django.replace('p=1', 'p=1,data=AAAA'), /parameters must be "m,t,p"/);
    assertMalformed(djangoArgon2, `${django}=`, /hash must not carry "=" padding/);
    assert.throws(() => djangoArgon2.parse(django.replace('m=256', 'm=524288')), DangerousHashParametersError);
  });
});
