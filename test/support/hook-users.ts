import assert from 'node:assert/strict';
import { hashPassword } from '../../src/identity/argon2id-password.ts';
import { newTotpSecret } from '../../src/identity/totp.ts';
import { jsonl, type TestServer } from './test-server.ts';

// From Django 3.2's make_password with iterations lowered to 1000 (test/fixtures/hashes): the password is "pässwörd ✓".
export const DJANGO_PASSWORD = 'pässwörd ✓';
export const DJANGO_PBKDF2 = 'pbkdf2_sha256$1000$Z5ZgErTJq8Y3iq6ZIhgHmq$GeqkUcyWnHk010q3INEvkOxTZdbCsviQVMrTUTO50IE=';
export const NEW_PASSWORD = 'correct horse battery staple';

/**
 * The users every hook test signs in: imported through the API, then (for the enrolled ones) given the password
 * and authenticator app that re-enrolment would have stored, sealed as the enrolment service seals them.
 */
export async function importHookUsers(server: TestServer, rows: Array<Record<string, unknown>>): Promise<Record<string, string>> {
  const imported = await server.api.post('/api/v1/imports').set('authorization', `Bearer ${server.adminToken}`).set('content-type', 'application/x-ndjson').send(jsonl(rows));
  assert.equal(imported.body.imported, rows.length, JSON.stringify(imported.body.errors));
  const ids: Record<string, string> = {};
  for (const row of await server.query('SELECT id, legacy_id FROM users')) ids[row.legacy_id] = row.id;
  return ids;
}

/** Enrols a user with NEW_PASSWORD, and an authenticator app when `totp`; returns the app's Base32 secret. */
export async function enrolHookUser(server: TestServer, userId: string, { totp }: { totp: boolean }): Promise<string | null> {
  await server.query("UPDATE users SET state = 'enrolled', enrolled_method = $2, enrolled_at = now() WHERE id = $1", [userId, totp ? 'totp' : 'password']);
  await server.query("INSERT INTO password_credentials (user_id, scheme, encoded, source) VALUES ($1, 'argon2id', $2, 'enrolment')", [userId, await hashPassword(NEW_PASSWORD)]);
  if (!totp) return null;
  const secret = newTotpSecret();
  await server.query('INSERT INTO totp_credentials (user_id, secret) VALUES ($1, $2)', [userId, server.container.box.encrypt(secret, `user:${userId}`)]);
  return secret;
}
