import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import supertest from 'supertest';
import { startWorkers, type Workers } from '../../src/worker.ts';
import { SmtpSink } from '../support/smtp-sink.ts';
import { inviteUsers, waitFor, type InvitedUser } from '../support/invite.ts';
import { SoftAuthenticator } from '../support/soft-authenticator.ts';
import { csrfOf } from '../support/enrol-pages.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

// Passkeys made at migrate.acme.test under the parent RP ID acme.test (WEBAUTHN_RP_ID).
const BASE_URL = 'http://migrate.acme.test';
const RP_ID = 'acme.test';

/** A user handle as the browser hands it over: base64url of its bytes. */
const utf8Handle = (userId: string) => Buffer.from(userId, 'utf8').toString('base64url');
/** The 16 raw bytes of the UUID, the handle passkeys had before migration 013. */
const rawUuidHandle = (userId: string) => Buffer.from(userId.replace(/-/g, ''), 'hex').toString('base64url');

/**
 * WebAuthn Level 2 §7.2 step 6: "If response.userHandle is present, verify that the user identified by this value
 * is the owner of credentialSource." The credential id alone picks the stored key, so an assertion whose user handle
 * names somebody else was accepted as the credential's owner: a signed answer that contradicts itself (an
 * authenticator that mixed up accounts, or one built to confuse a relying party that reads the handle, as Keycloak
 * does). Such an assertion must sign nobody in, and the stored counter must not move for it.
 */
