import assert from 'node:assert/strict';
import { createHmac, createPublicKey, verify } from 'node:crypto';
import { describe, test } from 'node:test';
import { generate, ScureBase32Plugin } from 'otplib';
import { z } from 'zod';
import { coseToJwk } from '../cose-key.ts';
import { verifyTotpCode } from '../../identity/totp.ts';
import { FUSIONAUTH_PASSWORD_REASON, fusionAuthWriter } from './fusionauth.ts';
import { context, sampleAssertion, samplePasskey, sampleUser } from './sample-user.test-helper.ts';

/*
 * FusionAuth's documented request bodies (fusionauth-site, astro/src/content/docs/apis/):
 * - Import Users, POST /api/user/import, `users[x].*`: https://fusionauth.io/docs/apis/users#import-users
 *   (_import-users-request-body.mdx): twoFactor.methods[x].method "authenticator", .secret "A base64 encoded secret",
 *   .authenticator.algorithm "must be HmacSHA1", .codeLength "must be 6", .timeStep "must be 30".
 * - Import Passkeys, POST /api/webauthn/import, `credentials[x].*`: https://fusionauth.io/docs/apis/webauthn#import-passkeys
 *   (_import-webauthn-request-body.mdx); required: algorithm, credentialId (base64url), displayName, name, publicKey
 *   ("encoded in PEM format"), relyingPartyId, userId. Supported algorithms: reference/_webauthn-supported-algorithms.mdx.
 * Objects are strict: a field FusionAuth does not document fails the test.
 */
const importUser = z.strictObject({
  id: z.uuid(), email: z.email().optional(), username: z.string().optional(),
  verified: z.boolean(), active: z.boolean(),
  firstName: z.string().optional(), lastName: z.string().optional(), fullName: z.string().optional(),
  preferredLanguages: z.array(z.string()).optional(), timezone: z.string().optional(), mobilePhone: z.string().optional(),
  data: z.record(z.string(), z.unknown()).optional(),
  twoFactor: z.strictObject({
    methods: z.array(z.strictObject({
      method: z.literal('authenticator'), secret: z.base64(),
      authenticator: z.strictObject({ algorithm: z.literal('HmacSHA1'), codeLength: z.literal(6), timeStep: z.literal(30) }),
    })),
  }).optional(),
});
const importPasskey = z.strictObject({
  algorithm: z.union([-257, -258, -259, -37, -38, -39, -7, -35, -36].map((n) => z.literal(n))),
  attestationType: z.enum(['anonymization-ca', 'attestation-ca', 'basic', 'none', 'self']).optional(),
  authenticatorSupportsUserVerification: z.boolean().optional(),
  credentialId: z.base64url(), data: z.record(z.string(), z.unknown()).optional(), discoverable: z.boolean().optional(),
  displayName: z.string().min(1), insertInstant: z.number().int().optional(), name: z.string().min(1),
  publicKey: z.string().regex(/^-----BEGIN PUBLIC KEY-----\n[A-Za-z0-9+/=\n]+-----END PUBLIC KEY-----\n$/), relyingPartyId: z.string().min(1),
  signCount: z.number().int().nonnegative().optional(), transports: z.array(z.string()).optional(), userAgent: z.string().optional(), userId: z.uuid(),
});

/** RFC 6238 TOTP (SHA-1, 6 digits, 30 s) from raw key bytes, as FusionAuth computes it from the base64 secret. */
function totpFromKeyBytes(key: Buffer, now = Date.now()): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(now / 1000 / 30)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[19]! & 0x0f;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

