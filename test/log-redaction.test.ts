import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import supertest from 'supertest';
import { FakeLegacySystem } from './support/fake-legacy-system.ts';
import { jsonl, startTestServer, type TestServer } from './support/test-server.ts';

// Django 3.2: PBKDF2PasswordHasher().encode("pässwörd ✓", "Z5ZgErTJq8Y3iq6ZIhgHmq", 1000)
const PASSWORD = 'pässwörd ✓';
const HASH = 'pbkdf2_sha256$1000$Z5ZgErTJq8Y3iq6ZIhgHmq$GeqkUcyWnHk010q3INEvkOxTZdbCsviQVMrTUTO50IE=';

describe('logs never hold passwords, tokens or hashes', () => {
  const lines: string[] = [];
  const legacy = new FakeLegacySystem();
  let server: TestServer;
  before(async () => {
    const url = await legacy.start();
    legacy.accounts.set('jit@example.com', { password: 'legacy-password-123', profile: { id: 'jit-1' } });
    server = await startTestServer({
      env: { LOG_LEVEL: 'trace', LEGACY_VERIFY_URL: url, LEGACY_VERIFY_TOKEN: 'legacy-bearer-secret-xyz' },
      logTo: { write: (line) => { lines.push(line); } },
    });
  });
  after(async () => {
    await server.close();
    await legacy.stop();
  });

  test('a full import, verify and jit round at trace level leaves no secret in the log', async () => {
    const admin = `Bearer ${server.adminToken}`;
    await server.api.post('/api/v1/imports').set('authorization', admin).set('content-type', 'application/x-ndjson')
      .send(jsonl([{ id: 'log-1', email: 'log@example.com', password_hash: HASH }, { id: 'bad', email: 'bad', password_hash: '$2b$99$nope' }]));
    const created = await server.api.post('/api/v1/tokens').set('authorization', admin).send({ name: 'v', role: 'verifier' });
    const verifier = `Bearer ${created.body.token}`;
    for (const password of [PASSWORD, 'wrong-password-456']) {
      await server.api.post('/api/v1/verify').set('authorization', verifier).send({ login: 'log@example.com', password });
    }
    await server.api.post('/api/v1/verify').set('authorization', verifier).send({ login: 'jit@example.com', password: 'legacy-password-123' });
    legacy.mode = 'error';
    await server.api.post('/api/v1/verify').set('authorization', verifier).send({ login: 'other@example.com', password: 'legacy-password-789' });

    const log = lines.join('');
    assert.ok(lines.length > 5, 'the server logged at trace level');
    for (const secret of [PASSWORD, 'wrong-password-456', 'legacy-password-123', 'legacy-password-789', HASH, 'GeqkUcyWnHk010q3INEvkOxTZdbCsviQVMrTUTO50IE',
      server.adminToken, created.body.token, 'legacy-bearer-secret-xyz', '$argon2id$']) {
      assert.ok(!log.includes(secret), `the log holds ${secret.slice(0, 12)}…`);
    }
  });

  test('invitation links and the sign-in page leave no token or password in the log', async () => {
    const token = 'Tk9UQVRPS0VOX2J1dF9zaGFwZWRfbGlrZV9vbmVfX19';
    assert.equal(token.length, 43);
    const before = lines.length;
    await server.api.get(`/enrol/${token}`).expect(410);
    await server.api.get('/enrol/app').expect(410);
    const signin = supertest.agent(await server.url());
    const page = await signin.get('/signin');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
    await signin.post('/signin').type('form').send({ _csrf: csrf, email: 'log@example.com' }).expect(303);
    await signin.post('/signin/password').type('form').send({ _csrf: csrf, password: PASSWORD, code: '' });
    const log = lines.slice(before).join('');
    assert.match(log, /"path":"\/enrol\/\[redacted\]"/);
    assert.match(log, /"path":"\/enrol\/app"/, 'the flow\'s own pages are logged as they are');
    for (const secret of [token, PASSWORD, csrf]) assert.ok(!log.includes(secret), `the log holds ${secret.slice(0, 12)}…`);
  });
});
