import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import supertest from 'supertest';
import { StaffSessionStore } from '../src/http/staff-session-store.ts';
import { SecretBox } from '../src/identity/secret-box.ts';
import { hashTokenSecret } from '../src/tokens/token-secret.ts';
import { addStaff, codeFor, finishSetup, hiddenField, setupPath, signedInStaff, signIn, STAFF_PASSWORD } from './support/staff-helpers.ts';
import { runCli } from './support/run-cli.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';

describe('staff accounts, setup and console sign-in', () => {
  let server: TestServer;
  const logLines: string[] = [];
  before(async () => {
    server = await startTestServer({ env: { LOG_LEVEL: 'info' }, logTo: { write: (line) => { logLines.push(line); } } });
  });
  after(() => server.close());
  const admin = () => `Bearer ${server.adminToken}`;
  const agent = async () => supertest.agent(await server.url());

  test('an admin adds staff: 201 with a single-use setup link whose token is stored only as a hash', async () => {
    const created = await addStaff(server, 'Ann@Example.com', 'admin');
    assert.deepEqual(
      Object.keys(created).sort(),
      ['created_at', 'created_by', 'disabled_at', 'email', 'id', 'last_login_at', 'mailed', 'role', 'setup_expires_at', 'setup_url', 'state'],
    );
    assert.equal(created.role, 'admin');
    const token = /\/console\/setup\/([A-Za-z0-9_-]{43})$/.exec(created.setup_url)![1]!;
    const [row] = await server.query('SELECT setup_token_hash, setup_expires_at, password_hash FROM staff WHERE id = $1', [created.id]);
    assert.equal(row.setup_token_hash, hashTokenSecret(token));
    assert.equal(row.password_hash, null);
    const hours = (new Date(row.setup_expires_at).getTime() - Date.now()) / 3_600_000;
    assert.ok(hours > 71.9 && hours <= 72, `expires in 72 h, got ${hours}`);
    const [audit] = await server.query("SELECT actor, role, target FROM audit_log WHERE action = 'staff.create' ORDER BY id DESC LIMIT 1");
    assert.deepEqual(audit, { actor: 'CUTOVER_ADMIN_TOKEN', role: 'admin', target: `staff:${created.id}` });

    const again = await server.api.post('/api/v1/staff').set('authorization', admin()).send({ email: 'ann@EXAMPLE.com', role: 'comms' });
    assert.equal(again.status, 409);
    assert.equal(again.body.error, 'staff_exists');
    const bad = await server.api.post('/api/v1/staff').set('authorization', admin()).send({ email: 'not-an-email', role: 'verifier' });
    assert.deepEqual(bad.body.fields.map((f: { field: string }) => f.field).sort(), ['email', 'role']);
    const comms = await server.tokenFor('comms');
    assert.equal((await server.api.post('/api/v1/staff').set('authorization', `Bearer ${comms}`).send({ email: 'x@example.com', role: 'admin' })).status, 403);
    const listed = await server.api.get('/api/v1/staff').set('authorization', admin());
    assert.equal(listed.body.staff.find((s: { id: string }) => s.id === created.id).state, 'invited');
    assert.ok(!JSON.stringify(listed.body).includes('hash'));
  });

  test('setup refuses a weak password and a wrong code, then sets both; the link works once; the secret is sealed', async () => {
    const created = await addStaff(server, 'bo@example.com', 'comms');
    const browser = await agent();
    const page = await browser.get(setupPath(created.setup_url));
    assert.equal(page.status, 200);
    assert.match(page.headers['content-security-policy']!, /default-src 'self';script-src 'self';style-src 'self'/);
    assert.match(page.text, /<svg[^>]*viewBox/);
    assert.ok(!/<script(?![^>]*\bsrc=)/.test(page.text) && !/\sstyle=/.test(page.text), 'no inline script or style');
    const secret = /<code class="secret">([A-Z2-7 ]+)<\/code>/.exec(page.text)![1]!.replace(/ /g, '');
    const csrf = hiddenField(page.text, '_csrf');
    const post = (fields: Record<string, string>) => browser.post(setupPath(created.setup_url)).type('form').send({ _csrf: csrf, ...fields });

    const weak = await post({ password: 'password1234', confirm: 'password1234', code: await codeFor(secret) });
    assert.equal(weak.status, 400);
    assert.match(weak.text, /too common/);
    const short = await post({ password: 'short', confirm: 'short', code: '000000' });
    assert.match(short.text, /at least 12 characters/);
    const wrongCode = await post({ password: STAFF_PASSWORD, confirm: STAFF_PASSWORD, code: (Number(await codeFor(secret)) ^ 1).toString().padStart(6, '0') });
    assert.equal(wrongCode.status, 400);
    assert.match(wrongCode.text, /That code is not right/);
    const reloaded = await browser.get(setupPath(created.setup_url));
    assert.ok(reloaded.text.includes(secret.match(/.{4}/g)!.join(' ')), 'a reload shows the same secret');

    assert.equal((await post({ password: STAFF_PASSWORD, confirm: STAFF_PASSWORD, code: await codeFor(secret) })).status, 303);
    assert.equal((await browser.get(setupPath(created.setup_url))).status, 410);
    assert.equal((await post({ password: STAFF_PASSWORD, confirm: STAFF_PASSWORD, code: await codeFor(secret, 30) })).status, 410);

    const [row] = await server.query('SELECT totp_secret, password_hash, setup_token_hash FROM staff WHERE id = $1', [created.id]);
    assert.match(row.password_hash, /^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    assert.equal(row.setup_token_hash, null);
    assert.match(row.totp_secret, /^v1\./);
    assert.ok(!row.totp_secret.includes(secret));
    assert.equal(new SecretBox(server.container.config.CUTOVER_SECRET).decrypt(row.totp_secret, `staff:${created.id}`), secret);
  });

  test('an admin session works on admin API routes; unsafe requests need its CSRF token; logout ends it', async () => {
    const { agent: browser, csrf } = await signedInStaff(server, 'cy@example.com', 'admin');
    const login = await browser.get('/console/imports');
    assert.equal(login.status, 200);
    assert.equal((await browser.get('/api/v1/tokens')).status, 200);
    assert.equal((await browser.get('/api/v1/imports')).status, 200);

    const noCsrf = await browser.post('/api/v1/tokens').send({ name: 'from console', role: 'support' });
    assert.equal(noCsrf.status, 403);
    assert.equal(noCsrf.body.error, 'csrf_failed');
    assert.equal((await browser.post('/api/v1/tokens').set('x-csrf-token', 'x'.repeat(43)).send({ name: 'n', role: 'support' })).status, 403);
    const made = await browser.post('/api/v1/tokens').set('x-csrf-token', csrf).send({ name: 'from console', role: 'support' });
    assert.equal(made.status, 201);
    const [audit] = await server.query("SELECT actor, role FROM audit_log WHERE action = 'api_token.create' ORDER BY id DESC LIMIT 1");
    assert.deepEqual(audit, { actor: 'cy@example.com', role: 'admin' });
    // A bearer header wins over the cookie: a bad token is 401 even with a live session.
    assert.equal((await browser.get('/api/v1/tokens').set('authorization', 'Bearer nope')).status, 401);

    const noToken = await browser.post('/console/logout').type('form').send({});
    assert.equal(noToken.status, 403);
    assert.match(noToken.text, /This form has expired, go back and try again/);
    const out = await browser.post('/console/logout').type('form').send({ _csrf: csrf });
    assert.equal(out.status, 303);
    assert.equal(out.headers.location, '/console/login?notice=signed_out');
    assert.equal((await browser.get('/api/v1/tokens')).status, 401);
    assert.equal((await browser.get('/console/staff')).headers.location, '/console/login?next=%2Fconsole%2Fstaff');
    const actions = (await server.query("SELECT action FROM audit_log WHERE actor = 'cy@example.com' ORDER BY id")).map((r) => r.action);
    assert.deepEqual(actions, ['staff.setup_complete', 'staff.login', 'api_token.create', 'staff.logout']);
  });

  test('the session cookie is HttpOnly and SameSite=Lax, and Secure when BASE_URL is https', async () => {
    const created = await addStaff(server, 'dee@example.com', 'support');
    const browser = await agent();
    const secret = await finishSetup(browser, created.setup_url);
    const login = await signIn(browser, 'dee@example.com', await codeFor(secret, 30));
    const cookie = (login.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('cutover_staff='))!;
    assert.match(cookie, /^cutover_staff=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax$/);
    const keys = await server.container.store.keys(`${server.container.config.QUEUE_PREFIX}:staff-session:`);
    assert.ok(keys.length > 0 && !keys.some((k) => k.includes(cookie.slice(14, 57))), `${server.container.store.kind} keys hold a hash of the id, not the id`);

    // Over https the cookies are Secure, so a client on plain http must carry them by hand here.
    const https = await startTestServer({ env: { BASE_URL: 'https://console.example.com' } });
    try {
      const made = await addStaff(https, 'eve@example.com', 'admin');
      const formCookie = (response: supertest.Response) => /cutover_form=([^;]+); Path=\/console; HttpOnly; Secure; SameSite=Lax/.exec(String(response.headers['set-cookie']))![1]!;
      const setup = await https.api.get(setupPath(made.setup_url));
      const eveSecret = /<code class="secret">([A-Z2-7 ]+)<\/code>/.exec(setup.text)![1]!.replace(/ /g, '');
      const done = await https.api.post(setupPath(made.setup_url)).set('cookie', `cutover_form=${formCookie(setup)}`).type('form')
        .send({ _csrf: hiddenField(setup.text, '_csrf'), password: STAFF_PASSWORD, confirm: STAFF_PASSWORD, code: await codeFor(eveSecret) });
      assert.equal(done.status, 303);
      const page = await https.api.get('/console/login');
      assert.match(page.headers['strict-transport-security'] ?? '', /max-age=31536000/);
      const eve = await https.api.post('/console/login').set('cookie', `cutover_form=${formCookie(page)}`).type('form')
        .send({ _csrf: hiddenField(page.text, '_csrf'), email: 'eve@example.com', password: STAFF_PASSWORD, code: await codeFor(eveSecret, 30) });
      assert.equal(eve.status, 303);
      assert.match(String(eve.headers['set-cookie']), /cutover_staff=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; Secure; SameSite=Lax/);
    } finally {
      await https.close();
    }
  });

  test('a comms session gets 403 on admin routes and pages, and sees no Imports or Staff in the nav', async () => {
    const { agent: browser, csrf } = await signedInStaff(server, 'fay@example.com', 'comms');
    assert.equal((await browser.get('/api/v1/imports')).status, 403);
    const upload = await browser.post('/api/v1/imports').set('x-csrf-token', csrf).set('content-type', 'application/x-ndjson').send('{"id":"1","email":"a@b.c"}\n');
    assert.equal(upload.status, 403);
    const page = await browser.get('/console/staff');
    assert.equal(page.status, 403);
    assert.match(page.text, /Your role \(comms\) cannot open this page/);
    assert.ok(!page.text.includes('href="/console/staff"') && !page.text.includes('href="/console/imports"'));
  });

  test('unknown email, wrong password, wrong code and a replayed code all get the same answer', async () => {
    const created = await addStaff(server, 'gil@example.com', 'comms');
    const browser = await agent();
    const secret = await finishSetup(browser, created.setup_url);
    const code = await codeFor(secret, 30);
    assert.equal((await signIn(browser, 'gil@example.com', code)).status, 303);

    const stranger = await agent();
    const answers = [
      await signIn(stranger, 'nobody@example.com', code),
      await signIn(stranger, 'gil@example.com', code, 'wrong-password-123'),
      await signIn(stranger, 'gil@example.com', '000000'),
      await signIn(stranger, 'gil@example.com', code), // the code just used: a replay
    ];
    for (const answer of answers) {
      assert.equal(answer.status, 401);
      assert.equal(/<p class="alert" role="alert">([^<]*)<\/p>/.exec(answer.text)?.[1], 'Email, password or code is not right');
      assert.ok(!answer.headers['set-cookie']?.toString().includes('cutover_staff='));
    }
    const [row] = await server.query('SELECT failed_logins FROM staff WHERE id = $1', [created.id]);
    assert.equal(row.failed_logins, 3);
  });

  test('ten failures lock the account for 15 minutes, for known and unknown emails alike', async () => {
    const created = await addStaff(server, 'hal@example.com', 'comms');
    const browser = await agent();
    const secret = await finishSetup(browser, created.setup_url);
    for (let i = 0; i < 10; i++) {
      assert.equal((await signIn(browser, 'hal@example.com', '000000', `wrong-password-${i}`)).status, 401);
      assert.equal((await signIn(browser, 'nobody-else@example.com', '000000', `wrong-password-${i}`)).status, 401);
    }
    const locked = await signIn(browser, 'hal@example.com', await codeFor(secret, 30));
    const unknown = await signIn(browser, 'nobody-else@example.com', '000000');
    for (const answer of [locked, unknown]) {
      assert.equal(answer.status, 429);
      assert.match(answer.text, /Too many attempts. Try again in 15 minutes./);
      assert.ok(Number(answer.headers['retry-after']) > 800);
    }
    const [row] = await server.query("SELECT locked_until > now() + interval '14 minutes' AS locked FROM staff WHERE id = $1", [created.id]);
    assert.equal(row.locked, true);
    const [audit] = await server.query("SELECT actor FROM audit_log WHERE action = 'staff.locked' AND target = $1", [`staff:${created.id}`]);
    assert.equal(audit.actor, 'hal@example.com');
  });

  test('forms refuse a missing CSRF token or an oversized body with an HTML page', async () => {
    const browser = await agent();
    const noToken = await browser.post('/console/login').type('form').send({ email: 'a@b.c', password: 'x', code: '123456' });
    assert.equal(noToken.status, 403);
    assert.match(noToken.headers['content-type']!, /text\/html/);
    assert.match(noToken.text, /This form has expired, go back and try again/);
    const big = await browser.post('/console/login').type('form').send({ email: 'a@b.c', password: 'x'.repeat(20_000) });
    assert.equal(big.status, 413);
    assert.match(big.text, /That was too large/);
    assert.equal((await browser.get('/console/nothing-here')).status, 404);
  });

  test('disabling someone ends their session at once; nobody can disable themselves', async () => {
    const boss = await signedInStaff(server, 'ida@example.com', 'admin');
    const worker = await signedInStaff(server, 'jo@example.com', 'comms');
    assert.equal((await worker.agent.get('/api/v1/staff')).status, 403);
    const page = await boss.agent.get('/console/staff');
    assert.match(page.text, new RegExp(`/console/staff/${worker.id}/disable`));
    const disabled = await boss.agent.post(`/console/staff/${worker.id}/disable`).type('form').send({ _csrf: boss.csrf });
    assert.equal(disabled.status, 303);
    assert.match((await boss.agent.get('/console/staff')).text, /jo@example.com is disabled and can no longer sign in/);
    assert.equal((await worker.agent.get('/api/v1/staff')).status, 401);
    assert.equal((await worker.agent.get('/console/imports')).headers.location, '/console/login?next=%2Fconsole%2Fimports');
    const self = await boss.agent.post(`/api/v1/staff/${boss.id}/disable`).set('x-csrf-token', boss.csrf);
    assert.equal(self.status, 409);
    assert.equal(self.body.error, 'cannot_disable_self');
  });

  test('the console adds staff and shows the setup link once outside production', async () => {
    const { agent: browser, csrf } = await signedInStaff(server, 'kim@example.com', 'admin');
    const bad = await browser.post('/console/staff').type('form').send({ _csrf: csrf, email: 'nope', role: 'comms' });
    assert.equal(bad.status, 400);
    assert.match(bad.text, /must be an email address/);
    const added = await browser.post('/console/staff').type('form').send({ _csrf: csrf, email: 'lee@example.com', role: 'support' });
    assert.equal(added.status, 303);
    const page = await browser.get('/console/staff');
    assert.match(page.text, /Added lee@example.com as support/);
    assert.match(page.text, /value="http:\/\/localhost:\d+\/console\/setup\/[A-Za-z0-9_-]{43}"/);
    assert.ok(!(await browser.get('/console/staff')).text.includes('/console/setup/'), 'the link shows once');
  });

  test('sessions end after 30 idle minutes or 12 hours, whichever comes first', async () => {
    const live = server.container.staff.sessions;
    assert.deepEqual([live.idleSeconds, live.absoluteSeconds], [1800, 43_200]);
    const { store: shortLived, config } = server.container;
    const store = new StaffSessionStore(shortLived, { prefix: config.QUEUE_PREFIX, idleSeconds: 1, absoluteSeconds: 60 });
    const idle = await store.create('00000000-0000-4000-8000-000000000001');
    assert.ok(await store.load(idle.id));
    await new Promise((resolve) => setTimeout(resolve, 1200));
    assert.equal(await store.load(idle.id), null);

    const old = await store.create('00000000-0000-4000-8000-000000000002');
    let aged = 0;
    for (const key of await shortLived.keys(`${config.QUEUE_PREFIX}:staff-session:`)) {
      const value = await shortLived.get(key);
      if (!value?.includes('000000000002')) continue;
      assert.ok(await shortLived.replace(key, JSON.stringify({ ...JSON.parse(value), createdAt: Date.now() - 61_000 })));
      aged += 1;
    }
    assert.equal(aged, 1);
    assert.equal(await store.load(old.id), null);
  });

  test('cutover staff add creates an account through the API and prints the setup link', async () => {
    const env = { CUTOVER_URL: await server.url(), CUTOVER_ADMIN_TOKEN: server.adminToken };
    const plain = await runCli(['staff', 'add', '--email', 'cli@example.com', '--role', 'comms'], env);
    assert.equal(plain.code, 0, plain.stderr);
    assert.match(plain.stdout.trim(), /^http:\/\/localhost:\d+\/console\/setup\/[A-Za-z0-9_-]{43}$/);
    assert.match(plain.stderr, /Added cli@example.com as comms/);
    const json = await runCli(['staff', 'add', '--email', 'cli2@example.com', '--role', 'support', '--json'], env);
    assert.equal(JSON.parse(json.stdout).role, 'support');
    const bad = await runCli(['staff', 'add', '--email', 'cli3@example.com', '--role', 'verifier'], env);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /role: must be one of admin, comms, support/);
  });

  test('the log never holds a setup token, password or code', () => {
    const log = logLines.join('');
    assert.ok(log.includes('/console/setup/[redacted]'));
    assert.ok(!/\/console\/setup\/[A-Za-z0-9_-]{43}/.test(log));
    assert.ok(!log.includes(STAFF_PASSWORD));
  });
});
