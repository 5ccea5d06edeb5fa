import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createPublicKey } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import argon2 from 'argon2';
import { generate, ScureBase32Plugin } from 'otplib';
import { verifySignature } from '@simplewebauthn/server/helpers';
import { z } from 'zod';
import { SecretBox } from '../src/identity/secret-box.ts';
import { enrolHookUser, importHookUsers, NEW_PASSWORD } from './support/hook-users.ts';
import { addPasskey, makePasskeyKey, ndjson } from './support/export-users.ts';
import { runCli } from './support/run-cli.ts';
import { startTestServer, STORAGE, type TestServer } from './support/test-server.ts';

// Cutover at migrate.example.com; the target platform uses the parent RP ID example.com (WebAuthn L3 §5.1.2).
const BASE_URL = 'https://migrate.example.com';
const TARGET_RP_ID = 'example.com';

/**
 * Keycloak's UserRepresentation and CredentialRepresentation, as the Admin REST API documents them
 * (https://www.keycloak.org/docs-api/latest/rest-api/index.html#UserRepresentation, #CredentialRepresentation):
 * only documented fields, with their types.
 */
const keycloakCredential = z.object({
  type: z.enum(['password', 'otp', 'webauthn-passwordless']), userLabel: z.string().optional(), createdDate: z.number().int().optional(),
  secretData: z.string(), credentialData: z.string(),
}).strict();
const keycloakUser = z.object({
  id: z.string(), username: z.string(), email: z.string().optional(), emailVerified: z.boolean(), firstName: z.string().optional(),
  lastName: z.string().optional(), enabled: z.boolean(), attributes: z.record(z.string(), z.array(z.string())), credentials: z.array(keycloakCredential),
}).strict();

/**
 * Auth0's bulk import user schema ("Bulk User Import Database Schema and Examples",
 * https://auth0.com/docs/manage-users/user-migration/bulk-user-imports-database-schema-and-examples): the fields we
 * use, `custom_password_hash.algorithm` from its enum, `hash.encoding` utf8, `mfa_factors[].totp.secret` Base32.
 */
const auth0User = z.object({
  user_id: z.string(), email: z.email(), email_verified: z.boolean(), name: z.string().optional(), given_name: z.string().optional(),
  family_name: z.string().optional(), app_metadata: z.object({ legacy_id: z.string(), cutover_id: z.string() }).strict(),
  custom_password_hash: z.object({ algorithm: z.literal('argon2'), hash: z.object({ value: z.string().startsWith('$argon2id$'), encoding: z.literal('utf8') }).strict() }).strict().optional(),
  mfa_factors: z.array(z.object({ totp: z.object({ secret: z.string().regex(/^[A-Z2-7]+$/) }).strict() }).strict()).optional(),
}).strict();
/** CreateUserAuthenticationMethodRequestContent (https://auth0.github.io/node-auth0/interfaces/index.Management.CreateUserAuthenticationMethodRequestContent.html). */
const auth0Passkey = z.object({
  method: z.literal('POST'), path: z.string().regex(/^\/api\/v2\/users\/auth0%7C[0-9a-f-]{36}\/authentication-methods$/),
  body: z.object({
    type: z.literal('passkey'), name: z.string(), key_id: z.string(), public_key: z.string(), user_handle: z.string(), relying_party_identifier: z.string(),
    aaguid: z.string().optional(), transports: z.array(z.string()), credential_device_type: z.enum(['single_device', 'multi_device']), credential_backed_up: z.boolean(),
  }).strict(),
}).strict();
/** Okta's "Create user with password import inline hook" request body (https://developer.okta.com/docs/reference/api/users/#create-user-with-password-import-inline-hook). */
const oktaUser = z.object({
  profile: z.object({ login: z.email(), email: z.email(), firstName: z.string().optional(), lastName: z.string().optional(), displayName: z.string().optional(), locale: z.string().optional(), timezone: z.string().optional(), mobilePhone: z.string().optional() }).strict(),
  credentials: z.object({ password: z.object({ hook: z.object({ type: z.literal('default') }).strict() }).strict() }).strict().optional(),
}).strict();

