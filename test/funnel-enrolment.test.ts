import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import supertest from 'supertest';
import { startWorkers, type Workers } from '../src/worker.ts';
import { SmtpSink } from './support/smtp-sink.ts';
import { codeFor, signedInStaff } from './support/staff-helpers.ts';
import { inviteUsers, type InvitedUser } from './support/invite.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';
import { csrfOf, secretOf } from './support/enrol-pages.ts';

const PASSWORD = 'correct orange stapler';

/**
 * The funnel through the real flow: six users invited by a wave (real worker and SMTP server); four open their
 * link (one of them twice), three choose the authenticator app, two enrol, one signs in through the verify API.
 * The API, the CSV and the console page report exactly those numbers.
 */
describe('the funnel of a campaign run through the real enrolment flow', () => {
  const smtp = new SmtpSink();
  let server: TestServer;
  let workers: Workers;
  let url: string;
  let invited: { campaignId: string; waveId: string; users: InvitedUser[] };
  before(async () => {
    server = await startTestServer({ env: { SMTP_URL: await smtp.start(), BASE_URL: 'http://id.acme.test' } });
    workers = await startWorkers(server.container);
    url = await server.url();
    invited = await inviteUsers(server, smtp, Array.from({ length: 6 }, (_, i) => ({ id: `f-${i}`, email: `f${i}@example.com`, given_name: `F${i}`, locale: 'en' })));
  });
  after(async () => {
    await workers.stop();
    await server.close();
    await smtp.stop();
  });

  test('click, start, enrol and verify are counted once per user', async () => {
    const browsers = invited.users.slice(0, 4).map(() => supertest.agent(url));
    for (const [i, browser] of browsers.entries()) assert.equal((await browser.get(invited.users[i]!.link)).status, 303);
    assert.equal((await supertest.agent(url).get(invited.users[0]!.link)).status, 303, 'a second open of the same link');
    const secrets: string[] = [];
    for (const browser of browsers.slice(0, 3)) {
      const choose = await browser.get('/enrol');
      await browser.post('/enrol/method').type('form').send({ _csrf: csrfOf(choose.text), method: 'totp' }).expect(303);
      secrets.push(secretOf((await browser.get('/enrol/app').expect(200)).text));
    }
    for (const [i, browser] of browsers.slice(0, 2).entries()) {
      const page = await browser.get('/enrol/app').expect(200);
      const finished = await browser.post('/enrol/app').type('form').send({ _csrf: csrfOf(page.text), password: PASSWORD, confirm: PASSWORD, code: await codeFor(secrets[i]!) });
      assert.equal(finished.status, 303, finished.text);
    }
    const verifier = `Bearer ${await server.tokenFor('verifier')}`;
    const signIn = await server.api.post('/api/v1/verify').set('authorization', verifier).send({ login: 'f0@example.com', password: PASSWORD, totp: await codeFor(secrets[0]!, 30) });
    assert.equal(signIn.status, 200, signIn.text);

    const support = `Bearer ${await server.tokenFor('support')}`;
    const funnel = (await server.api.get(`/api/v1/campaigns/${invited.campaignId}/funnel`).set('authorization', support).expect(200)).body;
    assert.deepEqual(funnel.stages.map((s: { stage: string; users: number }) => [s.stage, s.users]),
      [['targeted', 6], ['sent', 6], ['clicked', 4], ['started', 3], ['enrolled', 2], ['verified', 1]]);
    assert.deepEqual(funnel.methods, { totp: 2 });
    assert.deepEqual(funnel.by_mail, { invitation: 2 });
    assert.deepEqual(funnel.by_platform, { Other: 2 });
    assert.equal(funnel.time_to_enrol_hours.users, 2);
    assert.equal(funnel.time_to_enrol_hours.p50, 0.05, 'enrolled within six minutes of the mail');
    const wave = (await server.api.get(`/api/v1/waves/${invited.waveId}/funnel`).set('authorization', support).expect(200)).body;
    assert.deepEqual(wave.stages.map((s: { users: number }) => s.users), [6, 6, 4, 3, 2, 1]);

    const csv = await server.api.get(`/api/v1/campaigns/${invited.campaignId}/funnel?format=csv`).set('authorization', support).expect(200);
    for (const line of ['stage,clicked,,users,4', 'stage,enrolled,,users,2', 'stage,verified,,users,1']) assert.ok(csv.text.split('\r\n').includes(line), line);

    const staff = await signedInStaff(server, 'lead@example.com', 'comms');
    const page = await staff.agent.get(`/console/campaigns/${invited.campaignId}/funnel`).expect(200);
    for (const [stage, users] of [['clicked', 4], ['started', 3], ['enrolled', 2], ['verified', 1]] as const) {
      assert.match(page.text, new RegExp(`<tr data-stage="${stage}">\\s*<td data-label="">${stage}</td>\\s*<td data-label="Users" class="num" data-field="users">${users}</td>`));
    }
  });
});
