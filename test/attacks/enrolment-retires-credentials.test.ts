import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import supertest from 'supertest';
import { startWorkers, type Workers } from '../../src/worker.ts';
import { enrolmentLink, SmtpSink } from '../support/smtp-sink.ts';
import { ALWAYS_STAFFED, waitFor } from '../support/invite.ts';
import { SoftAuthenticator } from '../support/soft-authenticator.ts';
import { csrfOf } from '../support/enrol-pages.ts';
import { jsonl, startTestServer, type TestServer } from '../support/test-server.ts';

const BASE_URL = 'http://id.acme.test';
// Django 3.2: PBKDF2PasswordHasher().encode("pässwörd ✓", "Z5ZgErTJq8Y3iq6ZIhgHmq", 1000) (as in test/log-redaction.test.ts)
const OLD_PASSWORD = 'pässwörd ✓';
const OLD_HASH = 'pbkdf2_sha256$1000$Z5ZgErTJq8Y3iq6ZIhgHmq$GeqkUcyWnHk010q3INEvkOxTZdbCsviQVMrTUTO50IE=';
const USER_PRESENT_ONLY = 0x01; // authenticator data flags: UP without UV (WebAuthn §6.1)

/**
 * Issue 9, item 6. A bulk_hash user whom a wave invites and who enrols a passkey must lose the old password in the
 * same transaction, or anyone holding the leaked legacy hash's password still signs in as them. And the passkey is
 * the only factor, so an authenticator that did not verify the user (no UV flag) is refused.
 */