/** RFC 4648 Base32, to compare FusionAuth's base64 key bytes with the Base32 secret. */
const base32 = (bytes: Buffer) => new ScureBase32Plugin().encode(new Uint8Array(bytes));

/** SimpleWebAuthn takes plain Uint8Arrays over an ArrayBuffer. */
const bytes = (b: Buffer) => new Uint8Array(b);

/** The PHC string Keycloak's split fields stand for (argon2 "encoding": unpadded standard Base64). */
function phcFromKeycloak(credential: { secretData: string; credentialData: string }): string {
  const secret = JSON.parse(credential.secretData) as { value: string; salt: string };
  const data = JSON.parse(credential.credentialData) as { hashIterations: number; algorithm: string; additionalParameters: Record<string, string[]> };
  assert.equal(data.algorithm, 'argon2');
  const p = data.additionalParameters;
  assert.deepEqual([p.type, p.version], [['id'], ['1.3']]);
  assert.equal(Buffer.from(secret.value, 'base64').length, Number(p.hashLength![0]));
  const unpad = (b64: string) => b64.replace(/=+$/, '');
  return `$argon2id$v=19$m=${p.memory![0]},t=${data.hashIterations},p=${p.parallelism![0]}$${unpad(secret.salt)}$${unpad(secret.value)}`;
}

