import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import supertest from 'supertest';
import { startWorkers, type Workers } from '../src/worker.ts';
import { enrolmentLink, SmtpSink } from './support/smtp-sink.ts';
import { codeFor, signedInStaff } from './support/staff-helpers.ts';
import { inviteUsers, waitFor, type InvitedUser } from './support/invite.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';
import { csrfOf, secretOf } from './support/enrol-pages.ts';

const PASSWORD = 'violet harbour lantern';

/**
 * Issue 5's "done when": a user invited by a real wave enrols through the real /enrol pages and signs in through
 * the verify API; the support page tells that whole story, and a reset sends a link that works while the old one
 * does not.
 */
describe('a real user\'s story on the support page, and a reset that starts it over', () => {
  const smtp = new SmtpSink();
  let server: TestServer;
  let workers: Workers;
  let url: string;
  let user: InvitedUser;
  let userId: string;
  let totpSecret: string;

  before(async () => {
    const smtpUrl = await smtp.start();
    server = await startTestServer({ env: { SMTP_URL: smtpUrl, BASE_URL: 'http://id.acme.test' } });
    workers = await startWorkers(server.container);
    url = await server.url();
    const invited = await inviteUsers(server, smtp, [{ id: 'st-1', email: 'sam.story@example.com', given_name: 'Sam' }]);
    user = invited.users[0]!;
    [{ id: userId }] = await server.query("SELECT id FROM users WHERE legacy_id = 'st-1'");

    // Enrol with an authenticator app, keep the recovery codes, then sign in through the verify API.
    const browser = supertest.agent(url);
    await browser.get(user.link).expect(303);
    const choose = await browser.get('/enrol');
    await browser.post('/enrol/method').type('form').send({ _csrf: csrfOf(choose.text), method: 'totp' }).expect(303);
    const page = await browser.get('/enrol/app').expect(200);
    totpSecret = secretOf(page.text);
    await browser.post('/enrol/app').type('form').send({ _csrf: csrfOf(page.text), password: PASSWORD, confirm: PASSWORD, code: await codeFor(totpSecret) }).expect(303);
    const codes = await browser.get('/enrol/recovery-codes').expect(200);
    await browser.post('/enrol/recovery-codes').type('form').send({ _csrf: csrfOf(codes.text) }).expect(303);
    const verifier = `Bearer ${await server.tokenFor('verifier')}`;
    const ok = await server.api.post('/api/v1/verify').set('authorization', verifier).send({ login: 'sam.story@example.com', password: PASSWORD, totp: await codeFor(totpSecret, 30) });
    assert.equal(ok.status, 200, ok.text);
    await server.api.post('/api/v1/verify').set('authorization', verifier).send({ login: 'sam.story@example.com', password: 'wrong password' }).expect(401);
  });
  after(async () => {
    await workers.stop();
    await server.close();
    await smtp.stop();
  });

  test('the API and the page show the invitation from sent to verified, the credentials without secrets, and the sign-ins', async () => {
    const support = `Bearer ${await server.tokenFor('support')}`;
    const story = await server.api.get(`/api/v1/support/users/${userId}`).set('authorization', support);
    assert.equal(story.status, 200, story.text);
    assert.equal(story.body.user.state, 'enrolled');
    assert.equal(story.body.user.enrolled_method, 'totp');
    assert.deepEqual(story.body.credentials.map((c: { type: string }) => c.type).sort(), ['authenticator app', 'password']);
    assert.ok(story.body.credentials.find((c: { type: string }) => c.type === 'authenticator app').last_used_at, 'the sign-in used the app');
    assert.deepEqual(story.body.recovery_codes, { ...story.body.recovery_codes, issued: 10, left: 10 });
    const [invitation] = story.body.invitations;
    assert.equal(invitation.state, 'enrolled');
    for (const stage of ['sent_at', 'clicked_at', 'started_at', 'enrolled_at']) assert.ok(invitation[stage], `${stage} is set`);
    assert.deepEqual(invitation.events.map((e: { stage: string }) => e.stage), ['targeted', 'sent', 'clicked', 'started', 'enrolled', 'verified']);
    assert.deepEqual(story.body.verifications.map((v: { outcome: string }) => v.outcome), ['invalid_credentials', 'verified']);
    const [secretRow] = await server.query('SELECT secret FROM totp_credentials WHERE user_id = $1', [userId]);
    const [password] = await server.query('SELECT encoded FROM password_credentials WHERE user_id = $1', [userId]);
    const codeHashes = (await server.query('SELECT code_hash FROM recovery_codes WHERE user_id = $1', [userId])).map((r) => r.code_hash as string);
    for (const secret of [secretRow.secret, password.encoded, totpSecret, ...codeHashes]) assert.ok(!story.text.includes(secret), 'no secret, key or hash in the answer');

    const agent = await signedInStaff(server, 'desk@example.com', 'support');
    const page = await agent.agent.get(`/support/users/${userId}`);
    assert.equal(page.status, 200);
    for (const secret of [secretRow.secret, password.encoded, totpSecret, ...codeHashes]) assert.ok(!page.text.includes(secret), 'no secret, key or hash on the page');
    assert.match(page.text, /Re-enrolment › Wave/);
    assert.match(page.text, /<span class="timeline-stage">verified<\/span> \d/);
    assert.match(page.text, /<strong>10<\/strong> of 10 left/);
    assert.match(page.text, /signs in with totp/);
  });

  test('reset enrolment: the new link opens enrolment, the old one is dead, the app no longer signs in', async () => {
    const support = `Bearer ${await server.tokenFor('support')}`;
    const before = smtp.to('sam.story@example.com').length;
    const reset = await server.api.post(`/api/v1/support/users/${userId}/reset-enrolment`).set('authorization', support).send({ reason: 'lost phone; identity checked by video call' });
    assert.equal(reset.status, 200, reset.text);
    assert.deepEqual(reset.body.revoked, { passkeys: 0, totp: 1, recovery_codes: 10, password: 1 });
    const mail = await waitFor('the new invitation', async () => {
      // the enrolled notice may arrive in between: take the newest mail with a link
      const withLink = smtp.to('sam.story@example.com').slice(before).filter((m) => /\/enrol\//.test(m.body));
      return withLink.at(-1);
    });
    const fresh = new URL(enrolmentLink(mail).url).pathname;
    assert.notEqual(fresh, user.link);
    assert.equal((await supertest(url).get(user.link)).status, 410, 'the old link is dead');
    assert.equal((await supertest.agent(url).get(fresh)).status, 303, 'the new link opens enrolment');
    const verifier = `Bearer ${await server.tokenFor('verifier')}`;
    const signIn = await server.api.post('/api/v1/verify').set('authorization', verifier).send({ login: 'sam.story@example.com', password: PASSWORD, totp: await codeFor(totpSecret, 60) });
    assert.equal(signIn.status, 401, 'the revoked app and removed password no longer sign in');
    const story = await server.api.get(`/api/v1/support/users/${userId}`).set('authorization', support);
    assert.equal(story.body.user.state, 'pending');
    assert.equal(story.body.invitations.length, 2);
    assert.equal(story.body.invitations[0].wave_kind, 'support');
    assert.equal(story.body.audit[0].action, 'support.enrolment_reset');
    assert.equal(story.body.audit[0].reason, 'lost phone; identity checked by video call');
  });
});
