// Writes test/fixtures/hashes/tool-defaults.jsonl: one hash per format at the cost its own tools choose by default
// today, which LEGACY_HASH_MAX_MS's default must accept (issue 9, item 3). Run: node scripts/hash-fixtures/tool-defaults.mjs
//   sha-crypt: glibc crypt(3) through python3's crypt module, at passlib's defaults (sha512_crypt 656,000 rounds,
//              sha256_crypt 535,000: passlib.hash.sha512_crypt.default_rounds);
//   Django:    PBKDF2PasswordHasher.iterations = 1_000_000 (Django 5.2), computed with hashlib.pbkdf2_hmac;
//   bcrypt:    cost 14 by @node-rs/bcrypt; argon2id: m=64 MiB, t=3, p=4 (RFC 9106's second choice) by node-argon2.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { hashSync } from '@node-rs/bcrypt';
import argon2 from 'argon2';

const password = 'correct horse battery staple';
const python = (code) => execFileSync('python3', ['-W', 'ignore', '-c', code], { encoding: 'utf8' }).trim();
const lines = [
  { format: 'sha512-crypt', tool: 'glibc crypt(3) via python3 crypt, passlib sha512_crypt default rounds', password_hash: python(`import crypt; print(crypt.crypt(${JSON.stringify(password)}, '$6$rounds=656000$toolDefaults6$'))`) },
  { format: 'sha256-crypt', tool: 'glibc crypt(3) via python3 crypt, passlib sha256_crypt default rounds', password_hash: python(`import crypt; print(crypt.crypt(${JSON.stringify(password)}, '$5$rounds=535000$toolDefaults5$'))`) },
  { format: 'django-pbkdf2', tool: 'Django 5.2 PBKDF2PasswordHasher default iterations, via python3 hashlib.pbkdf2_hmac', password_hash: python(
    `import hashlib, base64; s = 'toolDefaultsDjango2026'; print('pbkdf2_sha256$1000000$%s$%s' % (s, base64.b64encode(hashlib.pbkdf2_hmac('sha256', ${JSON.stringify(password)}.encode(), s.encode(), 1000000, 32)).decode()))`) },
  { format: 'bcrypt', tool: '@node-rs/bcrypt hashSync, cost 14', password_hash: hashSync(password, 14) },
  { format: 'argon2', tool: 'node-argon2 hash, argon2id m=65536 t=3 p=4', password_hash: await argon2.hash(password, { type: argon2.argon2id, memoryCost: 65536, timeCost: 3, parallelism: 4 }) },
];
writeFileSync(new URL('../../test/fixtures/hashes/tool-defaults.jsonl', import.meta.url), lines.map((line) => JSON.stringify({ ...line, password })).join('\n') + '\n');