describe('attack: a passkey assertion whose user handle is not the credential\'s', () => {
  const smtp = new SmtpSink();
  let server: TestServer;
  let workers: Workers;
  let url: string;
  let users: InvitedUser[];
  const ids = new Map<string, string>();

  before(async () => {
    server = await startTestServer({ env: { SMTP_URL: await smtp.start(), BASE_URL, WEBAUTHN_RP_ID: RP_ID } });
    workers = await startWorkers(server.container);
    url = await server.url();
    ({ users } = await inviteUsers(server, smtp, [
      { id: 'uh-a', email: 'uh-a@example.com' },
      { id: 'uh-b', email: 'uh-b@example.com' },
    ]));
    for (const row of await server.query("SELECT id, legacy_id FROM users WHERE legacy_id IN ('uh-a', 'uh-b')")) ids.set(row.legacy_id, row.id);
    // The mail can arrive a moment before the send job marks its invitation sent; a link works from then on.
    await waitFor('both invitations sent', async () => (await server.query("SELECT count(*)::int AS n FROM invitations WHERE state = 'sent'"))[0].n === 2);
  });
  after(async () => {
    await workers?.stop();
    await server?.close();
    await smtp.stop();
  });

  async function enrolPasskey(user: InvitedUser): Promise<SoftAuthenticator> {
    const browser = supertest.agent(url);
    await browser.get(user.link).expect(303);
    const csrf = csrfOf((await browser.get('/enrol').expect(200)).text);
    const post = (path: string, body: object = {}) => browser.post(path).set('x-csrf-token', csrf).send(body);
    const authenticator = new SoftAuthenticator(RP_ID, BASE_URL);
    const options = (await post('/enrol/passkey/options').expect(200)).body;
    assert.equal(options.rp.id, RP_ID, 'the passkey is made under WEBAUTHN_RP_ID');
    assert.equal(options.user.id, utf8Handle(ids.get(user.legacyId)!), 'the user handle is the UTF-8 of the user id');
    const done = await post('/enrol/passkey/verify', authenticator.register(options));
    assert.equal(done.status, 200, done.text);
    return authenticator;
  }

  /** One sign-in attempt in a fresh browser: the status, and whom /signin/done then shows. */
  async function signIn(authenticator: SoftAuthenticator, override: Parameters<SoftAuthenticator['assert']>[1] = {}) {
    const browser = supertest.agent(url);
    const csrf = csrfOf((await browser.get('/signin').expect(200)).text);
    const post = (path: string, body: object = {}) => browser.post(path).set('x-csrf-token', csrf).send(body);
    const options = (await post('/signin/passkey/options').expect(200)).body;
    assert.equal(options.rpId, RP_ID);
    const answer = await post('/signin/passkey/verify', authenticator.assert(options, override));
    const done = await browser.get('/signin/done');
    return { status: answer.status, error: answer.body.error as string | undefined, done: done.status === 200 ? done.text : null };
  }

  const counterOf = async (authenticator: SoftAuthenticator) => Number((await server.query('SELECT counter FROM webauthn_credentials WHERE id = $1', [authenticator.id]))[0].counter);

  test('a new passkey stores the RP ID and the UTF-8 user handle, and signs in with that handle or none', async () => {
    const authenticator = await enrolPasskey(users[0]!);
    const [row] = await server.query('SELECT rp_id, user_handle FROM webauthn_credentials WHERE id = $1', [authenticator.id]);
    assert.equal(row.rp_id, RP_ID);
    assert.equal(Buffer.from(row.user_handle).toString('utf8'), ids.get('uh-a'));
    const withHandle = await signIn(authenticator, { userHandle: utf8Handle(ids.get('uh-a')!) });
    assert.equal(withHandle.status, 200, `the owner's own handle was refused: ${withHandle.error}`);
    assert.match(withHandle.done!, /uh-a@example\.com/);
    const without = await signIn(authenticator);
    assert.equal(without.status, 200, 'an authenticator may leave the handle out (WebAuthn §6.3.3: it is optional for non-resident keys)');
  });

  test('A\'s passkey with B\'s user handle signs nobody in, and the counter does not move', async () => {
    const b = await enrolPasskey(users[1]!);
    const aCredential = (await server.query("SELECT w.id FROM webauthn_credentials w JOIN users u ON u.id = w.user_id WHERE u.legacy_id = 'uh-a'"))[0].id;
    assert.ok(aCredential);
    const before = await counterOf(b);
    const mixed = await signIn(b, { userHandle: utf8Handle(ids.get('uh-a')!) });
    assert.equal(mixed.status, 400, `an assertion naming another user was accepted (${mixed.done ? 'and it signed in' : mixed.error})`);
    assert.equal(mixed.error, 'passkey_failed');
    assert.equal(mixed.done, null, 'nobody is signed in');
    assert.equal(await counterOf(b), before, 'the refused assertion did not move the stored counter');
    // The handle in the old format, for the right user, is not this credential's handle either.
    assert.equal((await signIn(b, { userHandle: rawUuidHandle(ids.get('uh-b')!) })).status, 400);
    // Garbage in the field.
    assert.equal((await signIn(b, { userHandle: randomBytes(64).toString('base64url') })).status, 400);
    assert.equal((await signIn(b, { userHandle: utf8Handle(ids.get('uh-b')!) })).status, 200, 'the right handle still signs in');
  });

  test('a credential from before migration 013 keeps its 16-byte handle: that one signs in, the UTF-8 one does not', async () => {
    const old = new SoftAuthenticator(RP_ID, BASE_URL);
    const aId = ids.get('uh-a')!;
    const enrolled = await enrolPasskeyRow(old, aId, Buffer.from(aId.replace(/-/g, ''), 'hex'));
    assert.equal(enrolled, 1);
    assert.equal((await signIn(old, { userHandle: utf8Handle(aId) })).status, 400);
    assert.equal((await signIn(old, { userHandle: rawUuidHandle(aId) })).status, 200);
  });

  test('a credential stored under another RP ID does not sign in under this one', async () => {
    const stray = new SoftAuthenticator(RP_ID, BASE_URL);
    const aId = ids.get('uh-a')!;
    await enrolPasskeyRow(stray, aId, Buffer.from(aId, 'utf8'), 'other.acme.test');
    assert.equal((await signIn(stray)).status, 400);
  });

  /** Stores a credential for the soft authenticator as an older enrolment would have (registration checked elsewhere). */
  async function enrolPasskeyRow(authenticator: SoftAuthenticator, userId: string, userHandle: Buffer, rpId: string = RP_ID): Promise<number> {
    const { credential } = await registrationOf(authenticator);
    const rows = await server.query(
      `INSERT INTO webauthn_credentials (id, user_id, public_key, counter, transports, device_type, backed_up, rp_id, user_handle)
       VALUES ($1, $2, $3, 0, '{internal}', 'singleDevice', false, $4, $5) RETURNING id`,
      [authenticator.id, userId, credential, rpId, userHandle],
    );
    return rows.length;
  }

  /** The COSE public key a registration by this authenticator carries, read back with the server library. */
  async function registrationOf(authenticator: SoftAuthenticator): Promise<{ credential: Buffer }> {
    const { verifyRegistrationResponse } = await import('@simplewebauthn/server');
    const challenge = randomBytes(32).toString('base64url');
    const result = await verifyRegistrationResponse({
      response: authenticator.register({ challenge }) as never, expectedChallenge: challenge, expectedOrigin: BASE_URL, expectedRPID: RP_ID,
    });
    return { credential: Buffer.from(result.registrationInfo!.credential.publicKey) };
  }
});
