import assert from 'node:assert/strict';
import { hash as bcryptHash } from '@node-rs/bcrypt';
import { after, before, beforeEach, describe, test } from 'node:test';
import { hashPassword } from '../../src/identity/argon2id-password.ts';
import { FakeLegacySystem } from '../support/fake-legacy-system.ts';
import { signedInStaff } from '../support/staff-helpers.ts';
import { jsonl, startTestServer, type TestServer } from '../support/test-server.ts';

const ALIAS_PASSWORD = 'alias-knows-this';

/**
 * Issue 9, item 1: a legacy answer proves only the account it names. The review reproduced the hole: a legacy
 * alias (a login cutover does not know) whose legacy profile names a reset-path user signed in as that user, and
 * cutover stored the alias's old password as theirs. The legacy system is an outside party, so it is the fake one.
 */
describe('attack: a legacy answer claims an account it does not name', () => {
  const legacy = new FakeLegacySystem();
  const logLines: string[] = [];
  let server: TestServer;
  let verifier: string;
  const userIds = new Map<string, string>();

  const verify = (login: string, password: string) => server.api.post('/api/v1/verify').set('authorization', verifier).send({ login, password });
  const userOf = async (legacyId: string) => (await server.query(
    `SELECT u.id, u.email, u.state, u.locale, u.timezone, u.name, c.encoded, c.source FROM users u LEFT JOIN password_credentials c ON c.user_id = u.id WHERE u.legacy_id = $1`,
    [legacyId],
  ))[0];
  const outcomesOf = async (legacyId: string) => (await server.query(
    'SELECT e.outcome FROM verification_events e JOIN users u ON u.id = e.user_id WHERE u.legacy_id = $1 ORDER BY e.id', [legacyId],
  )).map((r) => r.outcome as string);
  /** A legacy login cutover never imported, whose profile says what the attacker wants. */
  const alias = (login: string, profile: Record<string, unknown>) => legacy.accounts.set(login, { password: ALIAS_PASSWORD, profile });

  before(async () => {
    const url = await legacy.start();
    server = await startTestServer({
      env: { LEGACY_VERIFY_URL: url, LEGACY_TIMEOUT_MS: '2000', VERIFY_MAX_FAILURES: '1000', LOG_LEVEL: 'warn' },
      logTo: { write: (line: string) => { logLines.push(line); } },
    });
    verifier = `Bearer ${await server.tokenFor('verifier')}`;
    const rows = [
      { id: 'r-1', email: 'rita.reset@example.com', path: 'reset' },
      { id: 'd-1', email: 'dora.disabled@example.com', path: 'jit' },
      { id: 't-1', email: 'tom.totp@example.com', path: 'jit' },
      { id: 'p-1', email: 'pia.passkey@example.com', path: 'jit' },
      { id: 'tp-1', email: 'tess.pending.totp@example.com', path: 'jit' },
      { id: 'pp-1', email: 'pat.pending.passkey@example.com', path: 'jit' },
      { id: 'm-1', email: 'max.migrated@example.com', path: 'jit' },
      { id: 'b-1', email: 'bea.bulk@example.com', password_hash: await bcryptHash('bea-own-password', 4) },
      { id: 'j-1', email: 'jo.jit@example.com', path: 'jit' },
      { id: 'j-2', email: 'jay.jit@example.com', path: 'jit', locale: 'en-GB', timezone: 'Europe/London' },
    ];
    const imported = await server.api.post('/api/v1/imports').set('authorization', `Bearer ${server.adminToken}`)
      .set('content-type', 'application/x-ndjson').send(jsonl(rows));
    assert.equal(imported.body.imported, rows.length, imported.text);
    for (const row of await server.query('SELECT id, legacy_id FROM users')) userIds.set(row.legacy_id, row.id);

    // The states the legacy system must never decide for, arranged as enrolment and an admin would leave them.
    const own = await hashPassword('own-new-password');
    await server.query("UPDATE users SET state = 'disabled' WHERE legacy_id = 'd-1'");
    await server.query("UPDATE users SET state = 'enrolled' WHERE legacy_id IN ('t-1', 'p-1')");
    await server.query("INSERT INTO password_credentials (user_id, scheme, encoded, source) VALUES ($1, 'argon2id', $2, 'enrolment')", [userIds.get('t-1'), own]);
    for (const id of ['t-1', 'tp-1']) {
      await server.query('INSERT INTO totp_credentials (user_id, secret) VALUES ($1, $2)', [userIds.get(id), server.container.box.encrypt('JBSWY3DPEHPK3PXP', `user:${userIds.get(id)}`)]);
    }
    for (const id of ['p-1', 'pp-1']) {
      await server.query("INSERT INTO webauthn_credentials (id, user_id, public_key, device_type, backed_up, user_handle) VALUES ($1, $2, '\\x00', 'multiDevice', true, $3)", [`cred-${id}`, userIds.get(id), Buffer.from(userIds.get(id)!)]);
    }
    legacy.accounts.set('max.migrated@example.com', { password: 'max-old', profile: { id: 'm-1' } });
    assert.equal((await verify('max.migrated@example.com', 'max-old')).status, 200, 'm-1 migrates through the jit path first');
  });
  after(async () => {
    await server.close();
    await legacy.stop();
  });
  beforeEach(() => { legacy.calls.length = 0; });

  test('the reproduced hole: a legacy alias naming a reset-path user neither signs in as them nor stores a password', async () => {
    alias('rita-alias', { id: 'r-1', email: 'rita.reset@example.com', name: 'Not Rita' });
    const response = await verify('rita-alias', ALIAS_PASSWORD);
    assert.equal(response.status, 401, response.text);
    assert.deepEqual(response.body, { verified: false, error: 'invalid_credentials' });
    const rita = await userOf('r-1');
    assert.equal(rita.encoded, null, 'no password is stored for the reset-path user');
    assert.equal(rita.state, 'pending');
    assert.equal(rita.name, null, 'the alias profile is not merged');
    assert.equal((await server.query("SELECT count(*)::int AS n FROM users WHERE legacy_id = 'rita-alias'"))[0].n, 0, 'no user is made for the alias');
    assert.deepEqual(await outcomesOf('r-1'), ['jit_identity_mismatch']);

    // Support sees it, in the API and on the page.
    const story = await server.api.get(`/api/v1/support/users/${userIds.get('r-1')}`).set('authorization', `Bearer ${await server.tokenFor('support')}`);
    assert.equal(story.status, 200, story.text);
    assert.deepEqual(story.body.verifications.map((v: { outcome: string }) => v.outcome), ['jit_identity_mismatch']);
    const staff = await signedInStaff(server, 'desk.jit@example.com', 'support');
    const page = await staff.agent.get(`/support/users/${userIds.get('r-1')}`);
    assert.equal(page.status, 200);
    assert.match(page.text, /jit_identity_mismatch/);
    assert.match(page.text, /the legacy system answered for another account/);
  });

  for (const [victim, email, why] of [
    ['d-1', 'dora.disabled@example.com', 'a disabled user'],
    ['t-1', 'tom.totp@example.com', 'a user with an authenticator app (the second factor is skipped)'],
    ['p-1', 'pia.passkey@example.com', 'a user who enrolled a passkey'],
    ['m-1', 'max.migrated@example.com', 'a user who migrated'],
    ['b-1', 'bea.bulk@example.com', 'a bulk_hash user'],
  ] as const) {
    test(`a legacy alias cannot sign in as ${why}, by id or by email`, async () => {
      const before = await userOf(victim);
      for (const [login, profile] of [[`${victim}-alias-by-id`, { id: victim }], [`${victim}-alias-by-email`, { email: email.toUpperCase() }]] as const) {
        alias(login, profile);
        const response = await verify(login, ALIAS_PASSWORD);
        assert.equal(response.status, 401, `${login}: ${response.text}`);
        assert.deepEqual(response.body, { verified: false, error: 'invalid_credentials' }, 'never answered with the other user\'s email');
        assert.equal((await server.query('SELECT count(*)::int AS n FROM users WHERE legacy_id = $1', [login]))[0].n, 0);
      }
      assert.deepEqual(await userOf(victim), before, 'the victim is unchanged');
      assert.deepEqual((await outcomesOf(victim)).filter((o) => o === 'jit_identity_mismatch').length, 2, 'both attempts are on the victim\'s story');
    });
  }

  test('a known pending jit user with an authenticator app or a passkey is never decided by the legacy system', async () => {
    legacy.accounts.set('tess.pending.totp@example.com', { password: 'tess-old', profile: { id: 'tp-1' } });
    legacy.accounts.set('pat.pending.passkey@example.com', { password: 'pat-old', profile: { id: 'pp-1' } });
    assert.equal((await verify('tess.pending.totp@example.com', 'tess-old')).status, 401);
    assert.equal((await verify('pat.pending.passkey@example.com', 'pat-old')).status, 401);
    assert.equal(legacy.calls.length, 0, 'the legacy system is not asked');
    assert.equal((await userOf('tp-1')).encoded, null);
    assert.equal((await userOf('pp-1')).state, 'pending');
  });

  test('a known jit user: an answer naming another legacy id is refused; a differing email is not applied', async () => {
    legacy.accounts.set('jo.jit@example.com', { password: 'jo-old', profile: { id: 'someone-else', email: 'someone.else@example.com' } });
    const mismatch = await verify('jo.jit@example.com', 'jo-old');
    assert.equal(mismatch.status, 401, mismatch.text);
    assert.deepEqual(mismatch.body, { verified: false, error: 'invalid_credentials' });
    assert.equal((await userOf('j-1')).state, 'pending');
    assert.deepEqual(await outcomesOf('j-1'), ['jit_identity_mismatch']);

    legacy.accounts.set('jay.jit@example.com', { password: 'jay-old', profile: { id: 'j-2', email: 'jay.moved@example.com', name: 'Jay' } });
    const ok = await verify('jay.jit@example.com', 'jay-old');
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.body.user.email, 'jay.jit@example.com');
    assert.equal((await userOf('j-2')).email, 'jay.jit@example.com');
  });

  test('an unknown login whose legacy id or email another user holds is refused and recorded', async () => {
    alias('collide-id', { id: 'j-2', email: 'fresh.collide@example.com' });
    alias('collide-email', { id: 'brand-new-id', email: 'Jay.Jit@example.com' });
    for (const login of ['collide-id', 'collide-email']) {
      const response = await verify(login, ALIAS_PASSWORD);
      assert.equal(response.status, 401, `${login}: ${response.text}`);
      assert.deepEqual(response.body, { verified: false, error: 'invalid_credentials' });
    }
    assert.equal((await server.query("SELECT count(*)::int AS n FROM users WHERE legacy_id IN ('collide-id', 'collide-email', 'brand-new-id')"))[0].n, 0);
    assert.deepEqual((await outcomesOf('j-2')).filter((o) => o === 'jit_identity_mismatch').length, 2);
  });

  test('bad profile fields are dropped with a warning and do not fail the sign-in', async () => {
    legacy.accounts.set('fresh.user@example.com', { password: 'fresh-old', profile: { id: 'f-1', email: 'not an email', locale: 'xx_!!bad', timezone: 'Mars/Olympus_Mons', name: 'Fresh' } });
    const created = await verify('fresh.user@example.com', 'fresh-old');
    assert.equal(created.status, 200, created.text);
    assert.deepEqual({ email: created.body.user.email, locale: created.body.user.locale, timezone: created.body.user.timezone, name: created.body.user.name },
      { email: 'fresh.user@example.com', locale: null, timezone: null, name: 'Fresh' });

    await server.query("UPDATE users SET state = 'pending' WHERE legacy_id = 'j-2'");
    await server.query("DELETE FROM password_credentials WHERE user_id = $1", [userIds.get('j-2')]);
    legacy.accounts.set('jay.jit@example.com', { password: 'jay-old', profile: { id: 'j-2', locale: 'de_AT', timezone: 'Nowhere/Land' } });
    assert.equal((await verify('jay.jit@example.com', 'jay-old')).status, 200);
    const jay = await userOf('j-2');
    assert.deepEqual({ locale: jay.locale, timezone: jay.timezone }, { locale: 'de-AT', timezone: 'Europe/London' }, 'a good locale is applied, a bad zone is not');

    const warnings = logLines.map((line) => JSON.parse(line) as { level: number; msg: string; field?: string }).filter((l) => l.level === 40 && /legacy profile field/.test(l.msg));
    assert.deepEqual(warnings.map((w) => w.field).sort(), ['email', 'locale', 'timezone', 'timezone']);
    assert.ok(!logLines.some((line) => line.includes('fresh-old')), 'no password in the logs');
  });
});
