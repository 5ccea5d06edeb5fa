import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { jsonl, startTestServer, type TestServer } from './support/test-server.ts';

// From Django 3.2's make_password with iterations lowered to 1000 (test/fixtures/hashes): the password is "pässwörd ✓".
const PASSWORD = 'pässwörd ✓';
const DJANGO_PBKDF2 = 'pbkdf2_sha256$1000$Z5ZgErTJq8Y3iq6ZIhgHmq$GeqkUcyWnHk010q3INEvkOxTZdbCsviQVMrTUTO50IE=';

describe('POST /api/v1/verify', () => {
  let server: TestServer;
  let verifier: string;
  before(async () => {
    server = await startTestServer({ env: { VERIFY_MAX_FAILURES: '5' } });
    verifier = `Bearer ${await server.tokenFor('verifier')}`;
    const imported = await server.api.post('/api/v1/imports').set('authorization', `Bearer ${server.adminToken}`).set('content-type', 'application/x-ndjson')
      .send(jsonl([
        { id: 'h-1', email: 'hash@example.com', name: 'Hash User', password_hash: DJANGO_PBKDF2 },
        { id: 'h-2', email: 'race@example.com', password_hash: DJANGO_PBKDF2 },
        { id: 'r-1', email: 'reset@example.com' },
        { id: 'l-1', email: 'limit@example.com', password_hash: DJANGO_PBKDF2 },
      ]));
    assert.equal(imported.body.imported, 4, JSON.stringify(imported.body.errors));
  });
  after(() => server.close());

  const verify = (body: unknown) => server.api.post('/api/v1/verify').set('authorization', verifier).send(body as object);

  test('the right password verifies the legacy hash, rehashes it to argon2id once, and deletes the legacy hash', async () => {
    const first = await verify({ login: 'HASH@example.com', password: PASSWORD });
    assert.equal(first.status, 200, first.text);
    assert.equal(first.body.verified, true);
    assert.equal(first.body.path, 'bulk_hash');
    assert.equal(first.body.rehashed, true);
    assert.equal(first.body.migrated, true);
    assert.equal(first.body.user.legacy_id, 'h-1');
    assert.equal(first.body.user.email, 'hash@example.com');
    assert.equal(first.body.user.name, 'Hash User');

    const [credential] = await server.query("SELECT c.scheme, c.encoded, c.source, u.legacy_hash FROM password_credentials c JOIN users u ON u.id = c.user_id WHERE u.legacy_id = 'h-1'");
    assert.equal(credential.scheme, 'argon2id');
    assert.equal(credential.source, 'rehash');
    assert.equal(credential.legacy_hash, null, 'the legacy hash is deleted');
    assert.match(credential.encoded, /^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);

    const second = await verify({ login: 'h-1', password: PASSWORD });
    assert.equal(second.status, 200);
    assert.equal(second.body.rehashed, false);
    assert.equal(second.body.migrated, false);
  });

  test('a wrong password, an unknown login and a reset-path user get the same 401, in about the same time', async () => {
    const timings: Record<string, number[]> = { wrong: [], unknown: [], reset: [] };
    const bodies = new Set<string>();
    for (let round = 0; round < 3; round++) {
      for (const [kind, login] of [['wrong', 'hash@example.com'], ['unknown', `nobody-${round}@example.com`], ['reset', 'reset@example.com']] as const) {
        const started = performance.now();
        const response = await verify({ login, password: `wrong-${round}` });
        timings[kind]!.push(performance.now() - started);
        assert.equal(response.status, 401);
        bodies.add(JSON.stringify(response.body));
      }
    }
    assert.deepEqual([...bodies], [JSON.stringify({ verified: false, error: 'invalid_credentials' })]);
    const medians = Object.values(timings).map((t) => t.sort((a, b) => a - b)[1]!);
    const spread = Math.max(...medians) - Math.min(...medians);
    assert.ok(spread < Math.max(...medians) * 0.5, `medians ${medians.map((m) => m.toFixed(1)).join(' / ')} ms differ too much`);
    const [reset] = await server.query("SELECT refused_signin_at FROM users WHERE legacy_id = 'r-1'");
    assert.ok(reset.refused_signin_at instanceof Date, 'the reset-path attempt is recorded for the next wave');
  });

  test('two concurrent checks of one user upgrade it exactly once', async () => {
    const answers = await Promise.all(Array.from({ length: 4 }, () => verify({ login: 'race@example.com', password: PASSWORD })));
    assert.deepEqual(answers.map((a) => a.status), [200, 200, 200, 200]);
    assert.equal(answers.filter((a) => a.body.rehashed).length, 1);
    const rows = await server.query("SELECT c.* FROM password_credentials c JOIN users u ON u.id = c.user_id WHERE u.legacy_id = 'h-2'");
    assert.equal(rows.length, 1);
    assert.equal(rows[0].scheme, 'argon2id');
    assert.equal(answers.filter((a) => a.body.migrated).length, 1);
  });

  test('too many failures for a login answer 429 with Retry-After, even with the right password', async () => {
    for (let i = 0; i < 5; i++) assert.equal((await verify({ login: 'limit@example.com', password: 'nope' })).status, 401);
    const limited = await verify({ login: 'limit@example.com', password: PASSWORD });
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers['retry-after']) > 0);
    assert.equal(limited.body.error, 'too_many_attempts');
  });

  test('failures are also counted per end-user address across logins', async () => {
    for (let i = 0; i < 5; i++) assert.equal((await verify({ login: `spray-${i}@example.com`, password: 'x', ip: '203.0.113.7' })).status, 401);
    assert.equal((await verify({ login: 'spray-new@example.com', password: 'x', ip: '203.0.113.7' })).status, 429);
    assert.equal((await verify({ login: 'spray-new@example.com', password: 'x', ip: '203.0.113.8' })).status, 401);
  });

  test('malformed bodies answer 400 invalid_request with the field', async () => {
    for (const [body, field] of [
      [{}, 'login'], [{ login: 'a@b.co' }, 'password'], [{ login: 42, password: 'x' }, 'login'],
      [{ login: 'a@b.co', password: 'x'.repeat(4097) }, 'password'], [{ login: 'a@b.co', password: 'x', ip: 'nope' }, 'ip'],
    ] as const) {
      const response = await verify(body);
      assert.equal(response.status, 400, JSON.stringify(body));
      assert.equal(response.body.error, 'invalid_request');
      assert.ok(response.body.fields.some((f: { field: string }) => f.field === field), JSON.stringify(response.body));
    }
    const notJson = await server.api.post('/api/v1/verify').set('authorization', verifier).set('content-type', 'application/json').send('{"login":');
    assert.equal(notJson.status, 400);
    assert.equal(notJson.body.error, 'invalid_request');
  });

  test('only verifier and admin tokens may verify', async () => {
    const support = await server.tokenFor('support');
    const response = await server.api.post('/api/v1/verify').set('authorization', `Bearer ${support}`).send({ login: 'x@y.z', password: 'p' });
    assert.equal(response.status, 403);
    assert.equal((await server.api.post('/api/v1/verify').send({ login: 'x@y.z', password: 'p' })).status, 401);
    assert.equal((await server.api.post('/api/v1/verify').set('authorization', 'Bearer nope').send({ login: 'x@y.z', password: 'p' })).status, 401);
  });
});
