import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import supertest from 'supertest';
import { startWorkers, type Workers } from '../src/worker.ts';
import { SmtpSink } from './support/smtp-sink.ts';
import { codeFor } from './support/staff-helpers.ts';
import { inviteUsers, type InvitedUser } from './support/invite.ts';
import { SoftAuthenticator } from './support/soft-authenticator.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';
import { csrfOf, secretOf } from './support/enrol-pages.ts';

const BASE_URL = 'http://id.acme.test';
const NEW_PASSWORD = 'correct orange stapler';

describe('re-enrolment from an invitation link, and the sign-in check', () => {
  const smtp = new SmtpSink();
  let server: TestServer;
  let workers: Workers;
  let url: string;
  let invited: { campaignId: string; waveId: string; users: InvitedUser[] };
  const user = (n: number) => invited.users[n]!;
  before(async () => {
    const smtpUrl = await smtp.start();
    server = await startTestServer({ env: { SMTP_URL: smtpUrl, ORG_NAME: 'Acme Bank', SUPPORT_EMAIL: 'help@acme.test', BASE_URL } });
    workers = await startWorkers(server.container);
    url = await server.url();
    invited = await inviteUsers(server, smtp, Array.from({ length: 10 }, (_, i) => ({
      id: `e-${i}`, email: `e${i}@example.com`, given_name: `Eve${i}`, locale: i === 1 ? 'de' : 'en',
    })));
  });
  after(async () => {
    await workers.stop();
    await server.close();
    await smtp.stop();
  });

  const agent = () => supertest.agent(url);
  const events = async (legacyId: string) => (await server.query(
    'SELECT f.stage, f.method, f.mail, f.detail FROM funnel_events f JOIN users u ON u.id = f.user_id WHERE u.legacy_id = $1 ORDER BY f.id', [legacyId]));

  /** Opens the link, chooses the app, finishes with a good password and code; returns the secret and codes page. */
  async function enrolWithApp(browser: ReturnType<typeof agent>, link: string) {
    assert.equal((await browser.get(link)).status, 303);
    const choose = await browser.get('/enrol');
    await browser.post('/enrol/method').type('form').send({ _csrf: csrfOf(choose.text), method: 'totp' }).expect(303);
    const page = await browser.get('/enrol/app').expect(200);
    const secret = secretOf(page.text);
    const finished = await browser.post('/enrol/app').type('form').send({ _csrf: csrfOf(page.text), password: NEW_PASSWORD, confirm: NEW_PASSWORD, code: await codeFor(secret) });
    assert.equal(finished.status, 303, finished.text);
    assert.equal(finished.headers.location, '/enrol/recovery-codes');
    const codes = await browser.get('/enrol/recovery-codes').expect(200);
    return { secret, codes: [...codes.text.matchAll(/<li><code>([A-Z0-9-]+)<\/code><\/li>/g)].map((m) => m[1]!), codesPage: codes.text };
  }

  test('the link sets a session, leaves the address bar and the Referer, and counts one click however often it is used', async () => {
    const browser = agent();
    const opened = await browser.get(user(0).link);
    assert.equal(opened.status, 303);
    assert.equal(opened.headers.location, '/enrol');
    assert.equal(opened.headers['referrer-policy'], 'no-referrer');
    const cookie = opened.headers['set-cookie']![0]!;
    assert.match(cookie, /^cutover_enrol=[A-Za-z0-9_-]{43}; Path=\/enrol; HttpOnly; SameSite=Lax$/);
    const page = await browser.get('/enrol').expect(200);
    assert.match(page.text, /Hello Eve0,/);
    assert.match(page.text, /Acme Bank is moving to a new, safer sign-in/);
    assert.match(page.text, /A passkey lets you sign in with your fingerprint, face or screen lock/);
    assert.match(page.headers['content-security-policy']!, /script-src 'self'/);
    assert.doesNotMatch(page.text, /<script>|onclick=|style="/, 'no inline script or style');
    await agent().get(user(0).link).expect(303);
    assert.deepEqual((await events('e-0')).map((e: { stage: string }) => e.stage), ['targeted', 'sent', 'clicked']);
    const [row] = await server.query("SELECT clicked_at FROM invitations i JOIN users u ON u.id = i.user_id WHERE u.legacy_id = 'e-0'");
    assert.ok(row.clicked_at);
  });

  test('a German user gets German pages; Accept-Language decides for a visitor without a session', async () => {
    const browser = agent();
    await browser.get(user(1).link).expect(303);
    const page = await browser.get('/enrol').set('accept-language', 'en').expect(200);
    assert.match(page.text, /<html lang="de">/);
    assert.match(page.text, /Neue Anmeldung einrichten/);
    const stranger = await supertest(url).get('/enrol/not-a-token').set('accept-language', 'de-DE,de;q=0.9');
    assert.equal(stranger.status, 410);
    assert.match(stranger.text, /Dieser Link ist abgelaufen oder wurde schon benutzt/);
  });

  test('authenticator app without JavaScript: weak password and wrong code are refused with reasons, then enrolment completes once', async () => {
    const browser = agent();
    await browser.get(user(2).link).expect(303);
    const choose = await browser.get('/enrol');
    await browser.post('/enrol/method').type('form').send({ _csrf: csrfOf(choose.text), method: 'totp' }).expect(303);
    const page = await browser.get('/enrol/app').expect(200);
    assert.match(page.text, /<svg[^>]*>/, 'QR code as inline SVG');
    const secret = secretOf(page.text);
    assert.equal(secret.length, 32);
    assert.equal(secretOf((await browser.get('/enrol/app')).text), secret, 'a reload shows the same secret');
    const csrf = csrfOf(page.text);

    const weak = await browser.post('/enrol/app').type('form').send({ _csrf: csrf, password: 'password1', confirm: 'password1', code: '000000' });
    assert.equal(weak.status, 400);
    assert.match(weak.text, /The password is too common/);
    assert.match(weak.text, /That code is not right/);
    assert.match(weak.text, /id="error-summary" autofocus/, 'focus moves to the errors');
    const email = await browser.post('/enrol/app').type('form').send({ _csrf: csrf, password: 'e2@example.com', confirm: 'e2@example.com', code: await codeFor(secret) });
    assert.match(email.text, /must not be your email address/);
    const short = await browser.post('/enrol/app').type('form').send({ _csrf: csrf, password: 'abc123x', confirm: 'abc123x', code: await codeFor(secret) });
    assert.match(short.text, /at least 8 characters/);
    const mismatch = await browser.post('/enrol/app').type('form').send({ _csrf: csrf, password: NEW_PASSWORD, confirm: `${NEW_PASSWORD}!`, code: await codeFor(secret) });
    assert.match(mismatch.text, /The two passwords are not the same/);
    assert.equal((await server.query("SELECT state FROM users WHERE legacy_id = 'e-2'"))[0].state, 'pending', 'nothing changed yet');

    const finished = await browser.post('/enrol/app').type('form').send({ _csrf: csrf, password: NEW_PASSWORD, confirm: NEW_PASSWORD, code: await codeFor(secret) });
    assert.equal(finished.status, 303, finished.text);
    const codesPage = await browser.get('/enrol/recovery-codes').expect(200);
    const codes = [...codesPage.text.matchAll(/<li><code>([A-Z0-9-]+)<\/code><\/li>/g)].map((m) => m[1]);
    assert.equal(codes.length, 10);
    const file = await browser.get('/enrol/recovery-codes.txt').expect(200);
    assert.match(file.headers['content-disposition']!, /attachment; filename="?recovery-codes.txt"?/);
    for (const code of codes) assert.ok(file.text.includes(code!));
    await browser.post('/enrol/recovery-codes').type('form').send({ _csrf: csrfOf(codesPage.text) }).expect(303);
    assert.equal((await browser.get('/enrol/recovery-codes')).status, 303, 'the codes are shown once');
    const done = await browser.get('/enrol/done').expect(200);
    assert.match(done.text, /You’re all set/);
    assert.match(done.text, /href="\/signin"/);

    const [u] = await server.query("SELECT u.state, u.enrolled_method, c.source, c.encoded, t.secret, t.last_step FROM users u JOIN password_credentials c ON c.user_id = u.id JOIN totp_credentials t ON t.user_id = u.id WHERE u.legacy_id = 'e-2'");
    assert.equal(u.state, 'enrolled');
    assert.equal(u.enrolled_method, 'totp');
    assert.equal(u.source, 'enrolment');
    assert.match(u.encoded, /^\$argon2id\$/);
    assert.ok(!u.secret.includes(secret), 'the TOTP secret is stored encrypted');
    const hashes = await server.query("SELECT r.code_hash FROM recovery_codes r JOIN users u ON u.id = r.user_id WHERE u.legacy_id = 'e-2'");
    assert.equal(hashes.length, 10);
    assert.ok(hashes.every((h: { code_hash: string }) => !codes.includes(h.code_hash)), 'recovery codes are stored hashed');
    const [inv] = await server.query("SELECT i.state, i.method, i.platform, i.converted_mail, i.started_at, i.enrolled_at FROM invitations i JOIN users u ON u.id = i.user_id WHERE u.legacy_id = 'e-2'");
    assert.deepEqual([inv.state, inv.method, inv.platform, inv.converted_mail], ['enrolled', 'totp', 'Other', 'invitation']);
    const stages = await events('e-2');
    assert.deepEqual(stages.map((e: { stage: string }) => e.stage), ['targeted', 'sent', 'clicked', 'started', 'enrolled']);
    assert.equal(stages[3].method, 'totp');
    assert.deepEqual(stages[4].detail, { platform: 'Other' });

    const notice = await waitForMail('e2@example.com', 2);
    assert.match(notice.body, /authenticator app/, 'the enrolled notice names the method');
    assert.match(notice.body, /help@acme\.test/, 'and who to tell if it was not them');

    const reused = await agent().get(user(2).link);
    assert.equal(reused.status, 410, 'the link is used up');
    assert.match(reused.text, /This link has expired or was already used/);
  });

  test('five wrong codes lock the step for five minutes, until support clears it', async () => {
    const browser = agent();
    await browser.get(user(3).link).expect(303);
    const page = await browser.get('/enrol/app').expect(200);
    const csrf = csrfOf(page.text);
    const secret = secretOf(page.text);
    const wrong = String((Number(await codeFor(secret)) + 500_000) % 1_000_000).padStart(6, '0');
    for (let i = 0; i < 5; i++) await browser.post('/enrol/app').type('form').send({ _csrf: csrf, password: NEW_PASSWORD, confirm: NEW_PASSWORD, code: wrong }).expect(400);
    const locked = await browser.post('/enrol/app').type('form').send({ _csrf: csrf, password: NEW_PASSWORD, confirm: NEW_PASSWORD, code: await codeFor(secret) });
    assert.equal(locked.status, 429);
    assert.match(locked.text, /Too many wrong codes/);
    assert.equal((await server.query("SELECT state FROM users WHERE legacy_id = 'e-3'"))[0].state, 'pending');

    // Support sees the lock on the user's story and clears it; the right code then works.
    const [{ id }] = await server.query("SELECT id FROM users WHERE legacy_id = 'e-3'");
    const support = `Bearer ${await server.tokenFor('support')}`;
    const story = await server.api.get(`/api/v1/support/users/${id}`).set('authorization', support).expect(200);
    assert.deepEqual(story.body.lockouts.map((l: { source: string; failures: number }) => [l.source, l.failures]), [['enrolment', 5]]);
    await server.api.post(`/api/v1/support/users/${id}/clear-lockout`).set('authorization', support).send({ reason: 'caller verified' }).expect(200);
    const unlocked = await browser.post('/enrol/app').type('form').send({ _csrf: csrf, password: NEW_PASSWORD, confirm: NEW_PASSWORD, code: await codeFor(secret) });
    assert.equal(unlocked.status, 303, unlocked.text);
  });

  test('the verify API asks a TOTP user for the code, refuses a replay, and takes a recovery code once; the first success is `verified`', async () => {
    const { secret, codes } = await enrolWithApp(agent(), user(4).link);
    const verifier = `Bearer ${await server.tokenFor('verifier')}`;
    const verify = (body: object) => server.api.post('/api/v1/verify').set('authorization', verifier).send(body);
    const missing = await verify({ login: 'e4@example.com', password: NEW_PASSWORD });
    assert.equal(missing.status, 401);
    assert.equal(missing.body.error, 'totp_required');
    const wrongPassword = await verify({ login: 'e4@example.com', password: 'not the password' });
    assert.equal(wrongPassword.body.error, 'invalid_credentials', 'totp_required only after the right password');
    assert.equal((await verify({ login: 'e4@example.com', password: NEW_PASSWORD, totp: 'abc' })).status, 400);
    const code = await codeFor(secret, 30);
    const ok = await verify({ login: 'e4@example.com', password: NEW_PASSWORD, totp: code });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.body.method, 'totp');
    const replay = await verify({ login: 'e4@example.com', password: NEW_PASSWORD, totp: code });
    assert.equal(replay.status, 401, 'a code is good once');
    const recovery = await verify({ login: 'e4@example.com', password: NEW_PASSWORD, recovery_code: codes[0]!.toLowerCase() });
    assert.equal(recovery.status, 200);
    assert.equal(recovery.body.method, 'recovery_code');
    assert.equal((await verify({ login: 'e4@example.com', password: NEW_PASSWORD, recovery_code: codes[0] })).status, 401, 'a recovery code is good once');
    const verified = (await events('e-4')).filter((e: { stage: string }) => e.stage === 'verified');
    assert.equal(verified.length, 1);
    assert.equal(verified[0].method, 'totp');
  });

  test('/signin: password and code, a missing code, a wrong one, and a recovery code', async () => {
    const { secret, codes } = await enrolWithApp(agent(), user(5).link);
    const browser = agent();
    const start = await browser.get('/signin').expect(200);
    assert.match(start.text, /autocomplete="username webauthn"/);
    await browser.post('/signin').type('form').send({ _csrf: csrfOf(start.text), email: 'e5@example.com' }).expect(303);
    const page = await browser.get('/signin/password').expect(200);
    assert.match(page.text, /Signing in as e5@example.com/);
    const csrf = csrfOf(page.text);
    const noCode = await browser.post('/signin/password').type('form').send({ _csrf: csrf, password: NEW_PASSWORD, code: '' });
    assert.equal(noCode.status, 401);
    assert.match(noCode.text, /Enter the 6-digit code from your authenticator app/);
    const signedIn = await browser.post('/signin/password').type('form').send({ _csrf: csrf, password: NEW_PASSWORD, code: await codeFor(secret, 30) });
    assert.equal(signedIn.status, 303);
    const done = await browser.get('/signin/done').expect(200);
    assert.match(done.text, /You’re signed in/);
    assert.match(done.text, /Your password and authenticator app work/);

    // An unknown address gets the same page and the same words as a wrong password.
    const stranger = agent();
    const s1 = await stranger.get('/signin');
    await stranger.post('/signin').type('form').send({ _csrf: csrfOf(s1.text), email: 'nobody@example.com' }).expect(303);
    const s2 = await stranger.get('/signin/password');
    const refused = await stranger.post('/signin/password').type('form').send({ _csrf: csrfOf(s2.text), password: NEW_PASSWORD, code: '123456' });
    assert.equal(refused.status, 401);
    assert.match(refused.text, /That did not work\. Check your email address, password and code/);

    const recover = agent();
    const r1 = await recover.get('/signin/recovery').expect(200);
    const bad = await recover.post('/signin/recovery').type('form').send({ _csrf: csrfOf(r1.text), email: 'e5@example.com', code: 'AAAAA-BBBBB' });
    assert.equal(bad.status, 401);
    await recover.post('/signin/recovery').type('form').send({ _csrf: csrfOf(r1.text), email: 'e5@example.com', code: codes[1] }).expect(303);
    assert.match((await recover.get('/signin/done')).text, /You have 9 codes left/);
  });

  test('passkey enrolment and sign-in check origin, RP ID, challenge reuse and the signature counter', async () => {
    const browser = agent();
    await browser.get(user(6).link).expect(303);
    const csrf = csrfOf((await browser.get('/enrol')).text);
    const json = (path: string, body: object = {}) => browser.post(path).set('x-csrf-token', csrf).send(body);
    const authenticator = new SoftAuthenticator('id.acme.test', BASE_URL);

    assert.equal((await browser.post('/enrol/passkey/options').send({})).status, 403, 'the script must send the CSRF token');
    let options = (await json('/enrol/passkey/options').expect(200)).body;
    assert.equal(options.rp.id, 'id.acme.test');
    assert.equal(options.authenticatorSelection.residentKey, 'preferred');
    assert.equal(options.authenticatorSelection.userVerification, 'required');
    // ES256 before EdDSA, so that the passkey can move to platforms that verify only ES*/RS* (FusionAuth).
    assert.deepEqual(options.pubKeyCredParams.map((p: { alg: number }) => p.alg), [-7, -257, -8]);
    const wrongOrigin = await json('/enrol/passkey/verify', authenticator.register(options, { origin: 'https://evil.example' }));
    assert.equal(wrongOrigin.status, 400);
    assert.equal(wrongOrigin.body.error, 'passkey_failed');
    const reused = await json('/enrol/passkey/verify', authenticator.register(options));
    assert.equal(reused.body.error, 'passkey_expired', 'a challenge is good for one answer');
    options = (await json('/enrol/passkey/options').expect(200)).body;
    assert.equal((await json('/enrol/passkey/verify', authenticator.register(options, { rpId: 'evil.example' }))).body.error, 'passkey_failed');
    assert.equal((await server.query("SELECT state FROM users WHERE legacy_id = 'e-6'"))[0].state, 'pending');
    options = (await json('/enrol/passkey/options').expect(200)).body;
    const ok = await json('/enrol/passkey/verify', authenticator.register(options));
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.body.next, '/enrol/recovery-codes');
    const [credential] = await server.query("SELECT w.id, w.counter, w.transports, w.device_type, w.backed_up FROM webauthn_credentials w JOIN users u ON u.id = w.user_id WHERE u.legacy_id = 'e-6'");
    assert.deepEqual([credential.id, credential.transports, credential.device_type, credential.backed_up], [authenticator.id, ['internal'], 'singleDevice', false]);
    assert.equal((await events('e-6')).find((e: { stage: string }) => e.stage === 'enrolled').method, 'passkey');

    const signIn = agent();
    const page = await signIn.get('/signin');
    const signCsrf = csrfOf(page.text);
    const sjson = (path: string, body: object = {}) => signIn.post(path).set('x-csrf-token', signCsrf).send(body);
    let request = (await sjson('/signin/passkey/options').expect(200)).body;
    assert.equal(request.allowCredentials, undefined, 'no credential list: the options say nothing about accounts');
    const assertion = authenticator.assert(request);
    const first = await sjson('/signin/passkey/verify', assertion);
    assert.equal(first.status, 200, first.text);
    assert.equal((await signIn.get('/signin/done')).status, 200);
    assert.equal((await sjson('/signin/passkey/verify', assertion)).status, 400, 'a replayed assertion fails');
    request = (await sjson('/signin/passkey/options').expect(200)).body;
    assert.equal((await sjson('/signin/passkey/verify', authenticator.assert(request, { counter: 0 }))).body.error, 'passkey_failed', 'a counter that went back fails');
    request = (await sjson('/signin/passkey/options').expect(200)).body;
    assert.equal((await sjson('/signin/passkey/verify', authenticator.assert(request, { origin: 'https://evil.example', counter: 10 }))).body.error, 'passkey_failed');
    request = (await sjson('/signin/passkey/options').expect(200)).body;
    assert.equal((await sjson('/signin/passkey/verify', authenticator.assert(request, { counter: 11 }))).status, 200);
    const verified = (await events('e-6')).filter((e: { stage: string }) => e.stage === 'verified');
    assert.deepEqual(verified.map((e: { method: string }) => e.method), ['passkey']);
  });

  test('two tabs finishing at once: one enrols, the other is told the link was used, and nothing is doubled', async () => {
    const tabA = agent();
    const tabB = agent();
    await tabA.get(user(7).link).expect(303);
    await tabB.get(user(7).link).expect(303);
    const pageA = await tabA.get('/enrol/app');
    const pageB = await tabB.get('/enrol/app');
    const [a, b] = await Promise.all([
      tabA.post('/enrol/app').type('form').send({ _csrf: csrfOf(pageA.text), password: NEW_PASSWORD, confirm: NEW_PASSWORD, code: await codeFor(secretOf(pageA.text)) }),
      tabB.post('/enrol/app').type('form').send({ _csrf: csrfOf(pageB.text), password: NEW_PASSWORD, confirm: NEW_PASSWORD, code: await codeFor(secretOf(pageB.text)) }),
    ]);
    assert.deepEqual([a.status, b.status].sort(), [303, 410]);
    const [counts] = await server.query(`SELECT (SELECT count(*)::int FROM totp_credentials t WHERE t.user_id = u.id) AS totp,
      (SELECT count(*)::int FROM recovery_codes r WHERE r.user_id = u.id) AS codes,
      (SELECT count(*)::int FROM funnel_events f WHERE f.user_id = u.id AND f.stage = 'enrolled') AS enrolled FROM users u WHERE u.legacy_id = 'e-7'`);
    assert.deepEqual(counts, { totp: 1, codes: 10, enrolled: 1 });
  });

  test('a link revoked by support stops an open session; CSRF, size and garbage are refused with a page', async () => {
    const browser = agent();
    await browser.get(user(8).link).expect(303);
    const page = await browser.get('/enrol/app').expect(200);
    const noCsrf = await browser.post('/enrol/app').type('form').send({ password: NEW_PASSWORD, confirm: NEW_PASSWORD, code: '123456' });
    assert.equal(noCsrf.status, 403);
    assert.match(noCsrf.text, /This page has expired/);
    const huge = await browser.post('/enrol/app').type('form').send({ _csrf: csrfOf(page.text), password: 'x'.repeat(20_000) });
    assert.equal(huge.status, 413);
    assert.match(huge.text, /more than this page accepts/);
    const hugeJson = await browser.post('/enrol/passkey/verify').set('x-csrf-token', csrfOf(page.text)).send({ blob: 'x'.repeat(100_000) });
    assert.equal(hugeJson.status, 413);
    await server.query("UPDATE invitations SET state = 'revoked', revoked_at = now() WHERE user_id = (SELECT id FROM users WHERE legacy_id = 'e-8')");
    const after = await browser.post('/enrol/app').type('form').send({ _csrf: csrfOf(page.text), password: NEW_PASSWORD, confirm: NEW_PASSWORD, code: await codeFor(secretOf(page.text)) });
    assert.equal(after.status, 410);
    assert.equal((await server.query("SELECT state FROM users WHERE legacy_id = 'e-8'"))[0].state, 'pending');
    for (const garbled of ['/enrol/AAAA', `/enrol/${'A'.repeat(43)}`, `/enrol/${user(9).token.slice(0, 42)}B`]) {
      assert.equal((await supertest(url).get(garbled)).status, 410, garbled);
    }
  });

  test('"email me a new link" answers the same for anyone, and queues a paced reminder only for an eligible user', async () => {
    const page = async () => {
      const browser = agent();
      const invalid = await browser.get('/enrol/expired-link');
      return { browser, csrf: csrfOf(invalid.text) };
    };
    const known = await page();
    const a = await known.browser.post('/enrol/new-link').type('form').send({ _csrf: known.csrf, email: 'e9@example.com' });
    const unknown = await page();
    const b = await unknown.browser.post('/enrol/new-link').type('form').send({ _csrf: unknown.csrf, email: 'nobody@example.com' });
    const enrolled = await page();
    const c = await enrolled.browser.post('/enrol/new-link').type('form').send({ _csrf: enrolled.csrf, email: 'e2@example.com' });
    assert.deepEqual([a.status, b.status, c.status], [200, 200, 200]);
    const strip = (html: string, email: string) => html.replace(email, 'X');
    assert.equal(strip(a.text, 'e9@example.com'), strip(b.text, 'nobody@example.com'));
    assert.equal(strip(a.text, 'e9@example.com'), strip(c.text, 'e2@example.com'));
    const reminder = await waitForMail('e9@example.com', 2);
    assert.match(reminder.subject, /reminder|Reminder|expires/i);
    const missingCsrf = await agent().post('/enrol/new-link').type('form').send({ email: 'e9@example.com' });
    assert.equal(missingCsrf.status, 403);
    const badEmail = await known.browser.post('/enrol/new-link').type('form').send({ _csrf: known.csrf, email: 'not an address' });
    assert.equal(badEmail.status, 400);
    assert.match(badEmail.text, /Enter an email address/);
    let status = 200;
    for (let i = 0; i < 12 && status === 200; i++) {
      status = (await known.browser.post('/enrol/new-link').type('form').send({ _csrf: known.csrf, email: `x${i}@example.com` })).status;
    }
    assert.equal(status, 429, 'ten requests an hour from one address');
  });

  async function waitForMail(address: string, count: number) {
    const deadline = Date.now() + 20_000;
    while (smtp.to(address).length < count) {
      if (Date.now() > deadline) throw new Error(`no mail number ${count} for ${address}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return smtp.to(address).at(-1)!;
  }
});
