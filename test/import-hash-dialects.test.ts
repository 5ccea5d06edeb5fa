import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { jsonl, startTestServer, type TestServer } from './support/test-server.ts';

// hashcat's self-test vectors (src/modules/module_NNNNN.c ST_HASH, password "hashcat"): one "hash:salt" shape,
// three meanings. vBulletin < 3.8.5: md5(md5(pw) + salt); MyBB / IP.Board: md5(md5(salt) + md5(pw)).
const VBULLETIN = '28f9975808ae2bdc5847b1cda26033ea:308';
const MYBB = '022f7e02b3314f7d0968f73c00ba759f:67588';
const POSTGRES = 'md593a8cf6a7d43e3b5bcd2dc6abb3e02c6'; // module_00012.c, username 27032153220030464358344758762807
const BCRYPT = '$2b$04$N88H1oo0aE2LW/iOhUWh1u7Qhrf9gf2OxMEVK.Tj.YLUY2Z6KmUSa'; // hash-fixtures modern.jsonl

describe('hash dialects on import', () => {
  let server: TestServer;
  let auth: string;
  let verifier: string;
  before(async () => {
    server = await startTestServer();
    auth = `Bearer ${server.adminToken}`;
    verifier = `Bearer ${await server.tokenFor('verifier')}`;
  });
  after(() => server.close());

  const post = (body: string, query = '', type = 'application/x-ndjson') =>
    server.api.post(`/api/v1/imports${query}`).set('authorization', auth).set('content-type', type).send(body);
  const verify = (login: string, password: string) =>
    server.api.post('/api/v1/verify').set('authorization', verifier).send({ login, password });

  const rows = (prefix: string) => [
    { id: `${prefix}-1`, email: `${prefix}-1@example.com`, password_hash: VBULLETIN },
    { id: `${prefix}-2`, email: `${prefix}-2@example.com`, password_hash: MYBB },
    { id: `${prefix}-3`, email: `${prefix}-3@example.com`, password_hash: BCRYPT },
    { id: `${prefix}-4`, email: `${prefix}-4@example.com`, password_hash: POSTGRES, password_hash_salt: '27032153220030464358344758762807' },
  ];

  test('the dry run refuses "hash:salt" without a dialect, naming the candidates, and counts families and ambiguous rows', async () => {
    const response = await post(jsonl(rows('dry')), '?dry_run=true');
    assert.equal(response.status, 201);
    const summary = response.body;
    assert.equal(summary.dry_run, true);
    assert.deepEqual([summary.rows, summary.imported, summary.rejected, summary.ambiguous_hashes], [4, 2, 2, 2]);
    assert.deepEqual(summary.hash_formats, { bcrypt: 1, 'postgres-md5': 1 });
    assert.deepEqual(summary.errors.map((e: { line: number; field: string }) => [e.line, e.field]), [[1, 'password_hash'], [2, 'password_hash']]);
    assert.match(summary.errors[0].reason, /^ambiguous hash: "<32 hex>:<salt>" is written by joomla, vbulletin, mybb, ipb; name the dialect with hash_dialect/);
    assert.equal(summary.errors[0].ambiguousHash, undefined, 'no internal marker in the answer');
    const again = await server.api.get(`/api/v1/imports/${summary.id}`).set('authorization', auth);
    assert.equal(again.body.ambiguous_hashes, 2, 'kept with the import');
    const written = await server.query("SELECT count(*)::int AS n FROM users WHERE legacy_id LIKE 'dry-%'");
    assert.equal(written[0].n, 0);
  });

  test('hash_dialect decides the shared shape; the rows verify as that forum wrote them', async () => {
    const response = await post(jsonl(rows('vb')), '?hash_dialect=vbulletin');
    assert.equal(response.status, 201);
    assert.deepEqual([response.body.imported, response.body.rejected, response.body.ambiguous_hashes], [4, 0, 0]);
    assert.deepEqual(response.body.hash_formats, { vbulletin: 2, bcrypt: 1, 'postgres-md5': 1 });
    const [options] = await server.query('SELECT options FROM imports WHERE id = $1', [response.body.id]);
    assert.equal(options.options.hash_dialect, 'vbulletin');
    assert.equal((await verify('vb-1@example.com', 'hashcat')).status, 200);
    assert.equal((await verify('vb-2@example.com', 'hashcat')).status, 401, 'a MyBB hash read as vBulletin does not verify');
    assert.equal((await verify('vb-4@example.com', 'hashcat')).status, 200);
    assert.equal((await verify('vb-4@example.com', 'hashcat ')).status, 401);
  });

  test('password_hash_format names the family per row and wins over the dialect; CSV carries the salt in its own column', async () => {
    const csv = [
      'id,email,password_hash,password_hash_salt,password_hash_format',
      'fmt-1,fmt-1@example.com,022f7e02b3314f7d0968f73c00ba759f,67588,ipb',
      `fmt-2,fmt-2@example.com,${MYBB},,mybb`,
    ].join('\n');
    const response = await post(csv, '?hash_dialect=joomla', 'text/csv');
    assert.equal(response.status, 201);
    assert.deepEqual(response.body.hash_formats, { ipb: 1, mybb: 1 });
    assert.equal((await verify('fmt-1@example.com', 'hashcat')).status, 200);
    assert.equal((await verify('fmt-2@example.com', 'hashcat')).status, 200);
  });

  test('a misused hash field is a row error naming that field', async () => {
    const response = await post(jsonl([
      { id: 'bad-1', email: 'bad-1@example.com', password_hash: BCRYPT, password_hash_salt: 'x' },
      { id: 'bad-2', email: 'bad-2@example.com', password_hash: BCRYPT, password_hash_format: 'vbulletin' },
      { id: 'bad-3', email: 'bad-3@example.com', password_hash_salt: 'x' },
      { id: 'bad-4', email: 'bad-4@example.com', password_hash: POSTGRES },
      { id: 'bad-5', email: 'bad-5@example.com', password_hash: BCRYPT, password_hash_format: 'Not A Format' },
    ]));
    assert.equal(response.status, 201);
    const errors = response.body.errors.map((e: { line: number; field: string; reason: string }) => [e.line, e.field, e.reason]);
    assert.deepEqual(errors, [
      [1, 'password_hash_salt', 'password_hash_salt is only read for postgres-md5, joomla-md5, vbulletin, mybb, ipb hashes; a bcrypt hash carries its own salt'],
      [2, 'password_hash', 'malformed vbulletin hash: digest must be 32 lowercase hex characters, got "$2b$04$N88H1oo0aE2LW/iOhUWh1u7Qhrf9gf2Ox…"'],
      [3, 'password_hash_salt', 'is only read with a password_hash'],
      [4, 'password_hash', 'malformed postgres-md5 hash: the role name is required: give it in password_hash_salt'],
      [5, 'password_hash_format', 'must be a hash format like "vbulletin" or "werkzeug-hmac", got "Not A Format"'],
    ]);
    assert.equal(response.body.ambiguous_hashes, 0);
  });

  test('an unknown hash_dialect is a 400 naming the parameter', async () => {
    const response = await post(jsonl(rows('x')), '?hash_dialect=phpbb');
    assert.equal(response.status, 400);
    assert.equal(response.body.error, 'invalid_request');
    assert.equal(response.body.fields[0].field, 'hash_dialect');
  });
});
