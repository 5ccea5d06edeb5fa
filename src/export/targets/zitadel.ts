// ZITADEL: one `POST /v2/users/human` body a line (UserService.AddHumanUser, zitadel/zitadel
// proto/zitadel/user/v2/user_service.proto; JSON names as the API's OpenAPI document gives them, lowerCamelCase):
//   userId, username, profile {givenName, familyName, displayName, preferredLanguage} (both names required, 1–200
//   characters), email {email, isVerified} (required), metadata [{key, value base64}], hashedPassword {hash,
//   changeRequired} (password.proto: "Encoded hash of a password in Modular Crypt Format"), totpSecret ("RFC 6238 …
//   HMAC-SHA-1 and time-step of 30 seconds. Currently no other options are supported").
// The argon2 verifier is off by default: the instance must list argon2 among its password hasher's verifiers
// (docs/docs/concepts/architecture/secrets.md; not available on ZITADEL Cloud).
// Newer ZITADEL marks AddHumanUser deprecated in favour of CreateUser (`POST /v2/users/new`, zitadel/zitadel#11512),
// whose `human` object carries the same profile, email, hashedPassword and totpSecret; the endpoint still answers.
// Passkeys cannot be imported: the v2 API registers a passkey only through the WebAuthn ceremony
// (RegisterPasskey, then VerifyPasskeyRegistration).
import type { ExportRefusal, ExportUser } from '../export-user.ts';
import type { ExportContext, TargetWriter } from '../target-writer.ts';
import { argon2idHash, omittedReason, portablePasskeys, refusal } from './writer-refusals.ts';

const PLATFORM = 'ZITADEL';
/** ZITADEL requires a family name; cutover often holds none. The placeholder is documented in the README, "Export to your platform". */
export const ZITADEL_NO_NAME = '-';
const MAX = 200;

export const zitadelWriter: TargetWriter = {
  target: 'zitadel',
  files: { users: { form: 'json-lines', confirmBy: { field: 'userId', kind: 'user_id' } } },
  write(user: ExportUser, context: ExportContext) {
    if (!user.email) return { records: [], refusals: [refusal(user, 'user', 'AddHumanUser requires an email, and cutover holds none for this user')] };
    if (user.state === 'disabled') {
      return { records: [], refusals: [refusal(user, 'user', 'the user is disabled in cutover and AddHumanUser always creates an active user: create it by hand, then POST /v2/users/{id}/deactivate')] };
    }
    const refusals: ExportRefusal[] = [];
    const password = argon2idHash(user);
    refusals.push(...password.refusals);

    let totpSecret: string | undefined;
    if (user.totpSecretBase32) {
      if (context.omit.has('totp')) refusals.push(refusal(user, 'totp', omittedReason('totp', PLATFORM)));
      else totpSecret = user.totpSecretBase32;
    }

    const portable = portablePasskeys(user, context, PLATFORM);
    refusals.push(...portable.refusals);
    for (const passkey of portable.passkeys) {
      refusals.push(refusal(user, 'passkey', `passkey ${passkey.credentialId}: ZITADEL has no passkey import (its API registers passkeys only through the WebAuthn ceremony), so the user registers a new passkey in ZITADEL`));
    }
    // ZITADEL's v2 API has no recovery codes to import into, and cutover could not give them anyway.

    const cut = (s: string) => s.slice(0, MAX);
    const givenName = cut(user.givenName || user.name || user.email.split('@')[0] || ZITADEL_NO_NAME);
    const locale = user.locale && user.locale.length <= 10 ? { preferredLanguage: user.locale } : {};
    const record = {
      userId: user.id,
      username: cut(user.email),
      profile: { givenName, familyName: cut(user.familyName || ZITADEL_NO_NAME), ...(user.name ? { displayName: cut(user.name) } : {}), ...locale },
      email: { email: user.email, isVerified: user.emailVerified === true },
      metadata: [{ key: 'legacy_id', value: Buffer.from(user.legacyId).toString('base64') }],
      ...(password.hash ? { hashedPassword: { hash: password.hash, changeRequired: false } } : {}),
      ...(totpSecret ? { totpSecret } : {}),
    };
    return { records: [{ file: 'users', record }], refusals };
  },
};
