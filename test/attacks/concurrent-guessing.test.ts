import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import supertest from 'supertest';
import { startWorkers, type Workers } from '../../src/worker.ts';
import { FakeLegacySystem } from '../support/fake-legacy-system.ts';
import { SmtpSink } from '../support/smtp-sink.ts';
import { inviteUsers } from '../support/invite.ts';
import { csrfOf, secretOf } from '../support/enrol-pages.ts';
import { addStaff, codeFor, finishSetup, signIn } from '../support/staff-helpers.ts';
import { jsonl, startTestServer, type TestServer } from '../support/test-server.ts';

const MAX = 5;
const count = (statuses: number[], status: number) => statuses.filter((s) => s === status).length;

/**
 * The attack from issue 9, item 4: many guesses sent at once, so that each reads the failure count before any of
 * them has added to it. A limit that counts first lets at most its maximum through to the check; the rest get 429.
 */
describe('attack: concurrent guesses race past the failure limits', () => {
  const legacy = new FakeLegacySystem();
  const smtp = new SmtpSink();
  let server: TestServer;
  let workers: Workers;
  let verifier: string;
  before(async () => {
    const legacyUrl = await legacy.start();
    legacy.accounts.set('target@example.com', { password: 'the-real-one', profile: { id: 'cg-1', email: 'target@example.com' } });
    legacy.accounts.set('cg-2', { password: 'right-password', profile: { id: 'cg-2', email: 'both@example.com' } });
    server = await startTestServer({ env: { LEGACY_VERIFY_URL: legacyUrl, VERIFY_MAX_FAILURES: String(MAX), SMTP_URL: await smtp.start() } });
    workers = await startWorkers(server.container);
    verifier = `Bearer ${await server.tokenFor('verifier')}`;
    const imported = await server.api.post('/api/v1/imports').set('authorization', `Bearer ${server.adminToken}`).set('content-type', 'application/x-ndjson')
      .send(jsonl([{ id: 'cg-1', email: 'target@example.com' }, { id: 'cg-2', email: 'both@example.com' }, { id: 'cg-3', email: 'codes@example.com' }]));
    assert.equal(imported.body.imported, 3, imported.text);
  });
  after(async () => {
    await workers.stop();
    await server.close();
    await legacy.stop();
    await smtp.stop();
  });

  const verify = (body: Record<string, string>) => server.api.post('/api/v1/verify').set('authorization', verifier).send(body);

  test(`200 concurrent wrong passwords for one login: at most VERIFY_MAX_FAILURES (${MAX}) reach the legacy system, the rest get 429`, async () => {
    legacy.calls.length = 0;
    const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => verify({ login: 'target@example.com', password: `guess-${i}` })));
    const statuses = answers.map((a) => a.status);
    const checked = legacy.calls.filter((c) => c.login === 'target@example.com').length;
    assert.ok(checked <= MAX, `${checked} guesses reached the password check`);
    assert.equal(count(statuses, 401), checked, 'every guess that was checked got 401');
    assert.equal(count(statuses, 429), 200 - checked, 'every other guess got 429');
    assert.ok(answers.filter((a) => a.status === 429).every((a) => Number(a.headers['retry-after']) > 0));
  });

  test("a user's email and legacy id share one count", async () => {
    for (let i = 0; i < 3; i++) assert.equal((await verify({ login: 'both@example.com', password: `wrong-${i}` })).status, 401);
    for (let i = 0; i < 2; i++) assert.equal((await verify({ login: 'cg-2', password: `wrong-${i}` })).status, 401);
    assert.equal((await verify({ login: 'cg-2', password: 'right-password' })).status, 429, 'the legacy id is locked by failures under the email');
    assert.equal((await verify({ login: 'BOTH@example.com', password: 'right-password' })).status, 429);
  });

  test("a success does not reset another client's per-address count", async () => {
    const attacker = '203.0.113.50';
    for (let i = 0; i < MAX - 1; i++) assert.equal((await verify({ login: `spray-${i}@example.com`, password: 'x', ip: attacker })).status, 401);
    legacy.accounts.set('okay@example.com', { password: 'fine', profile: { id: 'cg-9', email: 'okay@example.com' } });
    assert.equal((await verify({ login: 'okay@example.com', password: 'fine', ip: '198.51.100.9' })).status, 200);
    assert.equal((await verify({ login: 'spray-last@example.com', password: 'x', ip: attacker })).status, 401);
    assert.equal((await verify({ login: 'spray-more@example.com', password: 'x', ip: attacker })).status, 429);
  });

  test('while the legacy system is down, tries do not lock the user out, but still count against the address', async () => {
    legacy.accounts.set('outage@example.com', { password: 'patient', profile: { id: 'cg-out', email: 'outage@example.com' } });
    const from = '203.0.113.77';
    legacy.mode = 'error';
    try {
      // Four, below the circuit breaker's five, so that the legacy system is asked again once it is back.
      for (let i = 0; i < 4; i++) assert.equal((await verify({ login: 'outage@example.com', password: 'patient', ip: from })).status, 503);
    } finally {
      legacy.mode = 'up';
    }
    for (let i = 0; i < 2; i++) assert.equal((await verify({ login: 'outage@example.com', password: `wrong-${i}`, ip: '198.51.100.20' })).status, 401);
    assert.equal((await verify({ login: 'outage@example.com', password: 'patient', ip: '198.51.100.21' })).status, 200, 'the 503s did not count for the user');
    assert.equal((await verify({ login: 'someone-else@example.com', password: 'x', ip: from })).status, 401);
    assert.equal((await verify({ login: 'someone-else@example.com', password: 'x', ip: from })).status, 429, 'they counted for the address');
  });

  test('40 concurrent wrong recovery codes on /signin: at most 5 are checked', async () => {
    const browser = supertest.agent(await server.url());
    const page = await browser.get('/signin/recovery').expect(200);
    const csrf = csrfOf(page.text);
    const answers = await Promise.all(Array.from({ length: 40 }, () =>
      browser.post('/signin/recovery').type('form').send({ _csrf: csrf, email: 'codes@example.com', code: randomBytes(5).toString('hex') })));
    const statuses = answers.map((a) => a.status);
    assert.ok(count(statuses, 401) <= 5, `${count(statuses, 401)} recovery codes were checked`);
    assert.equal(count(statuses, 401) + count(statuses, 429), 40);
  });

  test('40 concurrent wrong staff logins: at most 10 are checked', async () => {
    const staff = await addStaff(server, 'guarded@example.com', 'support');
    const url = await server.url();
    await finishSetup(supertest.agent(url), staff.setup_url);
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => signIn(supertest.agent(url), 'guarded@example.com', '000000', `wrong-password-${i}`)));
    const statuses = answers.map((a) => a.status);
    const [{ n }] = await server.query("SELECT count(*)::int AS n FROM audit_log WHERE action = 'staff.login_failed' AND target = $1", [`staff:${staff.id}`]);
    assert.ok(n <= 10, `${n} staff logins reached the password check`);
    assert.equal(count(statuses, 429), 40 - n, 'the rest were refused before it');
  });

  test('20 concurrent wrong codes on the enrolment page: at most 5 are checked', async () => {
    const { users: [invited] } = await inviteUsers(server, smtp, [{ id: 'cg-enrol', email: 'cg-enrol@example.com' }]);
    const browser = supertest.agent(await server.url());
    await browser.get(invited!.link).expect(303);
    const page = await browser.get('/enrol/app');
    assert.equal(page.status, 200, page.text);
    const csrf = csrfOf(page.text);
    const wrong = String((Number(await codeFor(secretOf(page.text))) + 500_000) % 1_000_000).padStart(6, '0');
    const answers = await Promise.all(Array.from({ length: 20 }, () =>
      browser.post('/enrol/app').type('form').send({ _csrf: csrf, password: 'correct orange stapler', confirm: 'correct orange stapler', code: wrong })));
    const statuses = answers.map((a) => a.status);
    assert.ok(count(statuses, 400) <= 5, `${count(statuses, 400)} codes were checked`);
    assert.equal(count(statuses, 429), 20 - count(statuses, 400));
  });

  test('wrong passkey assertions are counted and checked under one key per credential', async () => {
    const browser = supertest.agent(await server.url());
    const csrf = csrfOf((await browser.get('/signin').expect(200)).text);
    const attempt = async (id: string, from: string) => {
      const { challenge } = (await browser.post('/signin/passkey/options').set('x-csrf-token', csrf).expect(200)).body as { challenge: string };
      const clientDataJSON = Buffer.from(JSON.stringify({ type: 'webauthn.get', challenge, origin: 'http://localhost' })).toString('base64url');
      return (await browser.post('/signin/passkey/verify').set('x-csrf-token', csrf).set('x-forwarded-for', from)
        .send({ id, rawId: id, type: 'public-key', response: { clientDataJSON, authenticatorData: '', signature: '' }, clientExtensionResults: {} })).status;
    };
    // From a new address each time, so that only the credential's own count can bite.
    for (let i = 0; i < 5; i++) assert.equal(await attempt('stolen-credential-id', `192.0.2.${10 + i}`), 400);
    assert.equal(await attempt('stolen-credential-id', '192.0.2.99'), 429);
    assert.equal(await attempt('another-credential-id', '192.0.2.100'), 400, 'another credential is not locked');
  });
});
