import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import supertest from 'supertest';
import { csrfOf } from '../support/enrol-pages.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

/**
 * Whoever reads the short-lived store (a Redis dump, a replica, a backup of the embedded database) must not learn
 * who asked for a new invitation link, nor be able to confirm a guess of an address by hashing it: the
 * "email me a new link" limit counts per email under a keyed digest, never the address itself.
 */
describe('attack: reading the limiter keys tells who asked for a link', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  test('the per-email count of "email me a new link" is kept under a keyed digest', async () => {
    const browser = supertest.agent(await server.url());
    const invalid = await browser.get('/enrol/expired-link');
    const email = 'Private.Person@Example.com';
    const sent = await browser.post('/enrol/new-link').type('form').send({ _csrf: csrfOf(invalid.text), email });
    assert.equal(sent.status, 200, sent.text);

    const keys = await server.container.store.keys(`${server.container.config.QUEUE_PREFIX}:new-link:`);
    assert.equal(keys.length, 2, `one count per address and one per email: ${keys.join(', ')}`);
    const guesses = [email, email.toLowerCase()].flatMap((value) => [value, ...['hex', 'base64url'].map((encoding) =>
      createHash('sha256').update(value).digest(encoding as 'hex'))]);
    for (const key of keys) {
      for (const guess of guesses) assert.ok(!key.toLowerCase().includes(guess.toLowerCase().slice(0, 22)), `the key ${key} gives the address away`);
    }
  });
});
