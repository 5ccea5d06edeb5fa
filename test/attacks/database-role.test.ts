import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { runCli } from '../support/run-cli.ts';
import { jsonl, startTestServer, STORAGE, type TestServer } from '../support/test-server.ts';

const BASE_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const withSearchPath = (url: string, schema: string) => `${url}${url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;

/**
 * Issue 9, item 8: the audit log is append-only, but its owner (or a superuser) can disable the triggers that say
 * so. This is the setup the README's Security section asks for, run for real: the owner applies the migrations with
 * `cutover migrate`, and the service runs as a role that owns nothing and holds only row privileges.
 */
describe('attack: the service\'s own database role cannot tamper with the audit log', { skip: STORAGE === 'embedded' ? 'the embedded database (PGlite) has a single role' : false }, () => {
  const id = randomBytes(4).toString('hex');
  const schema = `role_${id}`;
  const role = `cutover_app_${id}`;
  // The queues' tables (BullMQ's PostgreSQL backend, without REDIS_URL) live in a schema named for QUEUE_PREFIX.
  const queuePrefix = `role-${id}`;
  const queueSchema = `bullmq_role_${id}`;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'cutover-role-'));
  const owner = new pg.Client({ connectionString: BASE_DATABASE_URL });
  let server: TestServer;

  before(async () => {
    await owner.connect();
    await owner.query(`CREATE SCHEMA ${schema}`);
    const migrated = await runCli(['migrate', '--json'], { DATABASE_URL: withSearchPath(BASE_DATABASE_URL, schema), DATA_DIR: dataDir, LOG_LEVEL: 'silent', QUEUE_PREFIX: queuePrefix });
    assert.equal(migrated.code, 0, migrated.stderr);
    assert.ok(JSON.parse(migrated.stdout).applied.includes('009_audit_no_truncate.sql'));
    assert.equal(JSON.parse(migrated.stdout).queue_schema, queueSchema);
    // The grants the README gives: rows only, no TRUNCATE, no ownership.
    await owner.query(`CREATE ROLE ${role} LOGIN`);
    await owner.query(`GRANT USAGE ON SCHEMA ${schema} TO ${role}`);
    await owner.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${schema} TO ${role}`);
    await owner.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${schema} TO ${role}`);
    await owner.query(`GRANT USAGE ON SCHEMA ${queueSchema} TO ${role}`);
    await owner.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${queueSchema} TO ${role}`);
    await owner.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${queueSchema} TO ${role}`);
    const roleUrl = new URL(BASE_DATABASE_URL);
    roleUrl.username = role;
    roleUrl.password = '';
    server = await startTestServer({ env: { DATABASE_URL: withSearchPath(roleUrl.toString(), schema), QUEUE_PREFIX: queuePrefix } });
  });
  after(async () => {
    await server?.close();
    await owner.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await owner.query(`DROP SCHEMA IF EXISTS ${queueSchema} CASCADE`);
    await owner.query(`DROP ROLE IF EXISTS ${role}`);
    await owner.end();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('the service starts and works as that role', async () => {
    const [{ user }] = await server.query('SELECT current_user AS user');
    assert.equal(user, role);
    const admin = `Bearer ${server.adminToken}`;
    await server.api.post('/api/v1/tokens').set('authorization', admin).send({ name: 'audited', role: 'support' }).expect(201);
    const imported = await server.api.post('/api/v1/imports').set('authorization', admin).set('content-type', 'application/x-ndjson')
      .send(jsonl([{ id: 'r-1', email: 'r1@example.com', path: 'reset' }]));
    assert.equal(imported.status, 201, imported.text);
    const [{ count }] = await server.query('SELECT count(*)::int AS count FROM audit_log');
    assert.ok(count >= 2, 'the token and the import are in the audit log');
  });

  test('it can neither empty the audit log nor turn its triggers off', async () => {
    await assert.rejects(server.query('TRUNCATE audit_log'), /permission denied for table audit_log/);
    await assert.rejects(server.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only'), /must be owner of (table|relation) audit_log/);
    await assert.rejects(server.query('DROP TRIGGER audit_log_no_truncate ON audit_log'), /must be owner of (table|relation) audit_log/);
    await assert.rejects(server.query("SET session_replication_role = 'replica'"), /permission denied to set parameter/);
    await assert.rejects(server.query("UPDATE audit_log SET actor = 'someone else'"), /append-only \(UPDATE refused\)/);
    await assert.rejects(server.query('DELETE FROM audit_log'), /append-only \(DELETE refused\)/);
  });

  test('even the owner cannot TRUNCATE it while the triggers stand (migration 009)', async () => {
    await assert.rejects(owner.query(`TRUNCATE ${schema}.audit_log`), /append-only \(TRUNCATE refused\)/);
  });
});
