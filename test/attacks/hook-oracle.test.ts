import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { NEW_PASSWORD, enrolHookUser, importHookUsers } from '../support/hook-users.ts';
import { signedInStaff } from '../support/staff-helpers.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

/**
 * A hook endpoint is a password oracle, and the Keycloak lookup a user directory with TOTP secrets, for whoever can
 * call it. These attacks drive the real app: each must fail against the hooks without the guard it names.
 */
describe('attacks on the platform hooks', () => {
  let server: TestServer;
  let verifier: string;
  let ids: Record<string, string>;

  before(async () => {
    server = await startTestServer({ env: { VERIFY_MAX_FAILURES: '5' } });
    verifier = `Bearer ${await server.tokenFor('verifier')}`;
    ids = await importHookUsers(server, [
      { id: 'e-totp', email: 'totp@example.com', path: 'reset' },
      { id: 'victim', email: 'victim@example.com', path: 'reset' },
    ]);
    await enrolHookUser(server, ids['e-totp']!, { totp: true });
    await enrolHookUser(server, ids.victim!, { totp: false });
  });
  after(() => server.close());

  const oktaBody = (username: string, password: string) => ({ eventType: 'com.okta.user.credential.password.import', data: { context: { credential: { username, password } } } });

  test('a signed-in staff member\'s browser cannot read the Keycloak lookup: hooks take a Bearer token, never the session cookie', async () => {
    const staff = await signedInStaff(server, 'admin@hooks.example', 'admin');
    const response = await staff.agent.get('/hooks/keycloak/users/totp@example.com');
    assert.equal(response.status, 401, `a staff session read the lookup: ${response.text}`);
  });

  test('an admin token does not get TOTP secrets from the Keycloak lookup: it is for the verifier token only', async () => {
    const response = await server.api.get('/hooks/keycloak/users/totp@example.com').set('authorization', `Bearer ${server.adminToken}`);
    assert.equal(response.status, 403, `admin read the lookup: ${response.text}`);
  });

  test('TOTP secrets never travel over plain HTTP to a remote caller; over https (at the trusted proxy) they do', async () => {
    const remote = await server.api.get('/hooks/keycloak/users/totp@example.com').set('authorization', verifier).set('x-forwarded-for', '203.0.113.7');
    assert.equal(remote.status, 200);
    assert.deepEqual(remote.body.totps, [], 'a TOTP secret went out over plain HTTP');
    const tls = await server.api.get('/hooks/keycloak/users/totp@example.com').set('authorization', verifier).set('x-forwarded-for', '203.0.113.7').set('x-forwarded-proto', 'https');
    assert.equal(tls.body.totps.length, 1);
    // …and without the secret, a password alone must not pass Keycloak's POST, or the second factor is lost.
    const post = await server.api.post('/hooks/keycloak/users/totp@example.com').set('authorization', verifier).set('x-forwarded-for', '203.0.113.7').send({ password: NEW_PASSWORD });
    assert.equal(post.status, 401);
  });

  test('a platform that cannot carry the second factor cannot be used to skip it: the password alone is refused', async () => {
    const okta = await server.api.post('/hooks/okta/password-import').set('authorization', verifier).send(oktaBody('totp@example.com', NEW_PASSWORD));
    assert.equal(okta.body.commands[0].value.credential, 'UNVERIFIED');
    const kratos = await server.api.post('/hooks/kratos/password-migration').set('authorization', verifier).send({ identifier: 'totp@example.com', password: NEW_PASSWORD });
    assert.equal(kratos.status, 403);
    const fusion = await server.api.post('/hooks/fusionauth/connector').set('authorization', verifier).send({ loginId: 'totp@example.com', password: NEW_PASSWORD });
    assert.equal(fusion.status, 404);
  });

  test('doubled calls with one wrong password count one failure, so a platform\'s retries cannot lock the user out', async () => {
    await Promise.all(Array.from({ length: 6 }, () => server.api.post('/hooks/okta/password-import').set('authorization', verifier).send(oktaBody('victim@example.com', 'guess-1'))));
    const [{ n }] = await server.query("SELECT count(*)::int AS n FROM verification_events WHERE user_id = $1 AND outcome = 'invalid_credentials'", [ids.victim]);
    assert.equal(n, 1, `${n} failures counted for one doubled call`);
    const right = await server.api.post('/hooks/okta/password-import').set('authorization', verifier).send(oktaBody('victim@example.com', NEW_PASSWORD));
    assert.equal(right.body.commands[0].value.credential, 'VERIFIED', 'the user was locked out by one doubled wrong password');
  });

  test('a body over 16 KiB is refused before any work, in the platform\'s error shape', async () => {
    const big = { ...oktaBody('victim@example.com', 'x'), padding: 'x'.repeat(20_000) };
    const response = await server.api.post('/hooks/okta/password-import').set('authorization', verifier).send(big);
    assert.equal(response.status, 413, `a ${JSON.stringify(big).length}-byte body was read: ${response.status}`);
    assert.equal(response.body.error.errorSummary, 'The request body is too large');
  });
});
