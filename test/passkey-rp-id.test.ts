import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../src/config/load-config.ts';
import { createContainer } from '../src/container.ts';
import { createLogger } from '../src/observability/logger.ts';
import { jsonl, startTestServer, type TestServer } from './support/test-server.ts';

const BASE_URL = 'http://migrate.acme.test';

/**
 * Issue 13: passkeys are bound to the RP ID they were made under. When WEBAUTHN_RP_ID no longer matches the one
 * stored with live passkeys (NULL: made under BASE_URL's host), startup says how many cannot sign in any more, in
 * one warning line, and starts all the same.
 */
describe('startup warns about live passkeys made under another RP ID', () => {
  let server: TestServer;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'cutover-rp-warn-'));
  const firstStart: string[] = [];

  before(async () => {
    server = await startTestServer({ env: { BASE_URL, LOG_LEVEL: 'warn' }, logTo: { write: (line) => { firstStart.push(line); } } });
    const imported = await server.api.post('/api/v1/imports').set('authorization', `Bearer ${server.adminToken}`).set('content-type', 'application/x-ndjson')
      .send(jsonl(['p-1', 'p-2', 'p-3', 'p-4', 'p-5'].map((id) => ({ id, email: `${id}@example.com`, path: 'reset' }))));
    assert.equal(imported.status, 201, imported.text);
    const credential = async (legacyId: string, rpId: string | null, revoked = false) => server.query(
      `INSERT INTO webauthn_credentials (id, user_id, public_key, device_type, backed_up, rp_id, user_handle, revoked_at)
       SELECT $1, id, '\\x00', 'singleDevice', false, $2, decode(replace(id::text, '-', ''), 'hex'), CASE WHEN $3 THEN now() END FROM users WHERE legacy_id = $4`,
      [randomBytes(16).toString('base64url'), rpId, revoked, legacyId],
    );
    await credential('p-1', null); // from before migration 013: made under BASE_URL's host
    await credential('p-2', null);
    await credential('p-3', 'migrate.acme.test');
    await credential('p-4', 'acme.test');
    await credential('p-5', null, true); // revoked: not counted
  });
  after(async () => {
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Starts a second container on the same database with this RP ID, and returns its warning lines. */
  async function startWith(env: Record<string, string>): Promise<{ msg: string; strandedPasskeys?: number; byRpId?: Record<string, number> }[]> {
    const lines: string[] = [];
    const config = loadConfig({
      NODE_ENV: 'test', DATA_DIR: dataDir, REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
      QUEUE_PREFIX: `cutover-test-${randomBytes(5).toString('hex')}`, LOG_LEVEL: 'warn', BASE_URL, ...env,
    });
    const container = await createContainer(config, createLogger('warn', { write: (line: string) => { lines.push(line); } }), { db: server.container.db });
    await container.close();
    const keys = (await server.container.redis?.keys(`${config.QUEUE_PREFIX}:*`)) ?? [];
    if (keys.length) await server.container.redis!.del(...keys);
    return lines.map((line) => JSON.parse(line)).filter((entry) => entry.level === 40);
  }

  test('the first start, with no passkeys yet, says nothing about them', () => {
    assert.deepEqual(firstStart.filter((line) => /passkey/.test(line)), []);
  });

  test('WEBAUTHN_RP_ID moved to the parent domain: the three live passkeys made under the host are counted', async () => {
    const warnings = (await startWith({ WEBAUTHN_RP_ID: 'acme.test' })).filter((w) => 'strandedPasskeys' in w);
    assert.equal(warnings.length, 1, 'one line');
    assert.equal(warnings[0]!.strandedPasskeys, 3);
    assert.deepEqual(warnings[0]!.byRpId, { 'migrate.acme.test': 3 });
    assert.match(warnings[0]!.msg, /^3 live passkeys were made under another RP ID than WEBAUTHN_RP_ID=acme\.test \(3 under migrate\.acme\.test\): they cannot sign in any more/);
  });

  test('the default RP ID (the host): the one passkey made under the parent is counted', async () => {
    const warnings = (await startWith({})).filter((w) => 'strandedPasskeys' in w);
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0]!.strandedPasskeys, 1);
    assert.match(warnings[0]!.msg, /^1 live passkey was made under another RP ID than WEBAUTHN_RP_ID=migrate\.acme\.test \(1 under acme\.test\)/);
  });
});
