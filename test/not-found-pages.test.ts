import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from './support/test-server.ts';

// A person who half-copies an invitation link, or types a path, is answered with a page in their language; programs
// keep the JSON they are built against.
describe('404s: a page for people, JSON for programs', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  test('a browser asking for an unknown page gets a 404 page in its language, under the strict CSP', async () => {
    const page = await server.api.get('/signin/nowhere').set('accept', 'text/html,application/xhtml+xml,*/*;q=0.8').set('accept-language', 'fr-CA,fr;q=0.9');
    assert.equal(page.status, 404);
    assert.match(page.headers['content-type']!, /^text\/html/);
    assert.match(page.text, /<html lang="fr"/);
    assert.match(page.text, /Cette page n’existe pas. Vérifiez le lien dans votre e-mail./);
    assert.match(page.headers['content-security-policy']!, /script-src 'self'/);
    assert.match(page.text, /href="\/signin"/);
    assert.doesNotMatch(page.text, /No route for/);
    const english = await server.api.get('/').set('accept', 'text/html');
    assert.equal(english.status, 404);
    assert.match(english.text, /There is no page here\. Check the link in your email\./);
  });

  test('programs, the API and the hooks keep the JSON 404', async () => {
    const api = await server.api.get('/api/v1/nowhere').set('accept', 'text/html');
    assert.equal(api.status, 404);
    assert.deepEqual(api.body, { error: 'not_found', message: 'No route for GET /api/v1/nowhere' });
    const hook = await server.api.get('/hooks/nowhere').set('accept', 'text/html');
    assert.equal(hook.body.error, 'not_found');
    const program = await server.api.get('/nowhere').set('accept', 'application/json');
    assert.equal(program.status, 404);
    assert.equal(program.body.error, 'not_found');
    const post = await server.api.post('/nowhere').set('accept', 'text/html').send({});
    assert.equal(post.body.error, 'not_found');
  });
});
