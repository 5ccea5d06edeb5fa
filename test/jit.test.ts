import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { CircuitBreakerVerifier } from '../src/migration/jit/circuit-breaker.ts';
import { HttpLegacyVerifier } from '../src/migration/jit/http-legacy-verifier.ts';
import { FakeLegacySystem } from './support/fake-legacy-system.ts';
import { jsonl, startTestServer, type TestServer } from './support/test-server.ts';

describe('just-in-time migration against the legacy system', () => {
  const legacy = new FakeLegacySystem();
  let server: TestServer;
  let verifier: string;
  before(async () => {
    const url = await legacy.start();
    legacy.accounts.set('jo@example.com', { password: 'old-secret', profile: { id: 'j-1', email: 'jo@example.com', name: 'Jo Legacy', locale: 'de' } });
    legacy.accounts.set('newbie@example.com', { password: 'hello-there', profile: { id: 'n-9', email: 'newbie@example.com', given_name: 'New' } });
    server = await startTestServer({ env: { LEGACY_VERIFY_URL: url, LEGACY_VERIFY_TOKEN: 'legacy-shared-secret', LEGACY_TIMEOUT_MS: '300' } });
    verifier = `Bearer ${await server.tokenFor('verifier')}`;
    const imported = await server.api.post('/api/v1/imports').set('authorization', `Bearer ${server.adminToken}`)
      .set('content-type', 'application/x-ndjson').send(jsonl([{ id: 'j-1', email: 'jo@example.com' }, { id: 'j-2', email: 'down@example.com' }]));
    assert.deepEqual(imported.body.paths, { jit: 2 }, 'rows without a hash default to jit when LEGACY_VERIFY_URL is set');
  });
  after(async () => {
    await server.close();
    await legacy.stop();
  });
  beforeEach(() => {
    legacy.mode = 'up';
    legacy.calls.length = 0;
  });

  const verify = (login: string, password: string) => server.api.post('/api/v1/verify').set('authorization', verifier).send({ login, password });

  test('a right password migrates the user, stores argon2id, and the legacy system is never asked again', async () => {
    const first = await verify('jo@example.com', 'old-secret');
    assert.equal(first.status, 200, first.text);
    assert.deepEqual({ path: first.body.path, migrated: first.body.migrated, rehashed: first.body.rehashed }, { path: 'jit', migrated: true, rehashed: false });
    assert.equal(first.body.user.name, 'Jo Legacy');
    assert.equal(legacy.calls.length, 1);
    assert.equal(legacy.calls[0]!.authorization, 'Bearer legacy-shared-secret');
    const [user] = await server.query("SELECT u.state, u.migrated_at, c.scheme, c.source FROM users u JOIN password_credentials c ON c.user_id = u.id WHERE u.legacy_id = 'j-1'");
    assert.equal(user.state, 'migrated');
    assert.equal(user.scheme, 'argon2id');
    assert.equal(user.source, 'jit');

    legacy.mode = 'error';
    const again = await verify('jo@example.com', 'old-secret');
    assert.equal(again.status, 200);
    assert.equal(again.body.migrated, false);
    assert.equal((await verify('jo@example.com', 'wrong')).status, 401);
    assert.equal(legacy.calls.length, 1, 'no further legacy calls for a migrated user');
  });

  test('a login cutover does not know is checked against the legacy system and created', async () => {
    const response = await verify('newbie@example.com', 'hello-there');
    assert.equal(response.status, 200, response.text);
    assert.equal(response.body.migrated, true);
    assert.equal(response.body.user.legacy_id, 'n-9');
    const [user] = await server.query("SELECT path, state, given_name FROM users WHERE legacy_id = 'n-9'");
    assert.deepEqual(user, { path: 'jit', state: 'migrated', given_name: 'New' });
  });

  test('two concurrent first sign-ins of one unknown login make one user; both are answered verified', async () => {
    legacy.accounts.set('twice@example.com', { password: 'twice-secret', profile: { id: 'tw-1', email: 'twice@example.com' } });
    const answers = await Promise.all([verify('twice@example.com', 'twice-secret'), verify('twice@example.com', 'twice-secret')]);
    assert.deepEqual(answers.map((a) => a.status), [200, 200], answers.map((a) => a.text).join(' '));
    assert.deepEqual(answers.map((a) => a.body.migrated).sort(), [false, true]);
    assert.equal((await server.query("SELECT count(*)::int AS n FROM users WHERE legacy_id = 'tw-1'"))[0].n, 1);
    assert.equal((await server.query("SELECT count(*)::int AS n FROM verification_events WHERE outcome = 'jit_identity_mismatch'"))[0].n, 0);
  });

  test('a wrong password or an unknown account at the legacy system is a 401', async () => {
    assert.equal((await verify('down@example.com', 'whatever')).status, 401);
    const unknown = await verify('ghost@example.com', 'whatever');
    assert.equal(unknown.status, 401);
    assert.deepEqual(unknown.body, { verified: false, error: 'invalid_credentials' });
  });

  test('fails closed with 503 when the legacy system errors or does not answer in time', async () => {
    legacy.mode = 'error';
    const failed = await verify('down@example.com', 'whatever');
    assert.equal(failed.status, 503);
    assert.deepEqual(failed.body, { verified: false, error: 'legacy_unavailable' });
    legacy.mode = 'hang';
    const started = Date.now();
    const slow = await verify('down@example.com', 'whatever');
    assert.equal(slow.status, 503);
    assert.ok(Date.now() - started < 2000, 'gives up after LEGACY_TIMEOUT_MS');
    const [user] = await server.query("SELECT state FROM users WHERE legacy_id = 'j-2'");
    assert.equal(user.state, 'pending');
  });
});

describe('the circuit breaker around the legacy verifier', () => {
  test('opens after repeated failures, answers at once, then lets one trial through', async () => {
    const legacy = new FakeLegacySystem();
    const url = await legacy.start();
    legacy.accounts.set('a', { password: 'p', profile: {} });
    let now = 0;
    const breaker = new CircuitBreakerVerifier(new HttpLegacyVerifier({ url, timeoutMs: 500 }), { failureThreshold: 3, openMs: 10_000, now: () => now });
    legacy.mode = 'error';
    for (let i = 0; i < 3; i++) await assert.rejects(breaker.verify('a', 'p'), /HTTP 500/);
    assert.equal(breaker.state, 'open');
    await assert.rejects(breaker.verify('a', 'p'), /circuit is open/);
    assert.equal(legacy.calls.length, 3, 'an open circuit does not call the legacy system');
    legacy.mode = 'up';
    now += 10_001;
    assert.equal(breaker.state, 'half-open');
    assert.deepEqual(await breaker.verify('a', 'p'), { ok: true, profile: {} });
    assert.equal(breaker.state, 'closed');
    await legacy.stop();
  });
});
