import assert from 'node:assert/strict';
import { test } from 'node:test';
import { legacyHashCostKey } from './legacy-check-costs.ts';

test('a cost key keeps the scheme and cost parameters and drops salts and digests', () => {
  // bcrypt: cost 12 and cost 10 differ; two cost-12 hashes with different salts share a key.
  const a = legacyHashCostKey('bcrypt', '$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW');
  assert.equal(a, 'bcrypt:$2b$12$');
  assert.equal(legacyHashCostKey('bcrypt', '$2b$12$abcdefghijklmnopqrstuuKDLgyHkCvNi1n8p3lWpYbGJvTrnTeC2'), a);
  assert.notEqual(legacyHashCostKey('bcrypt', '$2b$10$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW'), a);
  // passlib's sha512_crypt default, Django PBKDF2 and argon2id keep their rounds, iterations and m/t/p.
  assert.equal(legacyHashCostKey('sha512-crypt', '$6$rounds=656000$qJ0yXzE9Zb0f0e.Z$0cF5b6K0o6f7cEvXq3uG3pzmlzV8gHh9w2v6b1Kk2Yt'), 'sha512-crypt:$6$rounds=656000$$');
  assert.equal(legacyHashCostKey('django-pbkdf2-sha256', 'pbkdf2_sha256$1000000$c2FsdHNhbHRzYWx0$q0xM4xT1n8aQ0R1nLx4Ue3i9nN0m1vW3cQ4z2y5bY8A='), 'django-pbkdf2-sha256:pbkdf2_sha256$1000000$$=');
  assert.equal(legacyHashCostKey('argon2id', '$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHRzb21lc2FsdA$RdescudvJCsgt3ub+b+dWRWJTmaaJObG'), 'argon2id:$$v=19$m=65536,t=3,p=4$$');
  assert.equal(legacyHashCostKey('pbkdf2-object', '{"algorithm":"pbkdf2-sha256","hash":"q0xM4xT1n8aQ0R1nLx4Ue3i9nN0m1vW3","iterations":600000,"salt":"c2FsdHNhbHRzYWx0"}'),
    'pbkdf2-object:{"":"pbkdf2-sha256","hash":"","":600000,"salt":""}', 'long words go too; the numbers stay');
});
