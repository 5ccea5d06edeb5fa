import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { startWorkers, type Workers } from '../src/worker.ts';
import { VerifyFailureLimiter } from '../src/migration/verify/verify-failure-limiter.ts';
import { recoverySubject, credentialSubject } from '../src/enrolment/signin.service.ts';
import { enrolmentLink, SmtpSink } from './support/smtp-sink.ts';
import { signedInStaff } from './support/staff-helpers.ts';
import { jsonl, startTestServer, type TestServer } from './support/test-server.ts';
import { ALWAYS_STAFFED, waitFor } from './support/invite.ts';

const SECRETS = ['TOTP-CIPHERTEXT-SECRET', '$argon2id$v=19$m=19456,t=2,p=1$ENROLMENTHASH', 'RECOVERY-HASH-', 'LEGACYHASHVALUE'];

const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');

describe('support lookup: search, a user\'s whole story, and audited actions', () => {
  const smtp = new SmtpSink();
  let server: TestServer;
  let workers: Workers;
  let support: string;
  let agent: Awaited<ReturnType<typeof signedInStaff>>;
  let ada: string;
  let bob: string;
  let campaignId: string;
  const mailsTo = (to: string) => smtp.mails.filter((m) => m.to.includes(to));

  before(async () => {
    const smtpUrl = await smtp.start();
    server = await startTestServer({ env: { SMTP_URL: smtpUrl, BASE_URL: 'http://id.acme.test', VERIFY_MAX_FAILURES: '3' } });
    workers = await startWorkers(server.container);
    support = `Bearer ${await server.tokenFor('support')}`;
    const users = [
      { id: 'L-100', email: 'Ada.Lovelace@Example.com', name: 'Ada Lovelace', given_name: 'Ada', family_name: 'Lovelace', locale: 'en-GB', path: 'reset' },
      { id: 'L-101', email: 'bob@example.com', name: 'Bob Babbage', given_name: 'Bob', family_name: 'Babbage', path: 'reset' },
      { id: 'L-102', email: 'adam@example.org', name: 'Adam Smith', family_name: 'Smith', path: 'reset' },
      { id: 'L-103', email: 'carol@example.net', name: 'Carol 100%', path: 'reset' },
      { id: 'J-1', email: 'jit@example.com', name: 'Jit User', path: 'jit' },
    ];
    const imported = await server.api.post('/api/v1/imports').set('authorization', `Bearer ${server.adminToken}`).set('content-type', 'application/x-ndjson').send(jsonl(users));
    assert.equal(imported.body.imported, 5, imported.text);
    [{ id: ada }, { id: bob }] = await server.query("SELECT id FROM users WHERE legacy_id IN ('L-100', 'L-101') ORDER BY legacy_id");

    const comms = `Bearer ${await server.tokenFor('comms')}`;
    const campaign = await server.api.post('/api/v1/campaigns').set('authorization', comms).send({
      name: 'Autumn re-enrolment', locale: 'en', link_ttl_hours: 72, reminders_after_hours: [], methods: ['passkey', 'totp'], max_per_hour: null,
      helpdesk: { capacity_per_hour: 1800, contact_rate: 0.05, timezone: 'UTC', hours: ALWAYS_STAFFED },
    });
    campaignId = campaign.body.id;
    const wave = await server.api.post(`/api/v1/campaigns/${campaignId}/waves`).set('authorization', comms).send({ name: 'Wave A', cohort: { legacy_ids: ['L-100', 'L-101', 'L-102'] } });
    assert.equal(wave.status, 201, wave.text);
    await waitFor('three invitations sent', async () => smtp.mails.length >= 3);

    // Ada's story: she clicked, started, enrolled a passkey and an authenticator app, and verified. The enrolment
    // flow is built elsewhere; these rows are what it leaves.
    const [inv] = await server.query('SELECT id, wave_id FROM invitations WHERE user_id = $1', [ada]);
    await server.query(
      `UPDATE invitations SET clicked_at = now(), started_at = now(), enrolled_at = now(), verified_at = now(), state = 'enrolled', method = 'passkey', converted_mail = 'invitation' WHERE id = $1`,
      [inv.id],
    );
    for (const stage of ['clicked', 'started', 'enrolled', 'verified']) {
      await server.query('INSERT INTO funnel_events (stage, user_id, invitation_id, wave_id, campaign_id, mail) VALUES ($1, $2, $3, $4, $5, $6)', [stage, ada, inv.id, inv.wave_id, campaignId, 'invitation']);
    }
    await server.query("UPDATE users SET state = 'enrolled', enrolled_method = 'passkey', enrolled_at = now() WHERE id = $1", [ada]);
    await server.query("INSERT INTO webauthn_credentials (id, user_id, public_key, device_type, backed_up, platform, last_used_at, user_handle) VALUES ('cred-1', $1, '\\x0102', 'multiDevice', true, 'iOS', now(), $2)", [ada, Buffer.from(ada)]);
    await server.query('INSERT INTO totp_credentials (user_id, secret) VALUES ($1, $2)', [ada, SECRETS[0]]);
    await server.query("INSERT INTO password_credentials (user_id, scheme, encoded, source) VALUES ($1, 'argon2id', $2, 'enrolment')", [ada, SECRETS[1]]);
    for (let i = 0; i < 10; i++) await server.query(`INSERT INTO recovery_codes (user_id, code_hash, used_at) VALUES ($1, $2, ${i < 2 ? 'now()' : 'NULL'})`, [ada, `${SECRETS[2]}${i}`]);
    await server.query("UPDATE users SET legacy_hash_scheme = 'bcrypt', legacy_hash = $1 WHERE legacy_id = 'L-102'", [SECRETS[3]]);

    agent = await signedInStaff(server, 'agent@example.com', 'support');
  });
  after(async () => {
    await workers.stop();
    await server.close();
    await smtp.stop();
  });

  const get = (path: string, token = support) => server.api.get(path).set('authorization', token);
  const post = (path: string, body: object, token = support) => server.api.post(path).set('authorization', token).send(body);
  const form = (path: string, fields: Record<string, string>) => agent.agent.post(path).type('form').send({ _csrf: agent.csrf, ...fields });

  test('search finds users by exact email, email prefix (any case), legacy id and name prefix', async () => {
    const search = async (q: string) => (await get(`/api/v1/support/users?q=${encodeURIComponent(q)}`)).body.users as Array<{ legacy_id: string; matched: string }>;
    assert.deepEqual((await search('ada.lovelace@example.com')).map((u) => [u.legacy_id, u.matched]), [['L-100', 'email']]);
    assert.deepEqual((await search('ADA')).map((u) => u.legacy_id).sort(), ['L-100', 'L-102'], 'email and name prefixes, any case');
    assert.deepEqual((await search('L-101')).map((u) => [u.legacy_id, u.matched]), [['L-101', 'legacy_id']]);
    assert.deepEqual((await search('lovel')).map((u) => [u.legacy_id, u.matched]), [['L-100', 'name_prefix']], 'family name');
    assert.deepEqual((await search('smith')).map((u) => u.legacy_id), ['L-102']);
    assert.deepEqual((await search('carol 100%')).map((u) => u.legacy_id), ['L-103']);
    assert.deepEqual(await search('car_l'), [], '_ and % are literal');
    assert.deepEqual(await search('nobody'), []);
    assert.deepEqual((await search(ada)).map((u) => u.matched), ['id']);

    const missing = await get('/api/v1/support/users');
    assert.equal(missing.status, 400);
    assert.equal(missing.body.fields[0].field, 'q');
    assert.equal((await get('/api/v1/support/users?q=ada', `Bearer ${await server.tokenFor('comms')}`)).status, 403);
    assert.equal((await get('/api/v1/support/users?q=ada', `Bearer ${await server.tokenFor('verifier')}`)).status, 403);

    const page = await agent.agent.get('/support?q=ada');
    assert.equal(page.status, 200);
    assert.match(page.text, new RegExp(`href="/support/users/${ada}"`));
    assert.match(page.text, /2 matches/);
  });

  test('the user page tells the whole story and never shows a secret or a hash', async () => {
    for (let i = 0; i < 3; i++) assert.equal((await post('/api/v1/verify', { login: 'ada.lovelace@example.com', password: 'wrong' }, `Bearer ${await server.tokenFor('verifier')}`)).status, 401);
    const story = await get(`/api/v1/support/users/${ada}`);
    assert.equal(story.status, 200, story.text);
    const b = story.body;
    assert.equal(b.user.email, 'Ada.Lovelace@Example.com');
    assert.equal(b.user.locale, 'en-GB');
    assert.equal(b.user.state, 'enrolled');
    assert.deepEqual(b.credentials.map((c: { type: string }) => c.type).sort(), ['authenticator app', 'passkey', 'password']);
    assert.deepEqual(b.recovery_codes.left, 8);
    assert.equal(b.invitations.length, 1);
    assert.equal(b.invitations[0].wave_name, 'Wave A');
    assert.deepEqual(b.invitations[0].events.map((e: { stage: string }) => e.stage), ['targeted', 'sent', 'clicked', 'started', 'enrolled', 'verified']);
    assert.equal(b.verifications.length, 3);
    assert.deepEqual(b.lockouts.map((l: { source: string; failures: number; retryAfter: number }) => [l.source, l.failures, l.retryAfter > 0]), [['verify', 3, true]]);
    for (const secret of SECRETS) assert.ok(!story.text.includes(secret), `the API shows no ${secret}`);
    assert.ok(!story.text.includes('code_hash') && !story.text.includes('public_key') && !story.text.includes('"secret"'));
    const adam = await server.query("SELECT id FROM users WHERE legacy_id = 'L-102'");
    const adamStory = await get(`/api/v1/support/users/${adam[0].id}`);
    assert.equal(adamStory.body.credentials[0].type, 'legacy password');
    assert.ok(!adamStory.text.includes(SECRETS[3]!));

    const page = await agent.agent.get(`/support/users/${ada}`);
    assert.equal(page.status, 200);
    for (const text of ['Ada.Lovelace@Example.com', 'en-GB', 'Autumn re-enrolment › Wave A', 'authenticator app', 'iOS, synced, backed up', '<strong>8</strong> of 10 left', 'locked for', 'invalid_credentials', 'Sign-in is locked']) {
      assert.ok(page.text.includes(text.replace(/&/g, '&amp;')), `the page shows ${text}`);
    }
    for (const secret of SECRETS) assert.ok(!page.text.includes(secret), `the page shows no ${secret}`);
    assert.equal((await get('/api/v1/support/users/not-a-uuid')).status, 404);
    assert.equal((await agent.agent.get('/support/users/00000000-0000-0000-0000-000000000000')).status, 404);
  });

  test('every action needs a reason: 400 naming the field, nothing changed', async () => {
    for (const action of ['resend-invitation', 'extend-link', 'contacts', 'clear-lockout', 'reset-enrolment']) {
      const response = await post(`/api/v1/support/users/${bob}/${action}`, { hours: 5, channel: 'phone' });
      assert.equal(response.status, 400, `${action}: ${response.text}`);
      assert.ok(response.body.fields.some((f: { field: string }) => f.field === 'reason'), `${action} names reason`);
    }
    assert.equal((await post(`/api/v1/support/users/${bob}/extend-link`, { reason: 'user asked', hours: 0 })).body.fields[0].field, 'hours');
    assert.equal((await post(`/api/v1/support/users/${bob}/contacts`, { reason: 'user asked', channel: 'fax' })).body.fields[0].field, 'channel');
    const page = await form(`/support/users/${bob}/clear-lockout`, { reason: '' });
    assert.equal(page.status, 400);
    assert.match(page.text, /id="lockout-reason-error"/);
    assert.equal((await server.query("SELECT count(*)::int AS n FROM audit_log WHERE target = $1", [`user:${bob}`]))[0].n, 0);
    const noCsrf = await agent.agent.post(`/support/users/${bob}/clear-lockout`).type('form').send({ reason: 'no token' });
    assert.equal(noCsrf.status, 403, 'no CSRF token, no action');
    assert.equal((await post(`/api/v1/support/users/${bob}/clear-lockout`, { reason: 'asked' }, `Bearer ${await server.tokenFor('comms')}`)).status, 403);
  });

  test('resend: a new link by mail, the old one dead, audited; at most 3 a day', async () => {
    const [old] = await server.query("SELECT i.id FROM invitations i WHERE user_id = $1 AND state = 'sent'", [bob]);
    const oldToken = enrolmentLink(mailsTo('bob@example.com').at(-1)!).token;
    assert.equal((await server.query('SELECT count(*)::int AS n FROM invitation_tokens WHERE token_hash = $1', [sha256(oldToken)]))[0].n, 1);

    const resent = await post(`/api/v1/support/users/${bob}/resend-invitation`, { reason: 'mail went to spam' });
    assert.equal(resent.status, 201, resent.text);
    assert.equal(resent.body.replaced_invitation_id, String(old.id));
    const mail = await waitFor('the new mail', async () => mailsTo('bob@example.com')[1]);
    const newToken = enrolmentLink(mail).token;
    assert.notEqual(newToken, oldToken);
    assert.equal((await server.query('SELECT count(*)::int AS n FROM invitation_tokens WHERE token_hash = $1', [sha256(oldToken)]))[0].n, 0, 'the old link is gone');
    const [fresh] = await server.query('SELECT i.id, i.state, w.kind, w.state AS wave_state FROM invitation_tokens t JOIN invitations i ON i.id = t.invitation_id JOIN waves w ON w.id = i.wave_id WHERE t.token_hash = $1', [sha256(newToken)]);
    assert.deepEqual([String(fresh.id), fresh.state, fresh.kind, fresh.wave_state], [resent.body.invitation_id, 'sent', 'support', 'completed']);
    assert.equal((await server.query('SELECT state FROM invitations WHERE id = $1', [old.id]))[0].state, 'revoked');
    const [entry] = await server.query("SELECT actor, role, reason, ip, details FROM audit_log WHERE action = 'support.invitation_resend' AND target = $1", [`user:${bob}`]);
    assert.equal(entry.role, 'support');
    assert.equal(entry.actor, 'test support');
    assert.equal(entry.reason, 'mail went to spam');
    assert.ok(entry.ip);

    // Twice more from the console (a second support invitation for Bob goes into a second support wave), then the cap.
    for (let n = 2; n <= 3; n++) {
      const done = await form(`/support/users/${bob}/resend-invitation`, { reason: `try ${n}` });
      assert.equal(done.status, 303, done.text);
      await waitFor(`mail ${n + 1}`, async () => mailsTo('bob@example.com').length === n + 1);
    }
    const waves = await server.query("SELECT name FROM waves WHERE campaign_id = $1 AND kind = 'support' ORDER BY created_at", [campaignId]);
    assert.deepEqual(waves.map((w) => w.name), ['Support: single invitations', 'Support: single invitations (2)', 'Support: single invitations (3)']);
    const capped = await post(`/api/v1/support/users/${bob}/resend-invitation`, { reason: 'once more' });
    assert.equal(capped.status, 429);
    assert.match(capped.body.message ?? capped.text, /limit is 3/);
    const cappedPage = await form(`/support/users/${bob}/resend-invitation`, { reason: 'once more' });
    assert.equal(cappedPage.status, 429);
    assert.match(cappedPage.text, /limit is 3/);
    assert.equal((await server.query("SELECT count(*)::int AS n FROM invitations WHERE user_id = $1 AND state IN ('queued', 'sending', 'sent')", [bob]))[0].n, 1);
  });

  test('extend: the live link works longer, audited; without a live link it says what to do', async () => {
    const [before] = await server.query("SELECT id, expires_at FROM invitations WHERE user_id = $1 AND state = 'sent'", [bob]);
    const done = await form(`/support/users/${bob}/extend-link`, { hours: '48', reason: 'travelling until Friday' });
    assert.equal(done.status, 303, done.text);
    const [afterwards] = await server.query('SELECT expires_at FROM invitations WHERE id = $1', [before.id]);
    assert.equal(afterwards.expires_at.getTime() - before.expires_at.getTime(), 48 * 3_600_000);
    const [entry] = await server.query("SELECT reason, details FROM audit_log WHERE action = 'support.link_extend' AND target = $1", [`user:${bob}`]);
    assert.equal(entry.reason, 'travelling until Friday');
    assert.equal(entry.details.hours, 48);
    const none = await post(`/api/v1/support/users/${ada}/extend-link`, { hours: 5, reason: 'asked' });
    assert.equal(none.status, 409);
    assert.match(none.body.message, /Resend/);
  });

  test('record a contact from the console: listed, counted toward the campaign, audited', async () => {
    const done = await form(`/support/users/${ada}/contacts`, { channel: 'phone', reason: 'Is this mail genuine?', note: 'Reassured her' });
    assert.equal(done.status, 303, done.text);
    const page = await agent.agent.get(`/support/users/${ada}`);
    assert.match(page.text, /Contact recorded/);
    assert.match(page.text, /Is this mail genuine\?/);
    assert.match(page.text, /Reassured her/);
    const [contact] = await server.query('SELECT campaign_id, channel, reason, note, actor FROM support_contacts WHERE user_id = $1', [ada]);
    assert.deepEqual(contact, { campaign_id: campaignId, channel: 'phone', reason: 'Is this mail genuine?', note: 'Reassured her', actor: 'agent@example.com' });
    assert.equal((await server.query("SELECT count(*)::int AS n FROM funnel_events WHERE stage = 'contacted_support' AND user_id = $1", [ada]))[0].n, 1);
    const [entry] = await server.query("SELECT role, reason, ip FROM audit_log WHERE action = 'support.contact' AND target = $1", [`user:${ada}`]);
    assert.equal(entry.role, 'support');
    assert.equal(entry.reason, 'Is this mail genuine?');
    const admin = await signedInStaff(server, 'boss@example.com', 'admin');
    const campaignPage = await admin.agent.get(`/console/campaigns/${campaignId}`);
    assert.match(campaignPage.text, /Support: single invitations/, 'support waves are listed with the campaign');
    const [supportWave] = await server.query("SELECT id FROM waves WHERE campaign_id = $1 AND kind = 'support' ORDER BY created_at LIMIT 1", [campaignId]);
    const wavePage = await admin.agent.get(`/console/waves/${supportWave.id}`);
    assert.equal(wavePage.status, 200);
    assert.match(wavePage.text, /Support: single invitations/);
    assert.match(campaignPage.text, new RegExp(`<a href="/support/users/${ada}">Ada.Lovelace@Example.com</a>`), 'the campaign page links to the user');
  });

  test('clear the lockout: verify answers 401 again instead of 429', async () => {
    const verifier = `Bearer ${await server.tokenFor('verifier')}`;
    assert.equal((await post('/api/v1/verify', { login: 'ada.lovelace@example.com', password: 'wrong' }, verifier)).status, 429);
    // Five wrong recovery codes on the /signin page lock that too (the limiter the sign-in service uses).
    const signIn = new VerifyFailureLimiter(server.container.attempts, { prefix: server.container.config.QUEUE_PREFIX, scope: 'signin-fail', maxFailures: 5, windowSeconds: 900 });
    for (let i = 0; i < 5; i++) assert.deepEqual(await server.container.signIn.withRecoveryCode('ada.lovelace@example.com', `WRONG-${i}`), { failed: 'invalid' });
    // …and five made-up assertions naming her passkey lock that passkey (counted per credential).
    await server.query(`INSERT INTO webauthn_credentials (id, user_id, public_key, device_type, backed_up, user_handle)
      VALUES ('ada-passkey-1', $1, '\\x00', 'singleDevice', false, $2)`, [ada, Buffer.from(ada)]);
    const assertion = { id: 'ada-passkey-1', rawId: 'ada-passkey-1', type: 'public-key', clientExtensionResults: {}, response: { clientDataJSON: 'e30', authenticatorData: 'AA', signature: 'AA' } } as never;
    for (let i = 0; i < 5; i++) assert.deepEqual(await server.container.signIn.completePasskey(assertion, 'challenge'), { failed: 'invalid' });
    assert.equal((await server.container.signIn.completePasskey(assertion, 'challenge') as { failed: string }).failed, 'rate_limited');
    const locked = await get(`/api/v1/support/users/${ada}`);
    assert.deepEqual(locked.body.lockouts.filter((l: { retryAfter: number }) => l.retryAfter > 0).map((l: { source: string; login: string }) => `${l.source} ${l.login}`).sort(),
      ['signin Ada.Lovelace@Example.com', 'signin passkey ada-passkey-…', 'verify Ada.Lovelace@Example.com']);
    const done = await form(`/support/users/${ada}/clear-lockout`, { reason: 'identity checked on the phone' });
    assert.equal(done.status, 303, done.text);
    assert.match((await agent.agent.get(`/support/users/${ada}`)).text, /Lockout cleared \(verify, signin\)/);
    assert.equal((await signIn.loginStatus(recoverySubject('ada.lovelace@example.com', ada))).retryAfter, 0);
    assert.equal((await signIn.loginStatus(credentialSubject('ada-passkey-1'))).retryAfter, 0);
    assert.deepEqual(await server.container.signIn.completePasskey(assertion, 'challenge'), { failed: 'invalid' }, 'the passkey is checked again');
    await server.query("DELETE FROM webauthn_credentials WHERE id = 'ada-passkey-1'");
    assert.equal((await post('/api/v1/verify', { login: 'ada.lovelace@example.com', password: 'wrong' }, verifier)).status, 401);
    const [entry] = await server.query("SELECT reason, details FROM audit_log WHERE action = 'support.lockout_clear' AND target = $1", [`user:${ada}`]);
    assert.deepEqual(entry.details.cleared, ['verify', 'signin']);
  });

  test('reset enrolment: a confirmation step, then credentials revoked, user pending, a new invitation mailed', async () => {
    const confirm = await agent.agent.get(`/support/users/${ada}/reset-enrolment`);
    assert.equal(confirm.status, 200);
    assert.match(confirm.text, /Reset enrolment\?/);
    assert.match(confirm.text, /name="confirm" value="reset"/);
    const skipped = await form(`/support/users/${ada}/reset-enrolment`, { reason: 'lost phone' });
    assert.equal(skipped.status, 303);
    assert.equal(skipped.headers.location, `/support/users/${ada}/reset-enrolment`, 'without the confirmation step, back to it');
    assert.equal((await server.query('SELECT state FROM users WHERE id = $1', [ada]))[0].state, 'enrolled');
    const noReason = await form(`/support/users/${ada}/reset-enrolment`, { confirm: 'reset', reason: '' });
    assert.equal(noReason.status, 400);
    assert.match(noReason.text, /id="reset-reason-error"/);

    const mailsBefore = mailsTo('Ada.Lovelace@Example.com').length + mailsTo('ada.lovelace@example.com').length;
    const done = await form(`/support/users/${ada}/reset-enrolment`, { confirm: 'reset', reason: 'lost phone, identity checked' });
    assert.equal(done.status, 303, done.text);
    const [user] = await server.query('SELECT state, enrolled_method, enrolled_at FROM users WHERE id = $1', [ada]);
    assert.deepEqual(user, { state: 'pending', enrolled_method: null, enrolled_at: null });
    assert.equal((await server.query('SELECT count(*)::int AS n FROM webauthn_credentials WHERE user_id = $1 AND revoked_at IS NULL', [ada]))[0].n, 0);
    assert.equal((await server.query('SELECT count(*)::int AS n FROM webauthn_credentials WHERE user_id = $1', [ada]))[0].n, 1, 'revoked, not deleted');
    assert.equal((await server.query('SELECT count(*)::int AS n FROM totp_credentials WHERE user_id = $1 AND revoked_at IS NULL', [ada]))[0].n, 0);
    assert.equal((await server.query('SELECT count(*)::int AS n FROM recovery_codes WHERE user_id = $1 AND revoked_at IS NULL AND used_at IS NULL', [ada]))[0].n, 0);
    assert.equal((await server.query('SELECT count(*)::int AS n FROM password_credentials WHERE user_id = $1', [ada]))[0].n, 0);
    await waitFor('the new invitation', async () => smtp.mails.filter((m) => m.to.some((t) => t.toLowerCase() === 'ada.lovelace@example.com')).length > mailsBefore);
    const [entry] = await server.query("SELECT actor, role, reason, ip, details FROM audit_log WHERE action = 'support.enrolment_reset' AND target = $1", [`user:${ada}`]);
    assert.equal(entry.actor, 'agent@example.com');
    assert.equal(entry.reason, 'lost phone, identity checked');
    assert.deepEqual(entry.details.revoked, { passkeys: 1, totp: 1, recovery_codes: 8, password: 1 });
    const page = await agent.agent.get(`/support/users/${ada}`);
    assert.match(page.text, /Enrolment reset/);
    assert.match(page.text, /support\.enrolment_reset/, 'the audit entry is on the user page');
    await server.query("UPDATE users SET state = 'disabled' WHERE legacy_id = 'L-103'");
    const [carol] = await server.query("SELECT id FROM users WHERE legacy_id = 'L-103'");
    const disabled = await post(`/api/v1/support/users/${carol.id}/reset-enrolment`, { reason: 'asked', campaign_id: campaignId });
    assert.equal(disabled.status, 409, 'a disabled user stays disabled');
    assert.equal((await server.query('SELECT state FROM users WHERE id = $1', [carol.id]))[0].state, 'disabled');
    const jit = await server.query("SELECT id FROM users WHERE legacy_id = 'J-1'");
    assert.equal((await post(`/api/v1/support/users/${jit[0].id}/reset-enrolment`, { reason: 'asked' })).status, 409);
  });
});
