import assert from 'node:assert/strict';
import { createPublicKey, verify } from 'node:crypto';
import { describe, test } from 'node:test';
import argon2 from 'argon2';
import { generate } from 'otplib';
import { z } from 'zod';
import { coseToPem } from '../cose-key.ts';
import { verifyTotpCode } from '../../identity/totp.ts';
import { kratosWriter } from './kratos.ts';
import { context, RP_ID, SAMPLE_PASSWORD, sampleAssertion, samplePasskey, sampleUser } from './sample-user.test-helper.ts';

/*
 * The shapes Kratos reads, from its own sources:
 * - the batch body and the credential import fields: https://github.com/ory/docs/blob/master/docs/kratos/manage-identities/25_import-user-accounts-identities.mdx
 *   (its example: {"schema_id","traits":{"email"},"credentials":{"password":{"config":{"hashed_password":"$2a$10$…"}}}}),
 *   and `PATCH /admin/identities` in the batchPatchIdentities operation ("up to 1,000 identities per request");
 * - https://github.com/ory/kratos/blob/master/identity/handler.go: CreateIdentityBody, IdentityWithCredentials,
 *   AdminIdentityImportCredentialsTOTP/PasskeyConfig; identity/identity.go BatchIdentityPatch {create, patch_id};
 * - https://github.com/ory/kratos/blob/master/identity/credentials_webauthn.go: CredentialWebAuthn (Go []byte → std base64).
 * The objects are strict: a field Kratos does not define fails the test.
 */
const b64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'standard base64');
const kratosWebAuthnCredential = z.strictObject({
  id: b64, public_key: b64, attestation_type: z.string(),
  authenticator: z.strictObject({ aaguid: b64, sign_count: z.number().int().nonnegative(), clone_warning: z.boolean() }),
  display_name: z.string(), added_at: z.iso.datetime(), is_passwordless: z.boolean(),
  flags: z.strictObject({ user_present: z.boolean(), user_verified: z.boolean(), backup_eligible: z.boolean(), backup_state: z.boolean() }).optional(),
  transport: z.array(z.string()).optional(),
});
const createIdentityBody = z.strictObject({
  schema_id: z.string(),
  external_id: z.string().optional(),
  state: z.enum(['active', 'inactive']).optional(),
  traits: z.strictObject({ email: z.email(), name: z.strictObject({ first: z.string().optional(), last: z.string().optional() }).optional() }),
  verifiable_addresses: z.array(z.strictObject({ value: z.string(), verified: z.boolean(), via: z.literal('email'), status: z.enum(['pending', 'sent', 'completed']) })).optional(),
  metadata_admin: z.record(z.string(), z.unknown()).optional(),
  credentials: z.strictObject({
    password: z.strictObject({ config: z.strictObject({ hashed_password: z.string() }) }).optional(),
    totp: z.strictObject({ config: z.strictObject({ totp_url: z.string().startsWith('otpauth://totp/') }) }).optional(),
    passkey: z.strictObject({ config: z.strictObject({ user_handle: b64, credentials: z.array(kratosWebAuthnCredential).min(1) }) }).optional(),
  }).optional(),
});
const batchIdentityPatch = z.strictObject({ create: createIdentityBody, patch_id: z.uuid().optional() });

