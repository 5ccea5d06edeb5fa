import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { startWorkers, type Workers } from '../../src/worker.ts';
import { SmtpSink } from '../support/smtp-sink.ts';
import { inviteUsers, type InvitedUser } from '../support/invite.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

/**
 * The attack from issue 9: an anonymous client asks for made-up invitation links until the limiter bites. It
 * must bite for that client's address (an IPv6 client by its /64) and never stop anyone's live link. The app
 * trusts X-Forwarded-For from loopback, so the header stands in for clients at other addresses.
 */
describe('attack: made-up invitation links lock out every link', () => {
  const smtp = new SmtpSink();
  let server: TestServer;
  let workers: Workers;
  let users: InvitedUser[];
  before(async () => {
    server = await startTestServer({ env: { SMTP_URL: await smtp.start() } });
    workers = await startWorkers(server.container);
    ({ users } = await inviteUsers(server, smtp, [0, 1, 2].map((i) => ({ id: `ll-${i}`, email: `ll${i}@example.com` }))));
  });
  after(async () => {
    await workers.stop();
    await server.close();
    await smtp.stop();
  });

  const open = (path: string, from: string) => server.api.get(path).set('x-forwarded-for', from);
  const madeUp = () => `/enrol/${randomBytes(32).toString('base64url')}`;

  test('61 made-up links from one address: that address waits, a live link and other addresses do not', async () => {
    const statuses = [];
    for (let i = 0; i < 61; i++) statuses.push((await open(madeUp(), '203.0.113.66')).status);
    assert.deepEqual(statuses.slice(0, 60), Array(60).fill(410), 'the first 60 made-up links are answered as dead links');
    assert.equal(statuses[60], 429, 'the attacker then waits');

    const live = await open(users[0]!.link, '198.51.100.4');
    assert.equal(live.status, 303, 'a live link from another client still opens');
    assert.equal(live.headers.location, '/enrol');
    assert.equal((await open(madeUp(), '198.51.100.4')).status, 410, "another client's mistyped link is not refused");
    assert.equal((await open(users[1]!.link, '203.0.113.66')).status, 303, "even the limited address's live link opens: it is one indexed read");
  });

  test('an IPv6 client is counted by its /64, so rotating the low bits does not escape the limit', async () => {
    const statuses = [];
    for (let i = 0; i < 61; i++) statuses.push((await open(madeUp(), `2001:db8:7:9:${i.toString(16)}::1`)).status);
    assert.equal(statuses.filter((s) => s === 410).length, 60);
    assert.equal(statuses[60], 429);
    assert.equal((await open(madeUp(), '2001:db8:7:a::1')).status, 410, 'the next /64 is another client');
    assert.equal((await open(users[2]!.link, '2001:db8:7:9::5')).status, 303);
  });
});
