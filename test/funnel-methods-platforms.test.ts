import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import supertest from 'supertest';
import { startWorkers, type Workers } from '../src/worker.ts';
import { inviteUsers, type InvitedUser } from './support/invite.ts';
import { SmtpSink } from './support/smtp-sink.ts';
import { SoftAuthenticator } from './support/soft-authenticator.ts';
import { codeFor } from './support/staff-helpers.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';
import { csrfOf, secretOf } from './support/enrol-pages.ts';

const BASE_URL = 'http://id.funnel.test';
const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1';
const WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const PASSWORD = 'amber walrus lantern';

/**
 * Beside funnel-enrolment.test.ts: twelve users click, start, enrol (through the real pages, with a software passkey
 * or an authenticator app, from an iPhone or Windows) and verify (through /api/v1/verify and /signin), and the funnel
 * API's stages, methods, platforms and mails are exactly those numbers.
 */
describe('the funnel splits by method, platform and mail what users really did', () => {
  const smtp = new SmtpSink();
  let server: TestServer;
  let workers: Workers;
  let url: string;
  let campaignId: string;
  let waveId: string;
  let users: InvitedUser[];
  before(async () => {
    server = await startTestServer({ env: { SMTP_URL: await smtp.start(), BASE_URL } });
    workers = await startWorkers(server.container);
    url = await server.url();
    ({ campaignId, waveId, users } = await inviteUsers(server, smtp, Array.from({ length: 12 }, (_, i) => ({ id: `f-${i}`, email: `f${i}@example.com`, given_name: `F${i}` }))));

    // 0–8 click (9); 0–6 start (7: 0–3 the app, 4–6 a passkey); 0–2 finish the app and 4–5 a passkey (5 enrolled);
    // 0–1 verify through the API and 4 with a passkey on /signin (3 verified). 7 clicks twice: still one user.
    const verifier = `Bearer ${await server.tokenFor('verifier')}`;
    for (let i = 0; i < 9; i++) {
      const browser = supertest.agent(url);
      const ua = i % 2 === 0 ? IPHONE : WINDOWS;
      await browser.get(users[i]!.link).set('user-agent', ua).expect(303);
      if (i === 7) await supertest(url).get(users[i]!.link).expect(303);
      if (i > 6) continue;
      const csrf = csrfOf((await browser.get('/enrol').set('user-agent', ua).expect(200)).text);
      if (i <= 3) {
        await browser.post('/enrol/method').set('user-agent', ua).type('form').send({ _csrf: csrf, method: 'totp' }).expect(303);
        const page = await browser.get('/enrol/app').set('user-agent', ua).expect(200);
        if (i === 3) continue;
        const secret = secretOf(page.text);
        await browser.post('/enrol/app').set('user-agent', ua).type('form')
          .send({ _csrf: csrf, password: PASSWORD, confirm: PASSWORD, code: await codeFor(secret) }).expect(303);
        if (i <= 1) {
          const ok = await server.api.post('/api/v1/verify').set('authorization', verifier).send({ login: `f${i}@example.com`, password: PASSWORD, totp: await codeFor(secret, 30) });
          assert.equal(ok.status, 200, ok.text);
        }
      } else {
        const authenticator = new SoftAuthenticator('id.funnel.test', BASE_URL);
        const options = (await browser.post('/enrol/passkey/options').set('user-agent', ua).set('x-csrf-token', csrf).send({}).expect(200)).body;
        if (i === 6) continue;
        await browser.post('/enrol/passkey/verify').set('user-agent', ua).set('x-csrf-token', csrf).send(authenticator.register(options)).expect(200);
        if (i === 4) {
          const signIn = supertest.agent(url);
          const signCsrf = csrfOf((await signIn.get('/signin')).text);
          const request = (await signIn.post('/signin/passkey/options').set('x-csrf-token', signCsrf).send({}).expect(200)).body;
          await signIn.post('/signin/passkey/verify').set('x-csrf-token', signCsrf).send(authenticator.assert(request)).expect(200);
        }
      }
    }
  });
  after(async () => {
    await workers.stop();
    await server.close();
    await smtp.stop();
  });

  const expectedStages = [['targeted', 12], ['sent', 12], ['clicked', 9], ['started', 7], ['enrolled', 5], ['verified', 3]] as const;

  for (const scope of ['campaign', 'wave'] as const) {
    test(`GET /api/v1/${scope}s/:id/funnel reports exactly those numbers`, async () => {
      const id = scope === 'campaign' ? campaignId : waveId;
      const response = await server.api.get(`/api/v1/${scope}s/${id}/funnel`).set('authorization', `Bearer ${await server.tokenFor('comms')}`);
      assert.equal(response.status, 200, response.text);
      const funnel = response.body;
      assert.deepEqual(funnel.stages.map((s: { stage: string; users: number }) => [s.stage, s.users]), expectedStages);
      for (let i = 1; i < expectedStages.length; i++) {
        const [, users] = expectedStages[i]!;
        const [, before] = expectedStages[i - 1]!;
        assert.ok(Math.abs(funnel.stages[i].conversion - users / before) < 0.001, `${expectedStages[i]![0]} conversion`);
        assert.equal(funnel.stages[i].drop_off, before - users);
      }
      assert.deepEqual(funnel.methods, { passkey: 2, totp: 3 });
      assert.deepEqual(funnel.by_mail, { invitation: 5 });
      // Users 0, 2 and 4 enrolled on an iPhone; 1 and 5 on Windows.
      assert.deepEqual(funnel.by_platform, { iOS: 3, Windows: 2 });
      assert.equal(funnel.outcomes.bounced, 0);
      assert.equal(typeof funnel.time_to_enrol_hours.p50, 'number');
    });
  }
});
