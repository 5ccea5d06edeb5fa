import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { hashPassword } from '../src/identity/argon2id-password.ts';
import { streamExport } from '../src/export/stream-export.ts';
import { auth0Writer, AUTH0_MAX_FILE_BYTES } from '../src/export/targets/auth0.ts';
import { keycloakWriter } from '../src/export/targets/keycloak.ts';
import type { Queryable } from '../src/storage/db.ts';
import { waitFor } from './support/invite.ts';
import { runCli } from './support/run-cli.ts';
import { startTestServer, STORAGE, type TestServer } from './support/test-server.ts';

const USERS = 20_000;

/** Enrolled users by the thousand, in one statement each: what re-enrolment leaves behind (a password each). */
async function seedEnrolledUsers(server: TestServer, count: number): Promise<void> {
  const hash = await hashPassword('correct horse battery staple');
  await server.query(
    `WITH u AS (
       INSERT INTO users (legacy_id, email, email_verified, given_name, family_name, path, state, enrolled_method, enrolled_at)
       SELECT 'bulk-' || g, 'bulk' || g || '@example.com', true, 'Given' || g, 'Family' || g, 'reset', 'enrolled', 'totp', now()
         FROM generate_series(1, $1::int) g RETURNING id)
     INSERT INTO password_credentials (user_id, scheme, encoded, source) SELECT id, 'argon2id', $2, 'enrolment' FROM u`,
    [count, hash],
  );
}

describe(`export at size (${STORAGE})`, () => {
  let server: TestServer;
  let out: string;

  before(async () => {
    server = await startTestServer();
    out = mkdtempSync(path.join(tmpdir(), 'cutover-export-bulk-'));
    await seedEnrolledUsers(server, USERS);
  });
  after(async () => {
    rmSync(out, { recursive: true, force: true });
    await server.close();
  });

  test('auth0: the users go into parts of at most 500 KB (Auth0\'s bulk import file limit), each a whole JSON array', async () => {
    const dir = path.join(out, 'auth0');
    const result = await runCli(['export', '--target', 'auth0', '--out', dir, '--url', await server.url(), '--token', server.adminToken, '--json']);
    assert.equal(result.code, 0, result.stderr);
    const parts = readdirSync(dir).filter((n) => /^auth0-users-\d{4}\.json$/.test(n)).sort();
    assert.ok(parts.length >= 10, `${parts.length} parts`);
    let total = 0;
    const seen = new Set<string>();
    for (const part of parts) {
      const file = path.join(dir, part);
      assert.ok(statSync(file).size <= AUTH0_MAX_FILE_BYTES, `${part} is ${statSync(file).size} bytes`);
      assert.equal(statSync(file).mode & 0o777, 0o600);
      const users = JSON.parse(readFileSync(file, 'utf8')) as Array<{ user_id: string }>;
      total += users.length;
      for (const u of users) seen.add(u.user_id);
    }
    // Full parts: each but the last is within one record of the limit.
    for (const part of parts.slice(0, -1)) assert.ok(statSync(path.join(dir, part)).size > AUTH0_MAX_FILE_BYTES - 1000, part);
    assert.equal(total, USERS);
    assert.equal(seen.size, USERS);
    assert.equal(JSON.parse(result.stdout).summary.users_exported, USERS);
  });

  test('the pipeline reads no further batch once the client has gone', async () => {
    let queries = 0;
    const counting: Queryable = { query: (text, values) => { queries += 1; return server.container.db.query(text, values); } };
    let writes = 0;
    const summary = await streamExport(counting, server.container.box, keycloakWriter, { write: async () => ++writes < 3 }, {
      batchSize: 100, context: { baseUrlHost: 'localhost', targetRpId: 'localhost', omit: new Set() },
    });
    // The header, one batch, and the write of the second batch that found the client gone: two batches read.
    assert.equal(writes, 3);
    assert.equal(summary.completed, false);
    assert.equal(summary.users_read, 200);
    assert.equal(queries, 4); // users + passkeys, twice
  });

  test('over HTTP: a client that stops reading holds the export (backpressure), and one that hangs up ends it; the audit says how far it got', async () => {
    const url = new URL('/api/v1/exports/keycloak', await server.url());
    const received = await new Promise<number>((resolve, reject) => {
      const req = request(url, { headers: { authorization: `Bearer ${server.adminToken}` } }, (res) => {
        let bytes = 0;
        res.once('data', (chunk: Buffer) => {
          bytes += chunk.length;
          res.pause(); // stop reading: the server's writes fill the socket and it waits for 'drain'
          setTimeout(() => { req.destroy(); resolve(bytes); }, 1500);
        });
      });
      req.on('error', (error) => { if ((error as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(error); });
      req.end();
    });
    assert.ok(received > 0);
    const row = await waitFor('the export audit row', async () => (await server.query("SELECT details FROM audit_log WHERE action = 'export.run' AND (details->>'completed')::boolean = false"))[0]);
    assert.ok(row.details.users_read < USERS, `read ${row.details.users_read} of ${USERS}`);
    // The server went back to work: a full export still runs.
    const whole = await server.api.get('/api/v1/exports/auth0').set('authorization', `Bearer ${server.adminToken}`);
    assert.equal(whole.status, 200);
    assert.equal(JSON.parse(whole.text.trim().split('\n').at(-1)!).summary.users_exported, USERS);
  });
});
