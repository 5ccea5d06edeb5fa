import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import argon2 from 'argon2';
import { generate } from 'otplib';
import { z } from 'zod';
import { verifyTotpCode } from '../../identity/totp.ts';
import { zitadelWriter } from './zitadel.ts';
import { context, SAMPLE_PASSWORD, samplePasskey, sampleUser } from './sample-user.test-helper.ts';

/*
 * ZITADEL's AddHumanUser (POST /v2/users/human), from its API definition:
 * https://github.com/zitadel/zitadel/blob/main/proto/zitadel/user/v2/user_service.proto (AddHumanUserRequest:
 * user_id, username, organization, profile (required), email (required), phone, metadata, password | hashed_password,
 * idp_links, totp_secret), user.proto (SetHumanProfile: given_name and family_name required, 1–200; display_name;
 * preferred_language ≤ 10), email.proto (SetHumanEmail: email + one of send_code, return_code, is_verified),
 * password.proto (HashedPassword: hash ≤ 200, "Modular Crypt Format"; change_required). JSON names lowerCamelCase.
 * Objects are strict: a field ZITADEL does not define fails the test.
 */
const name = z.string().min(1).max(200);
const addHumanUser = z.strictObject({
  userId: z.string().min(1).max(200).optional(),
  username: z.string().min(1).max(200).optional(),
  profile: z.strictObject({ givenName: name, familyName: name, nickName: z.string().max(200).optional(), displayName: z.string().max(200).optional(), preferredLanguage: z.string().max(10).optional() }),
  email: z.strictObject({ email: z.email().max(200), isVerified: z.boolean().optional() }),
  metadata: z.array(z.strictObject({ key: z.string().min(1).max(200), value: z.base64().min(1) })).optional(),
  hashedPassword: z.strictObject({ hash: z.string().min(1).max(200), changeRequired: z.boolean().optional() }).optional(),
  totpSecret: z.string().min(1).max(200).optional(),
});

describe('ZITADEL writer', () => {
  test('one AddHumanUser body a line, in the documented shape', async () => {
    assert.deepEqual(zitadelWriter.files, { users: { form: 'json-lines', confirmBy: { field: 'userId', kind: 'user_id' } } });
    const user = await sampleUser();
    const { records, refusals } = zitadelWriter.write(user, context());
    assert.deepEqual(records.map((r) => r.file), ['users']);
    const body = addHumanUser.parse(records[0]!.record);
    assert.equal(body.userId, user.id);
    assert.deepEqual(body.profile, { givenName: 'Ada', familyName: 'Lovelace', displayName: 'Ada Lovelace', preferredLanguage: 'en-GB' });
    assert.deepEqual(body.email, { email: 'ada@example.com', isVerified: true });
    assert.equal(Buffer.from(body.metadata![0]!.value, 'base64').toString(), user.legacyId);
    assert.deepEqual(refusals, []);
  });

  test('argon2 round trip: hashedPassword.hash is the modular-crypt $argon2id$ string and verifies the password', async () => {
    const user = await sampleUser();
    const body = addHumanUser.parse(zitadelWriter.write(user, context()).records[0]!.record);
    const hash = body.hashedPassword!.hash;
    assert.match(hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/);
    assert.equal(await argon2.verify(hash, SAMPLE_PASSWORD), true);
    assert.equal(await argon2.verify(hash, `${SAMPLE_PASSWORD}!`), false);
  });

  test('TOTP round trip: a code from totpSecret is one cutover accepts', async () => {
    const user = await sampleUser();
    const body = addHumanUser.parse(zitadelWriter.write(user, context()).records[0]!.record);
    assert.match(body.totpSecret!, /^[A-Z2-7]+$/, 'unpadded RFC 4648 Base32');
    assert.notEqual(await verifyTotpCode(user.totpSecretBase32!, await generate({ secret: body.totpSecret! }), null), null);
  });

  test('passkeys are refused with the reason (no import in ZITADEL); one under another RP ID says so', async () => {
    const user = await sampleUser();
    const here = samplePasskey(user.id);
    const foreign = samplePasskey(user.id, 'es256', 'migrate.example.com');
    user.passkeys = [here.passkey, foreign.passkey];
    const { records, refusals } = zitadelWriter.write(user, context());
    assert.equal(records.length, 1);
    assert.deepEqual(refusals.map((r) => r.credential), ['passkey', 'passkey']);
    assert.match(refusals.find((r) => r.reason.includes(here.passkey.credentialId))!.reason, /ZITADEL has no passkey import/);
    assert.match(refusals.find((r) => r.reason.includes(foreign.passkey.credentialId))!.reason, /RP ID "migrate\.example\.com" and ZITADEL uses "example\.com"/);
    const omitted = zitadelWriter.write(user, context({ omit: new Set(['totp']) }));
    assert.equal(addHumanUser.parse(omitted.records[0]!.record).totpSecret, undefined);
    assert.ok(omitted.refusals.some((r) => r.credential === 'totp' && /left out on request/.test(r.reason)));
  });

  test('required names are filled where cutover has none; no email or a disabled user is refused, not dropped', async () => {
    const bare = await sampleUser({ name: null, givenName: null, familyName: null, locale: null, emailVerified: false, passwordHash: null, totpSecretBase32: null });
    const body = addHumanUser.parse(zitadelWriter.write(bare, context()).records[0]!.record);
    assert.deepEqual(body.profile, { givenName: 'ada', familyName: '-' });
    assert.equal(body.email.isVerified, false);
    assert.equal(body.hashedPassword, undefined);
    for (const user of [await sampleUser({ email: null }), await sampleUser({ state: 'disabled' })]) {
      const result = zitadelWriter.write(user, context());
      assert.deepEqual(result.records, []);
      assert.equal(result.refusals.length, 1);
      assert.equal(result.refusals[0]!.credential, 'user');
    }
  });
});
