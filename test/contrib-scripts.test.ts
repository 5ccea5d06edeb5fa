import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import vm from 'node:vm';
import { cognitoEventSample } from '../src/hooks/doc-samples.ts';
import { FakeLegacySystem } from './support/fake-legacy-system.ts';
import { DJANGO_PASSWORD, DJANGO_PBKDF2, NEW_PASSWORD, enrolHookUser, importHookUsers } from './support/hook-users.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';

/**
 * Auth0's globals for custom database scripts (auth0/docs, custom-db error-handling and environment):
 * `configuration` holds the connection's settings, WrongUsernameOrPasswordError(emailOrId, message) is the
 * refusal, and scripts run on Node 18+ with the built-in fetch (custom-db execution: "the built-in JavaScript fetch
 * method"). Each script is a bare function declaration, run here in a fresh vm context as Auth0 runs it.
 */
class WrongUsernameOrPasswordError extends Error {
  constructor(readonly userId?: string, message?: string) {
    super(message);
    this.name = 'WrongUsernameOrPasswordError';
  }
}
function auth0Script(file: string, name: string, configuration: Record<string, string>) {
  const context = vm.createContext({ configuration, WrongUsernameOrPasswordError, fetch, URL, AbortSignal, console });
  const fn = vm.runInContext(`${readFileSync(new URL(`../contrib/auth0/${file}`, import.meta.url), 'utf8')}\n;${name}`, context) as (...args: unknown[]) => Promise<void>;
  return (...args: unknown[]) => new Promise<{ error: unknown; profile: unknown; calls: number }>((resolve) => {
    let calls = 0;
    // The profile is made in the script's realm: compare it as the JSON Auth0 stores.
    void fn(...args, (error: unknown, profile?: unknown) => { calls++; resolve({ error, profile: profile === undefined ? undefined : JSON.parse(JSON.stringify(profile)), calls }); });
  });
}

describe('the contrib scripts, against a running cutover', () => {
  let server: TestServer;
  let url: string;
  let verifierToken: string;
  let ids: Record<string, string>;
  let totpSecret: string | null;
  const legacy = new FakeLegacySystem();

  before(async () => {
    server = await startTestServer({ env: { LEGACY_VERIFY_URL: await legacy.start() } });
    url = await server.url();
    verifierToken = await server.tokenFor('verifier');
    ids = await importHookUsers(server, [
      { id: 'h-1', email: 'hash@example.com', name: 'Hash User', given_name: 'Hash', family_name: 'User', email_verified: true, password_hash: DJANGO_PBKDF2 },
      { id: 'h-2', email: 'second@example.com', password_hash: DJANGO_PBKDF2 },
      { id: 'e-totp', email: 'totp@example.com', path: 'reset' },
      { id: 'r-1', email: 'reset@example.com', path: 'reset' },
      { id: 'j-1', email: 'jit@example.com', path: 'jit' },
    ]);
    totpSecret = await enrolHookUser(server, ids['e-totp']!, { totp: true });
  });
  after(async () => {
    await server.close();
    await legacy.stop();
  });

  describe('contrib/cognito/user-migration.mjs', () => {
    test('the handler forwards the documented event and returns it with CONFIRMED; a wrong password throws', async () => {
      process.env.CUTOVER_URL = url;
      process.env.CUTOVER_TOKEN = verifierToken;
      // The Lambda as AWS loads it: plain JavaScript, so imported by URL rather than through the type checker.
      const lambda = new URL('../contrib/cognito/user-migration.mjs', import.meta.url).href;
      const { handler } = await import(lambda) as { handler: (event: unknown) => Promise<Record<string, unknown>> };
      const event = cognitoEventSample('UserMigration_Authentication', 'hash@example.com', DJANGO_PASSWORD);
      const answered = await handler(event);
      assert.equal((answered.request as { password: string }).password, DJANGO_PASSWORD, 'the Lambda returns its own event');
      assert.deepEqual(answered.response, {
        userAttributes: { email: 'hash@example.com', email_verified: 'true', name: 'Hash User', given_name: 'Hash', family_name: 'User' },
        finalUserStatus: 'CONFIRMED', messageAction: 'SUPPRESS',
      });
      await assert.rejects(handler(cognitoEventSample('UserMigration_Authentication', 'hash@example.com', 'wrong')), { message: 'Incorrect username or password.' });
      const forgot = await handler(cognitoEventSample('UserMigration_ForgotPassword', 'reset@example.com', null));
      assert.equal((forgot.response as { finalUserStatus: string }).finalUserStatus, 'RESET_REQUIRED');
      process.env.CUTOVER_TOKEN = 'not-a-token';
      await assert.rejects(handler(event), /A valid bearer token is required/);
    });
  });

  describe('contrib/auth0/login.js and get_user.js in Auth0\'s sandbox', () => {
    const config = () => ({ CUTOVER_URL: url, CUTOVER_TOKEN: verifierToken });

    test('login returns the profile for the right password, and WrongUsernameOrPasswordError for a wrong one', async () => {
      const login = auth0Script('login.js', 'login', config());
      const right = await login('second@example.com', DJANGO_PASSWORD);
      assert.equal(right.error, null);
      assert.deepEqual(right.profile, { user_id: ids['h-2'], email: 'second@example.com', email_verified: false, app_metadata: { legacy_id: 'h-2' } });
      const wrong = await login('second@example.com', 'nope');
      assert.equal((wrong.error as Error).name, 'WrongUsernameOrPasswordError');
      assert.equal((wrong.error as WrongUsernameOrPasswordError).userId, 'second@example.com');
      const [user] = await server.query("SELECT target_platform FROM users WHERE legacy_id = 'h-2'");
      assert.equal(user.target_platform, 'auth0');
      const [event] = await server.query("SELECT platform FROM verification_events WHERE user_id = $1 AND outcome = 'verified'", [ids['h-2']]);
      assert.equal(event.platform, 'auth0');
    });

    test('a user with an authenticator app comes back with mfa_factors, so Auth0 imports the app', async () => {
      const login = auth0Script('login.js', 'login', config());
      const { error, profile } = await login('totp@example.com', NEW_PASSWORD);
      assert.equal(error, null);
      assert.deepEqual((profile as { mfa_factors: unknown }).mfa_factors, [{ totp: { secret: totpSecret } }]);
    });

    test('a legacy system that cannot answer (503) is an error, not a wrong password', async () => {
      legacy.mode = 'error';
      try {
        const { error } = await auth0Script('login.js', 'login', config())('jit@example.com', 'whatever');
        assert.equal((error as Error).name, 'Error');
        assert.match((error as Error).message, /HTTP 503/);
      } finally {
        legacy.mode = 'up';
      }
    });

    test('get_user answers the profile, or callback(null) for an unknown or reset-path user', async () => {
      const getUser = auth0Script('get_user.js', 'getUser', config());
      const found = await getUser('HASH@example.com');
      assert.equal(found.error, null);
      assert.deepEqual(found.profile, { user_id: ids['h-1'], email: 'hash@example.com', email_verified: true, name: 'Hash User', given_name: 'Hash', family_name: 'User', app_metadata: { legacy_id: 'h-1' } });
      for (const login of ['nobody@example.com', 'reset@example.com']) {
        const none = await getUser(login);
        assert.deepEqual([none.error, none.profile, none.calls], [null, undefined, 1], login);
      }
      const asAdmin = await auth0Script('get_user.js', 'getUser', { CUTOVER_URL: url, CUTOVER_TOKEN: server.adminToken })('hash@example.com');
      assert.match((asAdmin.error as Error).message, /HTTP 403/);
    });
  });
});
