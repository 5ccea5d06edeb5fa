import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import argon2 from 'argon2';
import { argon2idHash, canonicalArgon2id } from './writer-refusals.ts';
import { SAMPLE_PASSWORD, sampleUser } from './sample-user.test-helper.ts';

describe('argon2id hashes leave in the canonical PHC order m, t, p', () => {
  test('the argon2 package\'s m,p,t order is put back as m,t,p, and the hash still verifies', async () => {
    const user = await sampleUser();
    assert.match(user.passwordHash!, /\$m=19456,p=1,t=2\$/, 'what the argon2 package writes');
    const { hash, refusals } = argon2idHash(user);
    assert.deepEqual(refusals, []);
    assert.match(hash!, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    assert.equal(hash!.split('$').slice(4).join('$'), user.passwordHash!.split('$').slice(4).join('$'), 'salt and hash unchanged');
    assert.equal(await argon2.verify(hash!, SAMPLE_PASSWORD), true);
  });

  test('anything that is not an argon2id v=19 string with exactly m, t and p is refused, never guessed at', async () => {
    for (const bad of ['$argon2i$v=19$m=16,t=2,p=1$c2FsdHNhbHQ$aGFzaA', '$argon2id$v=16$m=16,t=2,p=1$c2FsdHNhbHQ$aGFzaA',
      '$argon2id$v=19$m=16,t=2$c2FsdHNhbHQ$aGFzaA', '$argon2id$v=19$m=16,t=2,p=1,x=3$c2FsdHNhbHQ$aGFzaA', '$2b$10$abcdefghijklmnopqrstuv']) {
      assert.equal(canonicalArgon2id(bad), null, bad);
      const { hash, refusals } = argon2idHash(await sampleUser({ passwordHash: bad }));
      assert.equal(hash, null);
      assert.deepEqual(refusals.map((r) => r.credential), ['password']);
    }
    assert.equal(canonicalArgon2id('$argon2id$v=19$p=1,t=2,m=16$c2FsdHNhbHQ$aGFzaA'), '$argon2id$v=19$m=16,t=2,p=1$c2FsdHNhbHQ$aGFzaA');
  });
});
