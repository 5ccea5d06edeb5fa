import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { jsonl, startTestServer, type TestServer } from './support/test-server.ts';

// A low-cost hash from Django 3.2 (PBKDF2PasswordHasher().encode("password", "salt1234", 1000)).
const DJANGO_PBKDF2 = 'pbkdf2_sha256$1000$salt1234$GBMH7yNF3CH2y6aUf/jCqV1Np6jWrzmBYWn7gEQluPU=';

describe('POST /api/v1/imports', () => {
  let server: TestServer;
  let auth: string;
  before(async () => {
    server = await startTestServer();
    auth = `Bearer ${server.adminToken}`;
  });
  after(() => server.close());

  const post = (body: string, type = 'application/x-ndjson', query = '') =>
    server.api.post(`/api/v1/imports${query}`).set('authorization', auth).set('content-type', type).send(body);

  test('imports JSON Lines, classifies paths and answers the summary', async () => {
    const response = await post(jsonl([
      { id: 'a-1', email: 'Ann@Example.com', name: 'Ann', given_name: 'Ann', locale: 'en_GB', timezone: 'Europe/London',
        last_login_at: '2026-01-02T03:04:05Z', attributes: { plan: 'pro' }, password_hash: DJANGO_PBKDF2 },
      { id: 'a-2', email: 'bob@example.com', nickname: 'bobby' },
      { id: 'a-3', email: 'cy@example.com', path: 'jit' },
    ]));
    assert.equal(response.status, 201);
    const summary = response.body;
    assert.equal(summary.status, 'completed');
    assert.equal(summary.dry_run, false);
    assert.deepEqual([summary.rows, summary.imported, summary.updated, summary.unchanged, summary.rejected], [3, 3, 0, 0, 0]);
    assert.deepEqual(summary.paths, { bulk_hash: 1, reset: 1, jit: 1 });
    assert.deepEqual(summary.hash_formats, { 'django-pbkdf2': 1 });
    assert.deepEqual(summary.ignored_fields, { nickname: 1 });
    assert.deepEqual(summary.errors, []);
    assert.equal(response.headers.location, `/api/v1/imports/${summary.id}`);

    const [ann] = await server.query("SELECT * FROM users WHERE legacy_id = 'a-1'");
    assert.equal(ann.email, 'Ann@Example.com');
    assert.equal(ann.locale, 'en-GB');
    assert.equal(ann.path, 'bulk_hash');
    assert.equal(ann.state, 'pending');
    assert.equal(ann.legacy_hash_scheme, 'django-pbkdf2-sha256');
    assert.equal(ann.legacy_hash, DJANGO_PBKDF2);
    assert.deepEqual(ann.attributes, { plan: 'pro' });
    assert.equal(ann.last_login_at.toISOString(), '2026-01-02T03:04:05.000Z');

    const progress = await server.api.get(`/api/v1/imports/${summary.id}`).set('authorization', auth);
    assert.equal(progress.status, 200);
    assert.equal(progress.body.imported, 3);
    assert.equal(progress.body.status, 'completed');
  });

  test('rejects each bad row with its line, field and reason, and imports the rest', async () => {
    const response = await post(jsonl([
      { id: 'b-1', email: 'b1@example.com' },
      '{"id": "b-2", "email": ',
      { email: 'noid@example.com' },
      { id: 'b-4' },
      { id: 'b-5', email: 'not an email' },
      { id: 'b-1', email: 'again@example.com' },
      { id: 'b-7', email: 'ANN@example.com' },
      { id: 'b-8', email: 'b8@example.com', password_hash: '$9$nothing-knows-this' },
      { id: 'b-9', email: 'b9@example.com', password_hash: 'pbkdf2_sha256$abc$salt$hash' },
      { id: 'b-10', email: 'b10@example.com', password_hash: 'pbkdf2_sha256$9000000$salt$1iaVgRNoxwVhWs5ZZ5d/Mex1UWYmfEVaoJ7FaZhS3yc=' },
      { id: 'b-11', email: 'b1@EXAMPLE.com' },
      { id: 'b-12', email: 'b12@example.com', timezone: 'Mars/Olympus', last_login_at: 'yesterday' },
      { id: 'b-13', email: 'b13@example.com' },
    ]));
    assert.equal(response.status, 201);
    const { errors, rows, imported, rejected } = response.body;
    assert.equal(rows, 13);
    assert.equal(imported, 2);
    assert.equal(rejected, 11);
    const at = (line: number) => errors.filter((e: { line: number }) => e.line === line);
    assert.match(at(2)[0].reason, /malformed JSON/);
    assert.deepEqual(at(3).map((e: { field: string }) => e.field), ['id']);
    assert.deepEqual(at(4).map((e: { field: string }) => e.field), ['email']);
    assert.match(at(5)[0].reason, /not a valid email/);
    assert.equal(at(6)[0].field, 'id');
    assert.match(at(6)[0].reason, /duplicate id: line 1/);
    assert.equal(at(7)[0].field, 'email');
    assert.match(at(7)[0].reason, /already held by another user \(legacy id a-1\)/);
    assert.equal(at(8)[0].reason, 'unsupported hash format');
    assert.equal(at(9)[0].field, 'password_hash');
    assert.match(at(9)[0].reason, /malformed/);
    assert.match(at(10)[0].reason, /5,?000,?000|too (many|high)|dangerous|above/i);
    assert.match(at(11)[0].reason, /duplicate email: line 1/);
    assert.deepEqual(at(12).map((e: { field: string }) => e.field).sort(), ['last_login_at', 'timezone']);
    const stored = await server.query("SELECT legacy_id FROM users WHERE legacy_id LIKE 'b-%' ORDER BY legacy_id");
    assert.deepEqual(stored.map((r) => r.legacy_id), ['b-1', 'b-13']);

    const all = await server.api.get(`/api/v1/imports/${response.body.id}/errors?after_line=6`).set('authorization', auth);
    assert.equal(all.status, 200);
    assert.equal(all.body.errors[0].line, 7);
  });

  test('finds a duplicate id across batches of a large file', async () => {
    const rows = Array.from({ length: 4500 }, (_, i) => ({ id: `big-${i}`, email: `big-${i}@example.com` }));
    rows.push({ id: 'big-3', email: 'big-dup@example.com' });
    const response = await post(jsonl(rows));
    assert.equal(response.body.imported, 4500);
    assert.deepEqual(response.body.errors, [{ line: 4501, id: 'big-3', field: 'id', reason: 'duplicate id: an earlier line of this file has it' }]);
  });

  test('importing the same file again changes nothing; a changed profile updates', async () => {
    const file = jsonl([{ id: 'c-1', email: 'c1@example.com', name: 'Cee' }, { id: 'c-2', email: 'c2@example.com', password_hash: DJANGO_PBKDF2 }]);
    assert.equal((await post(file)).body.imported, 2);
    const again = await post(file);
    assert.deepEqual([again.body.imported, again.body.updated, again.body.unchanged], [0, 0, 2]);
    const changed = await post(jsonl([{ id: 'c-1', email: 'c1@example.com', name: 'Cee Dee' }, { id: 'c-2', email: 'c2@example.com', password_hash: DJANGO_PBKDF2 }]));
    assert.deepEqual([changed.body.imported, changed.body.updated, changed.body.unchanged], [0, 1, 1]);
    const [c1] = await server.query("SELECT name FROM users WHERE legacy_id = 'c-1'");
    assert.equal(c1.name, 'Cee Dee');
  });

  test('re-import never replaces a credential the user already upgraded', async () => {
    await post(jsonl([{ id: 'd-1', email: 'd1@example.com', password_hash: DJANGO_PBKDF2 }]));
    // As the first sign-in leaves it: the legacy hash replaced by cutover's own credential, the user migrated.
    await server.query("INSERT INTO password_credentials (user_id, scheme, encoded, source) SELECT id, 'argon2id', 'upgraded', 'rehash' FROM users WHERE legacy_id = 'd-1'");
    await server.query("UPDATE users SET state = 'migrated', legacy_hash = NULL, legacy_hash_scheme = NULL WHERE legacy_id = 'd-1'");
    const other = 'pbkdf2_sha256$1000$othersalt$1iaVgRNoxwVhWs5ZZ5d/Mex1UWYmfEVaoJ7FaZhS3yc=';
    const response = await post(jsonl([{ id: 'd-1', email: 'd1@example.com', name: 'New Name', password_hash: other, path: 'reset' }]));
    assert.equal(response.body.updated, 1);
    const [row] = await server.query("SELECT u.name, u.path, u.state, u.legacy_hash, c.encoded FROM users u JOIN password_credentials c ON c.user_id = u.id WHERE legacy_id = 'd-1'");
    assert.deepEqual(row, { name: 'New Name', path: 'bulk_hash', state: 'migrated', legacy_hash: null, encoded: 'upgraded' });
  });

  test('a dry run validates everything and writes no user', async () => {
    const response = await post(jsonl([{ id: 'e-1', email: 'e1@example.com' }, { id: 'e-1', email: 'e2@example.com' }]), 'application/x-ndjson', '?dry_run=true');
    assert.equal(response.status, 201);
    assert.equal(response.body.dry_run, true);
    assert.equal(response.body.imported, 1);
    assert.equal(response.body.rejected, 1);
    assert.equal((await server.query("SELECT 1 FROM users WHERE legacy_id = 'e-1'")).length, 0);
  });

  test('imports CSV with a header, JSON text columns and line numbers', async () => {
    const csv = [
      'id,email,name,attributes,password_hash,last_login_at',
      `f-1,f1@example.com,"Eff, One","{""tier"":""gold""}",${DJANGO_PBKDF2},2025-05-01T00:00:00Z`,
      'f-2,f2@example.com,Two,,,',
      'f-3,f3@example.com,"unterminated',
      'f-4,bad-email,Four,,,',
    ].join('\n');
    const response = await post(`${csv}\n`, 'text/csv');
    assert.equal(response.status, 201);
    // An unclosed quote runs to the end of the file, as CSV says it does: f-3 and f-4 are one broken record.
    assert.equal(response.body.imported, 2);
    assert.equal(response.body.rejected, 1);
    assert.match(response.body.errors[0].reason, /malformed CSV: Quote Not Closed/);
    const [f1] = await server.query("SELECT name, attributes FROM users WHERE legacy_id = 'f-1'");
    assert.deepEqual(f1, { name: 'Eff, One', attributes: { tier: 'gold' } });
    assert.ok(response.body.errors.every((e: { line: number }) => e.line >= 4), JSON.stringify(response.body.errors));
  });

  test('a CSV without id and email columns is refused with the missing columns named', async () => {
    const response = await post('user,mail\nx,y\n', 'text/csv');
    assert.equal(response.status, 400);
    assert.deepEqual(response.body.fields.map((f: { field: string }) => f.field), ['id', 'email']);
  });

  test('an empty file completes with 0 rows', async () => {
    const response = await post('', 'application/x-ndjson');
    assert.equal(response.status, 201);
    assert.equal(response.body.rows, 0);
    assert.equal(response.body.status, 'completed');
  });

  test('random bytes answer 400, never 500', async () => {
    for (let i = 0; i < 5; i++) {
      const bytes = Buffer.from(Array.from({ length: 2000 }, () => Math.floor(Math.random() * 256)));
      for (const type of ['application/x-ndjson', 'text/csv']) {
        const response = await server.api.post('/api/v1/imports').set('authorization', auth).set('content-type', type).send(bytes);
        assert.equal(response.status, 400, `${type}: ${response.text}`);
        assert.equal(response.body.error, 'invalid_request');
      }
    }
  });

  test('options: default_path and on_unsupported_hash', async () => {
    const rows = [{ id: 'g-1', email: 'g1@example.com' }, { id: 'g-2', email: 'g2@example.com', password_hash: '$9$unknown' }];
    const response = await post(jsonl(rows), 'application/x-ndjson', '?default_path=jit&on_unsupported_hash=reset');
    assert.deepEqual(response.body.paths, { jit: 1, reset: 1 });
    const bad = await post(jsonl(rows), 'application/x-ndjson', '?default_path=teleport');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.fields[0].field, 'default_path');
  });

  test('wrong content type answers 415; wrong token 401; wrong role 403', async () => {
    const wrongType = await server.api.post('/api/v1/imports').set('authorization', auth).set('content-type', 'application/xml').send('<x/>');
    assert.equal(wrongType.status, 415);
    const noToken = await server.api.post('/api/v1/imports').set('content-type', 'text/csv').send('id,email\n');
    assert.equal(noToken.status, 401);
    assert.deepEqual(noToken.body, { error: 'unauthorized', message: 'A valid bearer token is required' });
    const comms = await server.tokenFor('comms');
    const forbidden = await server.api.post('/api/v1/imports').set('authorization', `Bearer ${comms}`).set('content-type', 'text/csv').send('id,email\n');
    assert.equal(forbidden.status, 403);
    assert.equal(forbidden.body.error, 'forbidden');
    const unknown = await server.api.get('/api/v1/imports/00000000-0000-0000-0000-000000000000').set('authorization', auth);
    assert.equal(unknown.status, 404);
  });
});
