// FusionAuth: two files.
// - users, for the Import Users API `POST /api/user/import` with body `{"users":[…]}` (fusionauth-site,
//   astro/src/content/docs/apis/_import-users-request-body.mdx): id, email or username, names, verified, active,
//   data, and `twoFactor.methods[{method:"authenticator", secret, authenticator:{algorithm, codeLength, timeStep}}]`
//   where `secret` is "a base64 encoded secret": the key bytes, not the Base32 text an app shows.
// - passkeys, for the Import WebAuthn Passkeys API `POST /api/webauthn/import` with body `{"credentials":[…]}`
//   (_import-webauthn-request-body.mdx): credentialId (base64url), publicKey (PEM), algorithm (COSE id),
//   relyingPartyId, userId, name, displayName, signCount, transports, … FusionAuth verifies only RS256/384/512,
//   PS256/384/512 and ES256/384/512 (reference/_webauthn-supported-algorithms.mdx), so an Ed25519 passkey is refused.
//
// No password: FusionAuth's import schemes are salted MD5/SHA-256/HMAC, PBKDF2, bcrypt and phpass, not argon2.
// These users sign in through the Generic Connector (cutover's /hooks/fusionauth/connector) instead, which FusionAuth
// consults at a user's first authentication (lifecycle/migrate-users/connectors/index.mdx, "Connector Policies").
import { ScureBase32Plugin } from 'otplib';
import type { ExportRefusal, ExportUser } from '../export-user.ts';
import type { ExportContext, TargetWriter } from '../target-writer.ts';
import { coseAlgorithm, coseToPem, UnsupportedCoseKey } from '../cose-key.ts';
import { omittedReason, portablePasskeys, recoveryCodesRefusal, refusal } from './writer-refusals.ts';

const PLATFORM = 'FusionAuth';
const FUSIONAUTH_ALGORITHMS = new Set([-257, -258, -259, -37, -38, -39, -7, -35, -36]);
export const FUSIONAUTH_PASSWORD_REASON = 'FusionAuth cannot import an argon2id hash (its import schemes are salted MD5/SHA-256/HMAC-SHA-256, PBKDF2, bcrypt and phpass): the password works there only through the Generic Connector (cutover\'s /hooks/fusionauth/connector), which FusionAuth asks at a user\'s first sign-in, not for users it already holds; leave this user out of the user import to sign in that way, or import it and have the user set a new password (see the README, "Export to your platform")';

const base32 = new ScureBase32Plugin();

export const fusionAuthWriter: TargetWriter = {
  target: 'fusionauth',
  // FusionAuth documents no request limit; parts of 10,000 keep each import request short.
  files: { users: { form: 'json-object', wrapKey: 'users', maxItems: 10_000, confirmBy: { field: 'id', kind: 'user_id' } }, passkeys: { form: 'json-object', wrapKey: 'credentials', maxItems: 10_000 } },
  write(user: ExportUser, context: ExportContext) {
    const refusals: ExportRefusal[] = [];
    if (user.passwordHash) refusals.push(refusal(user, 'password', FUSIONAUTH_PASSWORD_REASON));

    let twoFactor: object | undefined;
    if (user.totpSecretBase32) {
      if (context.omit.has('totp')) refusals.push(refusal(user, 'totp', omittedReason('totp', PLATFORM)));
      else {
        const secret = Buffer.from(base32.decode(user.totpSecretBase32)).toString('base64');
        // RFC 6238 with cutover's parameters, which are the only ones FusionAuth's authenticator method accepts.
        twoFactor = { methods: [{ method: 'authenticator', secret, authenticator: { algorithm: 'HmacSHA1', codeLength: 6, timeStep: 30 } }] };
      }
    }
    refusals.push(...recoveryCodesRefusal(user, PLATFORM));

    const optional = (key: string, value: string | null) => (value ? { [key]: value } : {});
    const records: { file: string; record: unknown }[] = [{
      file: 'users',
      record: {
        id: user.id,
        ...(user.email ? { email: user.email } : { username: user.legacyId }),
        verified: user.emailVerified === true,
        active: user.state !== 'disabled',
        ...optional('firstName', user.givenName), ...optional('lastName', user.familyName), ...optional('fullName', user.name),
        ...(user.locale ? { preferredLanguages: [user.locale] } : {}), ...optional('timezone', user.timezone), ...optional('mobilePhone', user.phone),
        ...(twoFactor ? { twoFactor } : {}),
        data: { legacy_id: user.legacyId },
      },
    }];

    const portable = portablePasskeys(user, context, PLATFORM);
    refusals.push(...portable.refusals);
    for (const passkey of portable.passkeys) {
      let algorithm: number;
      let publicKey: string;
      try {
        algorithm = coseAlgorithm(passkey.publicKeyCose);
        publicKey = coseToPem(passkey.publicKeyCose);
      } catch (error) {
        if (!(error instanceof UnsupportedCoseKey)) throw error;
        refusals.push(refusal(user, 'passkey', `passkey ${passkey.credentialId}: ${error.message}`));
        continue;
      }
      if (!FUSIONAUTH_ALGORITHMS.has(algorithm)) {
        refusals.push(refusal(user, 'passkey', `passkey ${passkey.credentialId} uses COSE algorithm ${algorithm}, which FusionAuth does not verify (it takes RS256/384/512, PS256/384/512 and ES256/384/512)`));
        continue;
      }
      records.push({
        file: 'passkeys',
        record: {
          algorithm,
          attestationType: 'none',
          authenticatorSupportsUserVerification: true,
          credentialId: passkey.credentialId,
          // FusionAuth's import takes no user handle; it is kept here so the operator can see which one the authenticator holds.
          data: { cutover_user_handle: passkey.userHandle.toString('base64url') },
          displayName: user.email ?? user.name ?? user.legacyId,
          insertInstant: passkey.createdAt.getTime(),
          name: `cutover ${passkey.credentialId.slice(0, 12)}`,
          publicKey,
          relyingPartyId: passkey.rpId,
          signCount: passkey.counter,
          transports: passkey.transports,
          userId: user.id,
        },
      });
    }
    return { records, refusals };
  },
};