describe('Kratos writer', () => {
  test('writes one PATCH /admin/identities entry in the documented shape, in batches of at most 1,000', async () => {
    assert.deepEqual(kratosWriter.files, { identities: { form: 'json-object', wrapKey: 'identities', maxItems: 1000, confirmBy: { field: 'patch_id', kind: 'user_id' } } });
    const user = await sampleUser();
    const { records, refusals } = kratosWriter.write(user, context());
    assert.equal(records.length, 1);
    assert.equal(records[0]!.file, 'identities');
    const entry = batchIdentityPatch.parse(records[0]!.record);
    assert.equal(entry.patch_id, user.id);
    assert.equal(entry.create.schema_id, 'default');
    assert.deepEqual(entry.create.traits, { email: 'ada@example.com', name: { first: 'Ada', last: 'Lovelace' } });
    assert.deepEqual(entry.create.verifiable_addresses, [{ value: 'ada@example.com', verified: true, via: 'email', status: 'completed' }]);
    assert.deepEqual(entry.create.metadata_admin, { cutover_id: user.id, legacy_id: user.legacyId });
    assert.deepEqual(refusals.map((r) => r.credential), ['recovery_codes']);
    assert.match(refusals[0]!.reason, /only HMACs of recovery codes/);
  });

  test('argon2 round trip: the exported hashed_password is a $argon2id$ PHC string that verifies the user\'s password', async () => {
    const user = await sampleUser();
    const entry = batchIdentityPatch.parse(kratosWriter.write(user, context()).records[0]!.record);
    const hash = entry.create.credentials!.password!.config.hashed_password;
    // The docs' example form: $argon2id$v=19$m=16,t=2,p=1$<salt>$<hash>
    const [, variant, version, params] = hash.split('$');
    assert.deepEqual([variant, version, params], ['argon2id', 'v=19', 'm=19456,t=2,p=1']);
    assert.equal(await argon2.verify(hash, SAMPLE_PASSWORD), true);
    assert.equal(await argon2.verify(hash, 'violet kettle harbor'), false);
  });

  test('TOTP round trip: a code from the exported otpauth:// URL is one cutover\'s TOTP check accepts', async () => {
    const user = await sampleUser();
    const entry = batchIdentityPatch.parse(kratosWriter.write(user, context()).records[0]!.record);
    const url = new URL(entry.create.credentials!.totp!.config.totp_url);
    assert.equal(url.protocol, 'otpauth:');
    const secret = url.searchParams.get('secret')!;
    assert.equal(url.searchParams.get('period') ?? '30', '30');
    const code = await generate({ secret });
    assert.notEqual(await verifyTotpCode(user.totpSecretBase32!, code, null), null);
    assert.equal(await verifyTotpCode(user.totpSecretBase32!, String((Number(code) + 1) % 1_000_000).padStart(6, '0'), null), null);
  });

  test('passkey: the exported public_key (COSE, std base64) verifies an assertion signature; user handle and id decode back', async () => {
    const user = await sampleUser();
    const sample = samplePasskey(user.id);
    user.passkeys = [sample.passkey];
    const entry = batchIdentityPatch.parse(kratosWriter.write(user, context()).records[0]!.record);
    const config = entry.create.credentials!.passkey!.config;
    assert.equal(Buffer.from(config.user_handle, 'base64').toString('utf8'), user.id);
    const [credential] = config.credentials;
    assert.equal(Buffer.from(credential!.id, 'base64').toString('base64url'), sample.passkey.credentialId);
    assert.equal(credential!.authenticator.sign_count, 3);
    assert.equal(Buffer.from(credential!.authenticator.aaguid, 'base64').toString('hex'), 'adce000235bcc60a648b0b25f1f05503');
    assert.equal(credential!.is_passwordless, true);
    const { signedData, signature } = sampleAssertion(sample);
    const cose = Buffer.from(credential!.public_key, 'base64');
    assert.equal(verify('sha256', signedData, createPublicKey(coseToPem(cose)), signature), true);
  });

  test('refuses, never drops: a passkey under another RP ID, and TOTP/passkeys left out with omit', async () => {
    const user = await sampleUser();
    const here = samplePasskey(user.id);
    const elsewhere = samplePasskey(user.id, 'es256', 'migrate.example.com');
    user.passkeys = [here.passkey, elsewhere.passkey];
    const mixed = kratosWriter.write(user, context());
    const entry = batchIdentityPatch.parse(mixed.records[0]!.record);
    assert.equal(entry.create.credentials!.passkey!.config.credentials.length, 1);
    const rp = mixed.refusals.find((r) => r.credential === 'passkey');
    assert.match(rp!.reason, new RegExp(`${elsewhere.passkey.credentialId} was made under RP ID "migrate\\.example\\.com" and Kratos uses "${RP_ID.replace('.', '\\.')}"`));
    assert.equal(rp!.legacyId, user.legacyId);

    const omitted = kratosWriter.write(user, context({ omit: new Set(['totp', 'passkey']) }));
    const bare = batchIdentityPatch.parse(omitted.records[0]!.record);
    assert.deepEqual(Object.keys(bare.create.credentials!), ['password']);
    assert.deepEqual(omitted.refusals.map((r) => r.credential).sort(), ['passkey', 'passkey', 'recovery_codes', 'totp']);
    assert.ok(omitted.refusals.filter((r) => r.credential !== 'recovery_codes').every((r) => /left out on request/.test(r.reason)));
  });

  test('a user without email cannot be an identity of the assumed schema: refused with the reason; a disabled one is inactive', async () => {
    const noEmail = await sampleUser({ email: null });
    const result = kratosWriter.write(noEmail, context());
    assert.deepEqual(result.records, []);
    assert.deepEqual(result.refusals.map((r) => [r.credential, r.userId]), [['user', noEmail.id]]);
    const disabled = await sampleUser({ state: 'disabled', emailVerified: false, totpSecretBase32: null, givenName: null, familyName: null });
    const entry = batchIdentityPatch.parse(kratosWriter.write(disabled, context()).records[0]!.record);
    assert.equal(entry.create.state, 'inactive');
    assert.equal(entry.create.verifiable_addresses, undefined);
    assert.deepEqual(entry.create.traits, { email: 'ada@example.com' });
  });
});