describe('FusionAuth writer', () => {
  test('a user for POST /api/user/import in the documented shape; no password, refused with the Generic Connector reason', async () => {
    assert.deepEqual(Object.keys(fusionAuthWriter.files), ['users', 'passkeys']);
    assert.deepEqual(fusionAuthWriter.files.users, { form: 'json-object', wrapKey: 'users', maxItems: 10_000, confirmBy: { field: 'id', kind: 'user_id' } });
    assert.equal(fusionAuthWriter.files.passkeys!.wrapKey, 'credentials');
    const user = await sampleUser();
    const { records, refusals } = fusionAuthWriter.write(user, context());
    assert.deepEqual(records.map((r) => r.file), ['users']);
    const record = importUser.parse(records[0]!.record);
    assert.equal(record.id, user.id);
    assert.deepEqual([record.email, record.verified, record.active, record.firstName, record.lastName], ['ada@example.com', true, true, 'Ada', 'Lovelace']);
    assert.deepEqual(record.data, { legacy_id: user.legacyId });
    assert.equal('password' in (records[0]!.record as object), false);
    assert.deepEqual(refusals.map((r) => r.credential), ['password', 'recovery_codes']);
    assert.equal(refusals[0]!.reason, FUSIONAUTH_PASSWORD_REASON);
    assert.match(refusals[0]!.reason, /Generic Connector/);
    assert.match(refusals[1]!.reason, /only HMACs of recovery codes, so they cannot be exported/);
  });

  test('TOTP round trip: the secret is base64 of the key bytes, and their RFC 6238 code is one cutover accepts', async () => {
    const user = await sampleUser();
    const record = importUser.parse(fusionAuthWriter.write(user, context()).records[0]!.record);
    const key = Buffer.from(record.twoFactor!.methods[0]!.secret, 'base64');
    assert.equal(key.length, 20, '160-bit secret, not the 32-character Base32 text');
    const now = Date.now();
    const code = totpFromKeyBytes(key, now);
    // otplib, given the same key bytes, computes the same code.
    assert.equal(await generate({ secret: new ScureBase32Plugin().encode(key), epoch: Math.floor(now / 1000) }), code);
    assert.notEqual(await verifyTotpCode(user.totpSecretBase32!, code, null), null);
    assert.equal(await verifyTotpCode(user.totpSecretBase32!, totpFromKeyBytes(Buffer.alloc(20, 1)), null), null);
  });

  test('passkeys go to the second file with a PEM public key that verifies an assertion signature', async () => {
    const user = await sampleUser();
    const sample = samplePasskey(user.id);
    user.passkeys = [sample.passkey];
    const { records } = fusionAuthWriter.write(user, context());
    const passkeys = records.filter((r) => r.file === 'passkeys').map((r) => importPasskey.parse(r.record));
    assert.equal(passkeys.length, 1);
    const [passkey] = passkeys;
    assert.deepEqual([passkey!.algorithm, passkey!.credentialId, passkey!.relyingPartyId, passkey!.userId, passkey!.signCount], [-7, sample.passkey.credentialId, 'example.com', user.id, 3]);
    const { signedData, signature } = sampleAssertion(sample);
    assert.equal(verify('sha256', signedData, passkey!.publicKey, signature), true);
    assert.equal(verify('sha256', Buffer.concat([signedData, Buffer.from([0])]), passkey!.publicKey, signature), false);
    // The same key through COSE → JWK.
    assert.equal(verify('sha256', signedData, createPublicKey({ key: coseToJwk(sample.passkey.publicKeyCose), format: 'jwk' }), signature), true);
  });

  test('refuses, never drops: Ed25519 (FusionAuth verifies no EdDSA), another RP ID, and omitted kinds', async () => {
    const user = await sampleUser();
    const ed = samplePasskey(user.id, 'ed25519');
    const foreign = samplePasskey(user.id, 'es256', 'migrate.example.com');
    const good = samplePasskey(user.id);
    user.passkeys = [ed.passkey, foreign.passkey, good.passkey];
    const { records, refusals } = fusionAuthWriter.write(user, context());
    assert.deepEqual(records.filter((r) => r.file === 'passkeys').map((r) => (r.record as { credentialId: string }).credentialId), [good.passkey.credentialId]);
    const passkeyReasons = refusals.filter((r) => r.credential === 'passkey').map((r) => r.reason);
    assert.equal(passkeyReasons.length, 2);
    assert.ok(passkeyReasons.some((r) => r.includes(ed.passkey.credentialId) && /COSE algorithm -8, which FusionAuth does not verify/.test(r)));
    assert.ok(passkeyReasons.some((r) => r.includes(foreign.passkey.credentialId) && /RP ID "migrate\.example\.com" and FusionAuth uses "example\.com"/.test(r)));

    const omitted = fusionAuthWriter.write(user, context({ omit: new Set(['totp', 'passkey']) }));
    assert.deepEqual(omitted.records.map((r) => r.file), ['users']);
    assert.equal(importUser.parse(omitted.records[0]!.record).twoFactor, undefined);
    assert.equal(omitted.refusals.filter((r) => /left out on request/.test(r.reason)).length, 4); // totp + 3 passkeys
  });

  test('a user without email is imported by username (legacy id); a disabled one is inactive', async () => {
    const user = await sampleUser({ email: null, emailVerified: null, state: 'disabled', passwordHash: null, totpSecretBase32: null });
    const { records, refusals } = fusionAuthWriter.write(user, context());
    const record = importUser.parse(records[0]!.record);
    assert.deepEqual([record.email, record.username, record.verified, record.active], [undefined, user.legacyId, false, false]);
    assert.deepEqual(refusals, []);
  });
});
