import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { jsonl, startTestServer, type TestServer } from '../support/test-server.ts';

// Django 3.2: PBKDF2PasswordHasher().encode("pässwörd ✓", "Z5ZgErTJq8Y3iq6ZIhgHmq", 1000)
const GOOD = 'pbkdf2_sha256$1000$Z5ZgErTJq8Y3iq6ZIhgHmq$GeqkUcyWnHk010q3INEvkOxTZdbCsviQVMrTUTO50IE=';
// Stored hashes that no longer parse (a bad salt, a bad digest): their salt and digest must not reach the log.
const SALT = 'LeakSaltMaterial!';
const BAD_SALT = `$6$rounds=5000$${SALT}$${'A'.repeat(86)}`;
const DIGEST = 'LeakDigestMaterialXYZ';
const BAD_DIGEST = `pbkdf2_sha256$1000$Z5ZgErTJq8Y3iq6ZIhgHmq$${DIGEST}`;

describe('attack: a stored hash that cannot be checked leaks nothing of itself into the log', () => {
  const lines: string[] = [];
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ env: { LOG_LEVEL: 'trace' }, logTo: { write: (line) => { lines.push(line); } } });
    const imported = await server.api.post('/api/v1/imports').set('authorization', `Bearer ${server.adminToken}`)
      .set('content-type', 'application/x-ndjson')
      .send(jsonl([{ id: 's-1', email: 'salt@example.com', password_hash: GOOD }, { id: 's-2', email: 'digest@example.com', password_hash: GOOD }]));
    assert.equal(imported.body.imported, 2);
    // The stored hash is damaged after import (a bad restore, a hand edit): only a check at sign-in finds out.
    await server.query("UPDATE users SET legacy_hash = $1, legacy_hash_scheme = 'sha512-crypt' WHERE legacy_id = 's-1'", [BAD_SALT]);
    await server.query("UPDATE users SET legacy_hash = $1 WHERE legacy_id = 's-2'", [BAD_DIGEST]);
  });
  after(() => server.close());

  test('the check fails as a wrong password, and the log names the user and scheme but no hash, salt or digest', async () => {
    const verifier = `Bearer ${await server.tokenFor('verifier')}`;
    for (const login of ['salt@example.com', 'digest@example.com']) {
      const before = lines.length;
      const response = await server.api.post('/api/v1/verify').set('authorization', verifier).send({ login, password: 'pässwörd ✓' });
      assert.equal(response.status, 401, response.text);
      const logged = lines.slice(before).map((line) => JSON.parse(line) as Record<string, unknown>);
      const entry = logged.find((line) => line.msg === 'stored legacy hash could not be checked');
      assert.ok(entry, `no log line for ${login}: ${lines.slice(before).join('')}`);
      assert.match(String(entry.scheme), /sha512-crypt|django-pbkdf2/);
      assert.ok(entry.user, 'the log names the user');
    }
    const log = lines.join('');
    for (const material of [SALT, DIGEST, 'A'.repeat(40), 'Z5ZgErTJq8Y3iq6ZIhgHmq', 'rounds=5000$']) {
      assert.ok(!log.includes(material), `the log holds ${material}: ${log.slice(log.indexOf(material) - 200, log.indexOf(material) + 50)}`);
    }
  });
});
