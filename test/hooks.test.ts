import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { FakeLegacySystem } from './support/fake-legacy-system.ts';
import { DJANGO_PASSWORD, DJANGO_PBKDF2, NEW_PASSWORD, enrolHookUser, importHookUsers } from './support/hook-users.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';
import { signedInStaff } from './support/staff-helpers.ts';
import { ALWAYS_STAFFED } from './support/invite.ts';
import { cognitoEventSample, fusionAuthRequestSample, kratosRequestSample, oktaRequestSample, oktaResponseSample } from '../src/hooks/doc-samples.ts';

// Samples from the platforms' own docs (sources named in src/hooks/doc-samples.ts), with our users' credentials.
const oktaSample = (username: string, password: string) => oktaRequestSample(username, password);
const OKTA_VERIFIED = oktaResponseSample('VERIFIED');
const OKTA_UNVERIFIED = oktaResponseSample('UNVERIFIED');
const fusionAuthSample = (loginId: string, password: string) => fusionAuthRequestSample(loginId, password);
const cognitoSample = (triggerSource: string, userName: string, password?: string) => cognitoEventSample(triggerSource, userName, password ?? null);

describe('the platform hooks', () => {
  let server: TestServer;
  let verifier: string;
  let ids: Record<string, string>;
  let totpSecret: string | null;
  const legacy = new FakeLegacySystem();

  before(async () => {
    const legacyUrl = await legacy.start();
    server = await startTestServer({ env: { LEGACY_VERIFY_URL: legacyUrl, LEGACY_TIMEOUT_MS: '10000', COGNITO_LEGACY_ID_ATTRIBUTE: 'custom:legacy_id' } });
    verifier = `Bearer ${await server.tokenFor('verifier')}`;
    ids = await importHookUsers(server, [
      ...['okta', 'kratos', 'keycloak', 'fusionauth', 'cognito', 'race'].map((p) => ({ id: `h-${p}`, email: `${p}@example.com`, name: `Hash ${p}`, given_name: 'Hash', family_name: p, email_verified: true, password_hash: DJANGO_PBKDF2 })),
      { id: 'r-1', email: 'reset@example.com', path: 'reset' },
      { id: 'Jit-User', email: 'jit@example.com', path: 'jit' },
      { id: 'e-totp', email: 'totp@example.com', given_name: 'Tess', family_name: 'Otp', path: 'reset' },
      { id: 'e-pass', email: 'enrolled@example.com', path: 'reset' },
      { id: 'inv-1', email: 'invited@example.com', path: 'reset' },
    ]);
    legacy.accounts.set('jit@example.com', { password: 'legacy-secret', profile: { id: 'Jit-User', email: 'jit@example.com', name: 'Jit User' } });
    totpSecret = await enrolHookUser(server, ids['e-totp']!, { totp: true });
    await enrolHookUser(server, ids['e-pass']!, { totp: false });
  });
  after(async () => {
    await server.close();
    await legacy.stop();
  });

  const post = (path: string, body: unknown, token = verifier) => server.api.post(path).set('authorization', token).send(body as object);
  const events = (userId: string) => server.query('SELECT outcome, platform FROM verification_events WHERE user_id = $1 ORDER BY id', [userId]);

  describe('Okta password import inline hook', () => {
    test('the documented request with the right password answers the documented VERIFIED command, rehashes, and hands the user to Okta', async () => {
      const response = await post('/hooks/okta/password-import', oktaSample('OKTA@example.com', DJANGO_PASSWORD));
      assert.equal(response.status, 200);
      assert.deepEqual(response.body, OKTA_VERIFIED);
      const [user] = await server.query("SELECT u.target_platform, u.handed_off_at, c.scheme FROM users u JOIN password_credentials c ON c.user_id = u.id WHERE u.legacy_id = 'h-okta'");
      assert.equal(user.scheme, 'argon2id');
      assert.equal(user.target_platform, 'okta');
      assert.ok(user.handed_off_at instanceof Date);
      assert.deepEqual(await events(ids['h-okta']!), [{ outcome: 'verified', platform: 'okta' }]);
    });

    test('a wrong password, an unknown login and a TOTP user without the code are all UNVERIFIED in a 200, never a 204', async () => {
      for (const [login, password] of [['okta@example.com', 'wrong'], ['nobody@example.com', 'x'], ['totp@example.com', NEW_PASSWORD]] as const) {
        const response = await post('/hooks/okta/password-import', oktaSample(login, password));
        assert.equal(response.status, 200, login);
        assert.deepEqual(response.body, OKTA_UNVERIFIED, login);
      }
      assert.deepEqual((await events(ids['e-totp']!)).map((e) => e.outcome), ['totp_required']);
    });

    test('a reset-path user is refused as refused_reset, recorded with the platform, and moved up for the next wave', async () => {
      const response = await post('/hooks/okta/password-import', oktaSample('reset@example.com', 'whatever'));
      assert.deepEqual(response.body, OKTA_UNVERIFIED);
      assert.deepEqual(await events(ids['r-1']!), [{ outcome: 'refused_reset', platform: 'okta' }]);
      const [user] = await server.query("SELECT refused_signin_at, handed_off_at FROM users WHERE legacy_id = 'r-1'");
      assert.ok(user.refused_signin_at instanceof Date);
      assert.equal(user.handed_off_at, null);
    });

    test('no token is 401 and a body without the credential is 400, both in Okta\'s error object', async () => {
      const anonymous = await server.api.post('/hooks/okta/password-import').send(oktaSample('okta@example.com', 'x'));
      assert.equal(anonymous.status, 401);
      assert.deepEqual(anonymous.body, { error: { errorSummary: 'A valid bearer token is required' } });
      const bad = await post('/hooks/okta/password-import', { eventType: 'com.okta.user.credential.password.import', data: { context: {} } });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.errorSummary, 'The request is not valid');
      assert.deepEqual(bad.body.error.errorCauses.map((c: { location: string }) => c.location), ['data.context.credential']);
    });
  });

  describe('Ory Kratos password migration hook', () => {
    test('the default jsonnet body {identifier, password}: 200 {"status":"password_match"}, or 403 for a wrong password', async () => {
      // ory/docs, import-user-accounts-identities: the hook gets {"identifier","password"} and answers as below.
      const right = await post('/hooks/kratos/password-migration', kratosRequestSample('kratos@example.com', DJANGO_PASSWORD));
      assert.equal(right.status, 200);
      assert.deepEqual(right.body, { status: 'password_match' });
      const wrong = await post('/hooks/kratos/password-migration', { identifier: 'kratos@example.com', password: 'nope' });
      assert.equal(wrong.status, 403);
      assert.equal(wrong.body.error.code, 403);
      assert.deepEqual(await events(ids['h-kratos']!), [{ outcome: 'verified', platform: 'kratos' }, { outcome: 'invalid_credentials', platform: 'kratos' }]);
    });

    test('an enrolled user is checked against the new password; a jit user against the legacy system', async () => {
      assert.equal((await post('/hooks/kratos/password-migration', { identifier: 'enrolled@example.com', password: NEW_PASSWORD })).status, 200);
      const jit = await post('/hooks/kratos/password-migration', { identifier: 'jit@example.com', password: 'legacy-secret' });
      assert.equal(jit.status, 200, jit.text);
      assert.equal(legacy.calls.filter((c) => c.login === 'jit@example.com').length, 1);
    });

    test('a missing field is 400 in Ory\'s error envelope, naming it', async () => {
      const response = await post('/hooks/kratos/password-migration', { identifier: 'kratos@example.com' });
      assert.equal(response.status, 400);
      assert.equal(response.body.error.code, 400);
      assert.match(response.body.error.reason, /password is required|password .*expected string/i);
    });
  });

  describe('Keycloak (keycloak-user-migration REST contract)', () => {
    test('GET finds a user by email or legacy id in any case and answers the plugin\'s user JSON', async () => {
      // daniel-frak/keycloak-user-migration README, "GET": the fields of the documented response.
      for (const login of ['KEYCLOAK@Example.com', 'H-KEYCLOAK']) {
        const response = await server.api.get(`/hooks/keycloak/users/${encodeURIComponent(login)}`).set('authorization', verifier);
        assert.equal(response.status, 200, login);
        assert.deepEqual(Object.keys(response.body).sort(), ['attributes', 'email', 'emailVerified', 'enabled', 'firstName', 'groups', 'id', 'lastName', 'requiredActions', 'roles', 'totps', 'username']);
        assert.equal(response.body.id, 'h-keycloak');
        assert.equal(response.body.email, 'keycloak@example.com');
        assert.equal(response.body.firstName, 'Hash');
        assert.equal(response.body.enabled, true);
        assert.equal(response.body.emailVerified, true);
        assert.deepEqual(response.body.attributes.legacy_id, ['h-keycloak']);
        assert.deepEqual(response.body.totps, []);
      }
    });

    test('a reset-path user who has not enrolled is 404, so Keycloak cannot make an account without a credential', async () => {
      const response = await server.api.get('/hooks/keycloak/users/reset@example.com').set('authorization', verifier);
      assert.equal(response.status, 404);
      assert.equal((await server.api.get('/hooks/keycloak/users/nobody@example.com').set('authorization', verifier)).status, 404);
    });

    test('an enrolled user with an authenticator app gets the TOTP (Base32, RFC 6238 defaults) to a loopback caller, and the password alone then passes POST', async () => {
      const response = await server.api.get('/hooks/keycloak/users/totp@example.com').set('authorization', verifier);
      assert.equal(response.status, 200);
      assert.deepEqual(response.body.totps, [{ name: 'cutover', secret: totpSecret, digits: 6, period: 30, algorithm: 'HmacSHA1', encoding: 'BASE32' }]);
      assert.match(totpSecret!, /^[A-Z2-7]+$/);
      const ok = await post('/hooks/keycloak/users/totp@example.com', { password: NEW_PASSWORD });
      assert.equal(ok.status, 200);
    });

    test('POST with {"password"} answers 200 when valid and 401 when not', async () => {
      assert.equal((await post('/hooks/keycloak/users/h-keycloak', { password: DJANGO_PASSWORD })).status, 200);
      assert.equal((await post('/hooks/keycloak/users/h-keycloak', { password: 'wrong' })).status, 401);
      const [user] = await server.query("SELECT target_platform FROM users WHERE legacy_id = 'h-keycloak'");
      assert.equal(user.target_platform, 'keycloak');
    });
  });

  describe('FusionAuth Generic Connector', () => {
    test('the documented connector request: 200 {user} with cutover\'s id, email, verified, names and data.legacy_id', async () => {
      const response = await post('/hooks/fusionauth/connector', fusionAuthSample('fusionauth@example.com', DJANGO_PASSWORD));
      assert.equal(response.status, 200, response.text);
      assert.deepEqual(response.body, {
        user: {
          id: ids['h-fusionauth'], email: 'fusionauth@example.com', verified: true, active: true, firstName: 'Hash', lastName: 'fusionauth', fullName: 'Hash fusionauth',
          registrations: [{ applicationId: '10000000-0000-0002-0000-000000000001', verified: true }], data: { legacy_id: 'h-fusionauth' },
        },
      });
    });

    test('unknown or wrong is 404; a malformed body is 400 in FusionAuth\'s fieldErrors', async () => {
      assert.equal((await post('/hooks/fusionauth/connector', fusionAuthSample('fusionauth@example.com', 'wrong'))).status, 404);
      assert.equal((await post('/hooks/fusionauth/connector', fusionAuthSample('nobody@example.com', 'x'))).status, 404);
      const bad = await post('/hooks/fusionauth/connector', { password: 'x' });
      assert.equal(bad.status, 400);
      assert.ok(bad.body.fieldErrors.loginId, JSON.stringify(bad.body));
    });
  });

  describe('AWS Cognito user migration trigger', () => {
    test('UserMigration_Authentication answers the event with userAttributes, CONFIRMED and SUPPRESS', async () => {
      const response = await post('/hooks/cognito/user-migration', cognitoSample('UserMigration_Authentication', 'cognito@example.com', DJANGO_PASSWORD));
      assert.equal(response.status, 200, response.text);
      assert.equal(response.body.userName, 'cognito@example.com');
      assert.equal(response.body.request.password, undefined, 'the password is not sent back');
      assert.deepEqual(response.body.response, {
        userAttributes: { email: 'cognito@example.com', email_verified: 'true', name: 'Hash cognito', given_name: 'Hash', family_name: 'cognito', 'custom:legacy_id': 'h-cognito' },
        finalUserStatus: 'CONFIRMED', messageAction: 'SUPPRESS',
      });
    });

    test('a wrong password is refused (the forwarder throws); UserMigration_ForgotPassword answers RESET_REQUIRED, and refuses an unknown user', async () => {
      const wrong = await post('/hooks/cognito/user-migration', cognitoSample('UserMigration_Authentication', 'cognito@example.com', 'wrong'));
      assert.equal(wrong.status, 401);
      assert.equal(wrong.body.message, 'Incorrect username or password.');
      const forgot = await post('/hooks/cognito/user-migration', cognitoSample('UserMigration_ForgotPassword', 'reset@example.com'));
      assert.equal(forgot.status, 200, forgot.text);
      assert.equal(forgot.body.response.finalUserStatus, 'RESET_REQUIRED');
      assert.equal(forgot.body.response.messageAction, 'SUPPRESS');
      assert.equal(forgot.body.response.userAttributes.email, 'reset@example.com');
      assert.equal((await post('/hooks/cognito/user-migration', cognitoSample('UserMigration_ForgotPassword', 'nobody@example.com'))).status, 401);
      const badSource = await post('/hooks/cognito/user-migration', cognitoSample('PreSignUp_SignUp', 'cognito@example.com'));
      assert.equal(badSource.status, 400);
      assert.equal(badSource.body.fields[0].field, 'triggerSource');
    });
  });

  describe('what the hooks share', () => {
    test('a doubled call with the same credentials rehashes once and counts one attempt', async () => {
      const calls = await Promise.all([0, 1, 2].map(() => post('/hooks/cognito/user-migration', cognitoSample('UserMigration_Authentication', 'race@example.com', DJANGO_PASSWORD))));
      assert.deepEqual(calls.map((c) => c.status), [200, 200, 200]);
      assert.deepEqual(await events(ids['h-race']!), [{ outcome: 'verified', platform: 'cognito' }]);
      const retried = await post('/hooks/cognito/user-migration', cognitoSample('UserMigration_Authentication', 'race@example.com', DJANGO_PASSWORD));
      assert.equal(retried.status, 200);
      assert.equal((await events(ids['h-race']!)).length, 1, 'a retry within seconds replays the answer');
    });

    test('the legacy call gets what is left of the platform\'s budget: a hanging legacy system still lets Okta answer within its 3 s', async () => {
      legacy.mode = 'hang';
      try {
        const started = performance.now();
        const response = await post('/hooks/okta/password-import', oktaSample('jit-unknown@example.com', 'x'));
        const took = performance.now() - started;
        assert.deepEqual(response.body, OKTA_UNVERIFIED);
        // LEGACY_TIMEOUT_MS is 10 s here: only the platform's 2.8 s budget can have cut the wait (plus a loaded machine's slack).
        assert.ok(took < 3500, `answered in ${took.toFixed(0)} ms`);
        assert.ok(took > 2500, `waited ${took.toFixed(0)} ms for the legacy system`);
      } finally {
        legacy.mode = 'up';
      }
      const [row] = await server.query("SELECT outcome, platform FROM verification_events WHERE outcome = 'legacy_unavailable' ORDER BY id DESC LIMIT 1");
      assert.deepEqual(row, { outcome: 'legacy_unavailable', platform: 'okta' });
    });

    test('an invited user whom a platform took over is the campaign funnel\'s handed_off figure', async () => {
      const admin = `Bearer ${server.adminToken}`;
      const campaign = await server.api.post('/api/v1/campaigns').set('authorization', admin).send({ name: 'Hooks', helpdesk: { capacity_per_hour: 10, contact_rate: 0.05, timezone: 'UTC', hours: ALWAYS_STAFFED } });
      assert.equal(campaign.status, 201, campaign.text);
      const wave = await server.api.post(`/api/v1/campaigns/${campaign.body.id}/waves`).set('authorization', admin).send({ name: 'one', cohort: { legacy_ids: ['inv-1'] } });
      assert.equal(wave.status, 201, wave.text);
      const funnel = async () => (await server.api.get(`/api/v1/campaigns/${campaign.body.id}/funnel`).set('authorization', admin)).body.handed_off;
      assert.equal(await funnel(), 0);
      await enrolHookUser(server, ids['inv-1']!, { totp: false });
      assert.equal((await post('/hooks/kratos/password-migration', kratosRequestSample('invited@example.com', NEW_PASSWORD))).status, 200);
      assert.equal((await post('/hooks/kratos/password-migration', kratosRequestSample('invited@example.com', NEW_PASSWORD))).status, 200);
      assert.equal(await funnel(), 1, 'one hand-over, counted once');
    });

    test('/metrics, the progress API and the support story show the platform and the hand-over', async () => {
      const metrics = await server.api.get('/metrics').set('authorization', `Bearer ${server.adminToken}`);
      assert.match(metrics.text, /cutover_verifications_total\{path="bulk_hash",outcome="verified",platform="okta"\} 1/);
      const progress = await server.api.get('/api/v1/progress').set('authorization', `Bearer ${server.adminToken}`);
      const handedOff = await server.query('SELECT target_platform, count(*)::int AS n FROM users WHERE handed_off_at IS NOT NULL GROUP BY 1');
      const expected = Object.fromEntries(handedOff.map((r) => [r.target_platform, r.n]));
      assert.deepEqual(progress.body.ownership.by_platform, expected);
      assert.ok(expected.okta === 1 && expected.keycloak === 2 && expected.cognito === 3, JSON.stringify(expected));
      const total = (await server.query("SELECT count(*)::int AS n FROM users WHERE state <> 'disabled'"))[0].n;
      const { target_platform, legacy: onLegacy, cutover } = progress.body.ownership;
      assert.equal(target_platform + onLegacy + cutover, total);
      assert.equal(target_platform, handedOff.reduce((s, r) => s + r.n, 0));
      const story = await server.api.get(`/api/v1/support/users/${ids['h-okta']}`).set('authorization', `Bearer ${server.adminToken}`);
      assert.equal(story.status, 200, story.text);
      assert.equal(story.body.user.target_platform, 'okta');
      assert.deepEqual(story.body.verifications.map((v: { platform: string; outcome: string }) => `${v.outcome} ${v.platform}`).sort(), ['invalid_credentials okta', 'verified okta']);
      // The console: the progress page's three figures, and the support page's hand-over line and platform column.
      const staff = await signedInStaff(server, 'support@hooks.example', 'support');
      const page = await staff.agent.get('/console/progress/live');
      assert.equal(page.status, 200);
      const figure = (field: string) => Number(new RegExp(`data-field="${field}">([\\d,]+)<`).exec(page.text)?.[1]?.replace(/,/g, ''));
      assert.deepEqual([figure('owned-by-platform'), figure('depends-on-legacy'), figure('depends-on-cutover')], [target_platform, onLegacy, cutover]);
      assert.match(page.text, /Owned by the target platform/);
      assert.match(page.text, /Still depends on the legacy system/);
      assert.match(page.text, /Still depends on cutover/);
      const userPage = await staff.agent.get(`/support/users/${ids['h-okta']}`);
      assert.match(userPage.text, /data-field="handed-off">okta since/);
      assert.match(userPage.text, /<td data-label="Platform">okta<\/td>/);
    });
  });
});