describe('attack: a passkey enrolment retires the old password, and passkeys need user verification', () => {
  const smtp = new SmtpSink();
  let server: TestServer;
  let workers: Workers;
  let url: string;
  let verifier: string;
  const links = new Map<string, string>();

  before(async () => {
    const smtpUrl = await smtp.start();
    server = await startTestServer({ env: { SMTP_URL: smtpUrl, BASE_URL } });
    workers = await startWorkers(server.container);
    url = await server.url();
    verifier = `Bearer ${await server.tokenFor('verifier')}`;
    const admin = `Bearer ${server.adminToken}`;
    const users = ['b-1', 'b-2', 'b-3'].map((id) => ({ id, email: `${id}@example.com`, password_hash: OLD_HASH }));
    const imported = await server.api.post('/api/v1/imports').set('authorization', admin).set('content-type', 'application/x-ndjson').send(jsonl(users));
    assert.equal(imported.status, 201, imported.text);
    assert.equal(imported.body.paths.bulk_hash, 3, 'the users are on the bulk_hash path');
    const campaign = await server.api.post('/api/v1/campaigns').set('authorization', admin).send({
      name: 'Passkeys for everyone', locale: 'en', link_ttl_hours: 72, reminders_after_hours: [], methods: ['passkey', 'totp'], max_per_hour: null,
      helpdesk: { capacity_per_hour: 1800, contact_rate: 0.05, timezone: 'UTC', hours: ALWAYS_STAFFED },
    });
    assert.equal(campaign.status, 201, campaign.text);
    const wave = await server.api.post(`/api/v1/campaigns/${campaign.body.id}/waves`).set('authorization', admin)
      .send({ name: 'bulk_hash wave', cohort: { paths: ['bulk_hash'], legacy_ids: users.map((u) => u.id) } });
    assert.equal(wave.status, 201, wave.text);
    for (const user of users) {
      const mail = await waitFor(`the invitation to ${user.email}`, async () => smtp.to(user.email).at(-1));
      links.set(user.id, new URL(enrolmentLink(mail).url).pathname);
    }
  });
  after(async () => {
    await workers.stop();
    await server.close();
    await smtp.stop();
  });

  const verify = (login: string) => server.api.post('/api/v1/verify').set('authorization', verifier).send({ login, password: OLD_PASSWORD });

  /** Opens the invitation link in a fresh browser and returns a JSON poster carrying the page's CSRF token. */
  async function openEnrolment(id: string) {
    const browser = supertest.agent(url);
    await browser.get(links.get(id)!).expect(303);
    const csrf = csrfOf((await browser.get('/enrol').expect(200)).text);
    return (path: string, body: object = {}) => browser.post(path).set('x-csrf-token', csrf).send(body);
  }

  async function enrolPasskey(id: string): Promise<SoftAuthenticator> {
    const post = await openEnrolment(id);
    const authenticator = new SoftAuthenticator('id.acme.test', BASE_URL);
    const options = (await post('/enrol/passkey/options').expect(200)).body;
    const done = await post('/enrol/passkey/verify', authenticator.register(options));
    assert.equal(done.status, 200, done.text);
    return authenticator;
  }

  async function signInWithPassword(email: string, password: string): Promise<number> {
    const browser = supertest.agent(url);
    const csrf = csrfOf((await browser.get('/signin').expect(200)).text);
    await browser.post('/signin').type('form').send({ _csrf: csrf, email }).expect(303);
    return (await browser.post('/signin/password').type('form').send({ _csrf: csrf, password, code: '' })).status;
  }

  test('the old password of an invited bulk_hash user never verifies after a passkey enrolment', async () => {
    await enrolPasskey('b-1');
    const [user] = await server.query("SELECT state, legacy_hash, legacy_hash_scheme FROM users WHERE legacy_id = 'b-1'");
    assert.deepEqual(user, { state: 'enrolled', legacy_hash: null, legacy_hash_scheme: null }, 'the legacy hash is gone with the enrolment');
    const answer = await verify('b-1@example.com');
    assert.equal(answer.status, 401, `the old password still verified: ${answer.text}`);
    assert.equal(answer.body.verified, false);
    assert.equal(await signInWithPassword('b-1@example.com', OLD_PASSWORD), 401, 'the sign-in page refuses it too');
  });

  test('an old password already rehashed to argon2id at a sign-in is retired as well', async () => {
    assert.equal((await verify('b-2@example.com')).status, 200, 'before enrolling, the old password works (and is rehashed)');
    const [{ count }] = await server.query("SELECT count(*)::int AS count FROM password_credentials p JOIN users u ON u.id = p.user_id WHERE u.legacy_id = 'b-2'");
    assert.equal(count, 1);
    await enrolPasskey('b-2');
    const [after] = await server.query("SELECT count(*)::int AS count FROM password_credentials p JOIN users u ON u.id = p.user_id WHERE u.legacy_id = 'b-2'");
    assert.equal(after.count, 0, 'no password is left: the passkey is the only factor');
    assert.equal((await verify('b-2@example.com')).status, 401);
  });

  test('enrolment and sign-in refuse a passkey that did not verify the user', async () => {
    const post = await openEnrolment('b-3');
    const authenticator = new SoftAuthenticator('id.acme.test', BASE_URL);
    let options = (await post('/enrol/passkey/options').expect(200)).body;
    assert.equal(options.authenticatorSelection.userVerification, 'required');
    const unverified = await post('/enrol/passkey/verify', authenticator.register(options, { flags: USER_PRESENT_ONLY }));
    assert.equal(unverified.status, 400, `a registration without UV was accepted: ${unverified.text}`);
    assert.equal(unverified.body.error, 'passkey_failed');
    assert.equal((await server.query("SELECT state FROM users WHERE legacy_id = 'b-3'"))[0].state, 'pending');
    options = (await post('/enrol/passkey/options').expect(200)).body;
    assert.equal((await post('/enrol/passkey/verify', authenticator.register(options))).status, 200);

    const signIn = supertest.agent(url);
    const csrf = csrfOf((await signIn.get('/signin').expect(200)).text);
    const sjson = (path: string, body: object = {}) => signIn.post(path).set('x-csrf-token', csrf).send(body);
    let request = (await sjson('/signin/passkey/options').expect(200)).body;
    assert.equal(request.userVerification, 'required');
    const refused = await sjson('/signin/passkey/verify', authenticator.assert(request, { flags: USER_PRESENT_ONLY }));
    assert.equal(refused.status, 400, `an assertion without UV signed in: ${refused.text}`);
    assert.equal(refused.body.error, 'passkey_failed');
    request = (await sjson('/signin/passkey/options').expect(200)).body;
    assert.equal((await sjson('/signin/passkey/verify', authenticator.assert(request))).status, 200, 'with UV it signs in');
  });
});