describe(`export (${STORAGE})`, () => {
  let server: TestServer;
  let ids: Record<string, string>;
  let totpSecret: string;
  let key: ReturnType<typeof makePasskeyKey>;
  let out: string;

  before(async () => {
    server = await startTestServer({ env: { BASE_URL } });
    out = mkdtempSync(path.join(tmpdir(), 'cutover-export-test-'));
    ids = await importHookUsers(server, [
      { id: 'app', email: 'app@example.com', email_verified: true, given_name: 'Ada', family_name: 'Lovelace', name: 'Ada Lovelace', path: 'reset' },
      { id: 'pw', email: 'pw@example.com', path: 'reset' },
      { id: 'pk', email: 'pk@example.com', given_name: 'Grace', path: 'reset' },
      { id: 'old-pk', email: 'old-pk@example.com', path: 'reset' },
      { id: 'narrow-pk', email: 'narrow@example.com', path: 'reset' },
      { id: 'off', email: 'off@example.com', path: 'reset' },
      { id: 'nothing', email: 'nothing@example.com', path: 'reset' },
    ]);
    totpSecret = (await enrolHookUser(server, ids.app!, { totp: true }))!;
    await enrolHookUser(server, ids.pw!, { totp: false });
    key = makePasskeyKey();
    await addPasskey(server, ids.pk!, { id: 'cHNr', cose: key.cose, rpId: TARGET_RP_ID, userHandle: Buffer.from(ids.pk!, 'utf8') });
    // Before migration 013: 16 raw UUID bytes as the handle, and no rp_id (BASE_URL's host, migrate.example.com).
    await addPasskey(server, ids['old-pk']!, { id: 'b2xk', cose: makePasskeyKey().cose, rpId: null, userHandle: Buffer.from(ids['old-pk']!.replace(/-/g, ''), 'hex') });
    await addPasskey(server, ids['narrow-pk']!, { id: 'bmFy', cose: makePasskeyKey().cose, rpId: 'migrate.example.com', userHandle: Buffer.from(ids['narrow-pk']!, 'utf8') });
    await enrolHookUser(server, ids.off!, { totp: false });
    await server.query("UPDATE users SET state = 'disabled' WHERE id = $1", [ids.off]);
  });
  after(async () => {
    rmSync(out, { recursive: true, force: true });
    await server.close();
  });

  const get = (target: string, token = server.adminToken) => server.api.get(`/api/v1/exports/${target}`).set('authorization', `Bearer ${token}`).buffer(true).parse((res, done) => {
    let text = '';
    res.setEncoding('utf8');
    res.on('data', (c: string) => { text += c; });
    res.on('end', () => done(null, text));
  });

  test('only admin: 401 without a token, 403 for comms, support and verifier', async () => {
    assert.equal((await server.api.get('/api/v1/exports/keycloak')).status, 401);
    for (const role of ['comms', 'support', 'verifier'] as const) assert.equal((await get('keycloak', await server.tokenFor(role))).status, 403, role);
  });

  test('an unknown target or a bad since, rp_id or omit is a 400 naming the field', async () => {
    const unknown = await server.api.get('/api/v1/exports/cognito').set('authorization', `Bearer ${server.adminToken}`);
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.fields[0].field, 'target');
    assert.match(unknown.body.fields[0].reason, /auth0, keycloak, kratos, fusionauth, zitadel, okta/);
    for (const [param, value] of [['since', 'yesterday'], ['since', '2026-11-01'], ['rp_id', 'https://example.com/'], ['omit', 'password']]) {
      const response = await server.api.get(`/api/v1/exports/keycloak?${param}=${encodeURIComponent(value!)}`).set('authorization', `Bearer ${server.adminToken}`);
      assert.equal(response.status, 400, `${param}=${value}`);
      assert.equal(response.body.fields[0].field, param);
    }
  });

  test('keycloak: a partial-import user per user in Keycloak\'s shapes; argon2 and TOTP round-trip; passkeys that cannot move are listed', async () => {
    const response = await get(`keycloak?rp_id=${TARGET_RP_ID}`);
    assert.equal(response.status, 200);
    assert.match(response.headers['content-type']!, /application\/x-ndjson/);
    const lines = ndjson(response.body as string);
    assert.deepEqual(lines[0]!.export.files, { users: { form: 'json-object', wrapKey: 'users', confirmBy: { field: 'id', kind: 'user_id' } } });
    const records = lines.filter((l) => 'file' in l).map((l) => keycloakUser.parse(l.record));
    const summary = lines.at(-1)!.summary;
    // Read: the five with a credential (not "nothing"); the disabled one is listed, not written.
    assert.equal(summary.users_read, 6);
    assert.deepEqual(records.map((r) => r.id).sort(), [ids.app, ids.pw, ids.pk, ids['old-pk'], ids['narrow-pk']].sort());
    assert.equal(summary.users_exported, 5);
    assert.deepEqual(summary.credentials, { password: 2, totp: 1, passkey: 1 });
    const reasons = summary.refusals.map((r: { user_id: string; credential: string; reason: string }) => [r.user_id, r.credential, r.reason]);
    assert.ok(reasons.some(([u, c, why]: string[]) => u === ids['old-pk'] && c === 'passkey' && /RP ID "migrate\.example\.com"/.test(why!)), JSON.stringify(reasons));
    assert.ok(reasons.some(([u, c, why]: string[]) => u === ids['narrow-pk'] && c === 'passkey' && /RP ID/.test(why!)));
    assert.ok(reasons.some(([u, c, why]: string[]) => u === ids.off && c === 'user' && /disabled/.test(why!)));

    // The user handle check, on its own: under the old RP ID the old passkey is refused for its handle.
    const sameRp = ndjson((await get('keycloak?rp_id=migrate.example.com')).body as string).at(-1)!.summary;
    assert.ok(sameRp.refusals.some((r: { user_id: string; reason: string }) => r.user_id === ids['old-pk'] && /user handle is 16 bytes/.test(r.reason)), JSON.stringify(sameRp.refusals));

    const app = records.find((r) => r.id === ids.app)!;
    assert.equal(app.username, 'app@example.com');
    assert.deepEqual([app.firstName, app.lastName, app.emailVerified, app.attributes.legacy_id], ['Ada', 'Lovelace', true, ['app']]);
    const password = app.credentials.find((c) => c.type === 'password')!;
    assert.equal(await argon2.verify(phcFromKeycloak(password), NEW_PASSWORD), true);
    assert.equal(await argon2.verify(phcFromKeycloak(password), 'not the password'), false);
    const otp = app.credentials.find((c) => c.type === 'otp')!;
    assert.deepEqual(JSON.parse(otp.credentialData), { subType: 'totp', digits: 6, counter: 0, period: 30, algorithm: 'HmacSHA1', secretEncoding: 'BASE32' });
    const secret = JSON.parse(otp.secretData).value as string;
    assert.equal(secret, totpSecret.replace(/=/g, ''));
    const verified = await server.api.post('/api/v1/verify').set('authorization', `Bearer ${await server.tokenFor('verifier')}`)
      .send({ login: 'app@example.com', password: NEW_PASSWORD, totp: await generate({ secret }) });
    assert.equal(verified.status, 200, JSON.stringify(verified.body));
    assert.equal(verified.body.verified, true);

    // The passkey: Keycloak's credentialData; the exported COSE key checks a signature the passkey's key made.
    const passkey = records.find((r) => r.id === ids.pk)!.credentials.find((c) => c.type === 'webauthn-passwordless')!;
    const data = JSON.parse(passkey.credentialData);
    assert.deepEqual(Object.keys(data).sort(), ['aaguid', 'attestationStatementFormat', 'counter', 'credentialId', 'credentialPublicKey', 'transports']);
    assert.equal(data.credentialId, Buffer.from('cHNr', 'base64url').toString('base64'));
    assert.equal(data.counter, 7);
    const signed = Buffer.from('authenticatorData || sha256(clientDataJSON)');
    assert.equal(await verifySignature({ signature: bytes(key.sign(signed)), data: bytes(signed), credentialPublicKey: bytes(Buffer.from(data.credentialPublicKey, 'base64url')) }), true);
    assert.equal(await verifySignature({ signature: bytes(makePasskeyKey().sign(signed)), data: bytes(signed), credentialPublicKey: bytes(Buffer.from(data.credentialPublicKey, 'base64url')) }), false);
    // No records for old-pk's and narrow-pk's passkeys, and no TOTP where there was none.
    assert.deepEqual(records.find((r) => r.id === ids['old-pk'])!.credentials, []);
  });

  test('every export is in the audit trail: who, target, how many', async () => {
    const started = await server.query("SELECT count(*)::int AS n FROM audit_log WHERE action = 'export.started' AND target = 'export:keycloak'");
    assert.equal(started[0].n, 2);
    const rows = await server.query("SELECT actor, role, target, details FROM audit_log WHERE action = 'export.run' ORDER BY id");
    assert.ok(rows.length >= 1);
    const last = rows.at(-1);
    assert.equal(last.role, 'admin');
    assert.equal(last.target, 'export:keycloak');
    assert.equal(last.details.completed, true);
    assert.equal(last.details.users_exported, 5);
    assert.deepEqual(last.details.credentials, { password: 2, totp: 1, passkey: 1 }); // the second run, under migrate.example.com
  });

  test('okta: Users API bodies with the password import hook; TOTP and passkeys listed as not portable', async () => {
    const lines = ndjson((await get('okta')).body as string);
    const records = lines.filter((l) => 'file' in l).map((l) => oktaUser.parse(l.record));
    const app = records.find((r) => r.profile.login === 'app@example.com')!;
    assert.deepEqual(app.credentials, { password: { hook: { type: 'default' } } });
    assert.equal(records.find((r) => r.profile.login === 'pk@example.com')!.credentials, undefined);
    const summary = lines.at(-1)!.summary;
    assert.deepEqual(summary.credentials, { password: 2, totp: 0, passkey: 0 });
    assert.deepEqual(summary.not_exported, { password: 1, totp: 1, passkey: 3, user: 1 });
    assert.ok(summary.refusals.some((r: { user_id: string; credential: string }) => r.user_id === ids.app && r.credential === 'totp'));
  });

  test('since: only users changed after it', async () => {
    const future = new Date(Date.now() + 60_000).toISOString();
    const summary = ndjson((await get(`keycloak?since=${encodeURIComponent(future)}`)).body as string).at(-1)!.summary;
    assert.equal(summary.users_read, 0);
    await server.query("UPDATE users SET updated_at = now() + interval '2 minutes' WHERE id = $1", [ids.pw]);
    const again = ndjson((await get(`keycloak?since=${encodeURIComponent(future)}`)).body as string).at(-1)!.summary;
    assert.equal(again.users_read, 1);
  });

  test('cutover export --target auth0 (the CLI): files 0600 in a 0700 directory, Auth0\'s schemas, PHC verifies, TOTP verifies', async () => {
    const dir = path.join(out, 'auth0');
    const result = await runCli(['export', '--target', 'auth0', '--out', dir, '--rp-id', TARGET_RP_ID, '--url', await server.url(), '--token', server.adminToken]);
    assert.equal(result.code, 2, result.stderr); // complete, with refusals listed
    assert.match(result.stdout, /users exported {4}5/);
    assert.match(result.stdout, /passkey: made under RP ID "migrate\.example\.com"/);
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    const names = readdirSync(dir).sort();
    assert.deepEqual(names, ['auth0-passkeys.jsonl', 'auth0-users-0001.json', 'manifest.json', 'summary.json']);
    for (const name of names) assert.equal(statSync(path.join(dir, name)).mode & 0o777, 0o600, name);
    const users = z.array(auth0User).parse(JSON.parse(readFileSync(path.join(dir, 'auth0-users-0001.json'), 'utf8')));
    const app = users.find((u) => u.email === 'app@example.com')!;
    assert.equal(app.user_id, ids.app);
    assert.match(app.custom_password_hash!.hash.value, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    assert.equal(await argon2.verify(app.custom_password_hash!.hash.value, NEW_PASSWORD), true);
    const secret = app.mfa_factors![0]!.totp.secret;
    const verified = await server.api.post('/api/v1/verify').set('authorization', `Bearer ${await server.tokenFor('verifier')}`)
      .send({ login: 'app@example.com', password: NEW_PASSWORD, totp: await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 }) });
    assert.equal(verified.body.verified, true, JSON.stringify(verified.body));
    const calls = readFileSync(path.join(dir, 'auth0-passkeys.jsonl'), 'utf8').trim().split('\n').map((l) => auth0Passkey.parse(JSON.parse(l)));
    assert.equal(calls.length, 1);
    assert.equal(calls[0]!.body.user_handle, Buffer.from(ids.pk!).toString('base64url'));
    assert.equal(calls[0]!.body.relying_party_identifier, TARGET_RP_ID);
    const signed = Buffer.from('signed by the passkey');
    assert.equal(await verifySignature({ signature: bytes(key.sign(signed)), data: bytes(signed), credentialPublicKey: bytes(Buffer.from(calls[0]!.body.public_key, 'base64url')) }), true);
  });

  test('cutover export confirm: hands the users off once (idempotent), and "still depends on cutover" falls', async () => {
    const dir = path.join(out, 'keycloak');
    const url = await server.url();
    const exported = await runCli(['export', '--target', 'keycloak', '--out', dir, '--rp-id', TARGET_RP_ID, '--url', url, '--token', server.adminToken, '--json']);
    assert.equal(exported.code, 2, exported.stderr);
    const file = path.join(dir, 'keycloak-users.json');
    assert.equal(JSON.parse(readFileSync(file, 'utf8')).users.length, 5);
    const progress = async () => (await server.api.get('/api/v1/progress').set('authorization', `Bearer ${server.adminToken}`)).body.ownership;
    const before = await progress();

    const first = await runCli(['export', 'confirm', '--target', 'keycloak', file, '--url', url, '--token', server.adminToken, '--json']);
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual(JSON.parse(first.stdout), { target: 'keycloak', files: 1, matched: 5, handed_off: 5, already_handed_off: 0, unknown: [] });
    const afterFirst = await progress();
    assert.equal(afterFirst.cutover, before.cutover - 5);
    assert.equal(afterFirst.by_platform.keycloak, 5);
    const rows = await server.query('SELECT target_platform, handed_off_at FROM users WHERE id = ANY($1::uuid[])', [[ids.app, ids.pk]]);
    assert.ok(rows.every((r) => r.target_platform === 'keycloak' && r.handed_off_at instanceof Date));

    const second = await runCli(['export', 'confirm', '--target', 'keycloak', file, '--url', url, '--token', server.adminToken, '--json']);
    assert.deepEqual(JSON.parse(second.stdout), { target: 'keycloak', files: 1, matched: 5, handed_off: 0, already_handed_off: 5, unknown: [] });
    assert.deepEqual(await progress(), afterFirst);
    const audit = await server.query("SELECT details FROM audit_log WHERE action = 'export.confirm' ORDER BY id");
    assert.deepEqual(audit.map((a) => [a.details.handed_off, a.details.already_handed_off]), [[5, 0], [0, 5]]);
  });

  test('kratos, fusionauth and zitadel through the CLI: their files 0600, the argon2 hash verifies, the PEM loads, and confirm finds their users', async () => {
    const url = await server.url();
    const recordsIn = (file: string): Record<string, unknown>[] => {
      const text = readFileSync(file, 'utf8');
      if (file.endsWith('.jsonl')) return text.trim().split('\n').map((line) => JSON.parse(line));
      const parsed = JSON.parse(text);
      return (parsed.identities ?? parsed.users ?? parsed.credentials) as Record<string, unknown>[];
    };
    const users: Record<string, string> = { kratos: 'identities', fusionauth: 'users', zitadel: 'users' };
    for (const target of ['kratos', 'fusionauth', 'zitadel']) {
      const dir = path.join(out, target);
      const result = await runCli(['export', '--target', target, '--out', dir, '--rp-id', TARGET_RP_ID, '--url', url, '--token', server.adminToken]);
      assert.equal(result.code, 2, `${target}: ${result.stderr}`); // complete, with what the target cannot take listed
      const names = readdirSync(dir).filter((name) => name.startsWith(`${target}-`));
      for (const name of readdirSync(dir)) assert.equal(statSync(path.join(dir, name)).mode & 0o777, 0o600, `${target}/${name}`);
      const userFiles = names.filter((name) => name.startsWith(`${target}-${users[target]}`));
      assert.equal(userFiles.length, 1, `${target}: ${names.join(', ')}`);
      const records = recordsIn(path.join(dir, userFiles[0]!));
      assert.ok(records.length >= 3, `${target}: ${records.length} users`);
      const text = JSON.stringify(records);
      if (target !== 'fusionauth') {
        const hash = /"(\$argon2id\$v=19\$m=\d+,t=\d+,p=\d+\$[^"]+)"/.exec(text)?.[1];
        assert.ok(hash, `${target}: an argon2id hash in the export`);
        assert.equal(await argon2.verify(hash, NEW_PASSWORD), true, target);
      } else {
        assert.doesNotMatch(text, /argon2/, 'FusionAuth has no argon2: its password users come through the Generic Connector');
        const passkeys = names.filter((name) => name.startsWith('fusionauth-passkeys'));
        assert.equal(passkeys.length, 1, names.join(', '));
        const [credential] = recordsIn(path.join(dir, passkeys[0]!)) as Array<{ publicKey: string }>;
        assert.equal(createPublicKey(credential!.publicKey).asymmetricKeyType, 'ec');
      }
      // The authenticator app: the secret each platform's form holds is the user's own (the Auth0 test verifies it
      // through /api/v1/verify), so the app keeps working after the import.
      const app = records.find((r) => JSON.stringify(r).includes('app@example.com'))!;
      const exported = target === 'kratos' ? new URL(/"totp_url":"([^"]+)"/.exec(JSON.stringify(app))![1]!).searchParams.get('secret')!
        : target === 'zitadel' ? (app as { totpSecret: string }).totpSecret
          : base32(Buffer.from((app as { twoFactor: { methods: Array<{ secret: string }> } }).twoFactor.methods[0]!.secret, 'base64'));
      assert.equal(exported.replace(/=/g, ''), totpSecret.replace(/=/g, ''), `${target}: the exported TOTP secret`);
      const confirmed = await runCli(['export', 'confirm', '--target', target, path.join(dir, userFiles[0]!), '--url', url, '--token', server.adminToken, '--json']);
      assert.equal(confirmed.code, 0, confirmed.stderr);
      const body = JSON.parse(confirmed.stdout);
      assert.equal(body.matched, records.length, target);
      assert.equal(body.handed_off + body.already_handed_off, records.length, target);
      assert.deepEqual(body.unknown, []);
    }
  });

  test('confirm: only admin, and bad ids are a 400 naming the field', async () => {
    assert.equal((await server.api.post('/api/v1/exports/keycloak/confirm').send({ user_ids: [ids.pw] })).status, 401);
    assert.equal((await server.api.post('/api/v1/exports/keycloak/confirm').set('authorization', `Bearer ${await server.tokenFor('support')}`).send({ user_ids: [ids.pw] })).status, 403);
    const bad = await server.api.post('/api/v1/exports/keycloak/confirm').set('authorization', `Bearer ${server.adminToken}`).send({ user_ids: [ids.pw, 'not-a-uuid'] });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.fields[0].field, 'user_ids.1');
  });

  test('--passphrase-file: each file sealed (AES-256-GCM, scrypt key), decrypt gives it back, confirm reads it', async () => {
    const dir = path.join(out, 'okta-sealed');
    const passphraseFile = path.join(out, 'passphrase');
    writeFileSync(passphraseFile, 'correct horse battery staple export\n', { mode: 0o600 });
    const url = await server.url();
    const exported = await runCli(['export', '--target', 'okta', '--out', dir, '--passphrase-file', passphraseFile, '--url', url, '--token', server.adminToken]);
    assert.equal(exported.code, 2, exported.stderr);
    const sealed = path.join(dir, 'okta-users.jsonl.enc');
    const bytes = readFileSync(sealed);
    assert.equal(bytes.subarray(0, 17).toString('ascii'), 'CUTOVER-EXPORT-1\n');
    assert.ok(!bytes.includes(Buffer.from('app@example.com')));
    const wrong = path.join(out, 'wrong');
    writeFileSync(wrong, 'not the right passphrase at all\n');
    const refused = await runCli(['export', 'decrypt', '--passphrase-file', wrong, sealed]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /does not open with this passphrase/);
    const opened = await runCli(['export', 'decrypt', '--passphrase-file', passphraseFile, sealed]);
    assert.equal(opened.code, 0, opened.stderr);
    const plain = readFileSync(path.join(dir, 'okta-users.jsonl'), 'utf8').trim().split('\n').map((l) => oktaUser.parse(JSON.parse(l)));
    assert.equal(plain.length, 5);
    assert.equal(statSync(path.join(dir, 'okta-users.jsonl')).mode & 0o777, 0o600);
    const confirmed = await runCli(['export', 'confirm', '--target', 'okta', sealed, '--passphrase-file', passphraseFile, '--url', url, '--token', server.adminToken, '--json']);
    assert.equal(confirmed.code, 0, confirmed.stderr);
    assert.equal(JSON.parse(confirmed.stdout).matched, 5);
  });

  test('an --out directory that already holds an export is refused, not overwritten', async () => {
    const dir = path.join(out, 'auth0');
    const before = readFileSync(path.join(dir, 'auth0-users-0001.json'));
    const result = await runCli(['export', '--target', 'auth0', '--out', dir, '--url', await server.url(), '--token', server.adminToken]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /already exists/);
    assert.deepEqual(readFileSync(path.join(dir, 'auth0-users-0001.json')), before);
  });

  test('an authenticator app sealed under another CUTOVER_SECRET is listed as not exported; the export goes on', async () => {
    const stale = { id: (await importHookUsers(server, [{ id: 'stale', email: 'stale@example.com', path: 'reset' }])).stale! };
    await enrolHookUser(server, stale.id, { totp: false });
    await server.query('INSERT INTO totp_credentials (user_id, secret) VALUES ($1, $2)', [stale.id, new SecretBox('another-secret-of-at-least-32-characters!').encrypt('JBSWY3DPEHPK3PXP', `user:${stale.id}`)]);
    const summary = ndjson((await get('keycloak')).body as string).at(-1)!.summary;
    assert.equal(summary.completed, true);
    assert.ok(summary.refusals.some((r: { user_id: string; credential: string; reason: string }) => r.user_id === stale.id && r.credential === 'totp' && /does not open/.test(r.reason)));
  });
});
