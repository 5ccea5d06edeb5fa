import type { ExportRefusal, ExportUser } from '../export-user.ts';
import type { ExportRecord, TargetWriter } from '../target-writer.ts';
import { parseStoredPassword } from './argon2-password.ts';

/**
 * Auth0: the bulk user import (POST /api/v2/jobs/users-imports) takes a JSON array of users, files of at most
 * 500 KB ("Bulk User Import Database Schema and Examples",
 * https://auth0.com/docs/manage-users/user-migration/bulk-user-imports-database-schema-and-examples):
 * `custom_password_hash` with algorithm `argon2` and the PHC string as `hash.value` (`encoding: utf8`), `mfa_factors`
 * `[{ totp: { secret } }]` in unpadded Base32, and `user_id` (Auth0 prefixes it with `auth0|`). Passkeys cannot go in
 * the bulk file: they are Management API calls, `POST /api/v2/users/{id}/authentication-methods` with type `passkey`
 * (CreateUserAuthenticationMethodRequestContent, https://auth0.github.io/node-auth0/interfaces/index.Management.CreateUserAuthenticationMethodRequestContent.html).
 */
export const AUTH0_MAX_FILE_BYTES = 500 * 1000;

export const auth0Writer: TargetWriter = {
  target: 'auth0',
  files: {
    users: { form: 'json-array', maxBytes: AUTH0_MAX_FILE_BYTES, confirmBy: { field: 'user_id', kind: 'user_id' } },
    passkeys: { form: 'json-lines' },
  },
  write(user, context) {
    const refusals: ExportRefusal[] = [];
    const refuse = (credential: ExportRefusal['credential'], reason: string) => refusals.push({ userId: user.id, legacyId: user.legacyId, credential, reason });
    if (!user.email) {
      refuse('user', 'Auth0 database connections need an email for a bulk import, and this user has none');
      return { records: [], refusals };
    }
    const record: Record<string, unknown> = {
      user_id: user.id,
      email: user.email,
      email_verified: user.emailVerified === true,
      ...names(user),
      app_metadata: { legacy_id: user.legacyId, cutover_id: user.id },
    };
    if (user.passwordHash) {
      const parsed = parseStoredPassword(user.passwordHash);
      if (parsed.ok) record.custom_password_hash = { algorithm: 'argon2', hash: { value: parsed.phc, encoding: 'utf8' } };
      else refuse('password', parsed.reason);
    }
    if (user.totpSecretBase32 && !context.omit.has('totp')) record.mfa_factors = [{ totp: { secret: user.totpSecretBase32 } }];
    const records: ExportRecord[] = [{ file: 'users', record }];
    if (!context.omit.has('passkey')) {
      for (const passkey of user.passkeys) {
        if (passkey.rpId !== context.targetRpId) {
          refuse('passkey', `made under RP ID "${passkey.rpId}", and the target uses "${context.targetRpId}": a passkey only works under the RP ID it was made for`);
          continue;
        }
        records.push({
          file: 'passkeys',
          record: {
            method: 'POST',
            path: `/api/v2/users/${encodeURIComponent(`auth0|${user.id}`)}/authentication-methods`,
            body: {
              type: 'passkey',
              name: 'Passkey (from cutover)',
              key_id: passkey.credentialId,
              public_key: passkey.publicKeyCose.toString('base64url'),
              user_handle: passkey.userHandle.toString('base64url'),
              relying_party_identifier: passkey.rpId,
              ...(passkey.aaguid ? { aaguid: passkey.aaguid } : {}),
              transports: passkey.transports,
              credential_device_type: passkey.deviceType === 'multiDevice' ? 'multi_device' : 'single_device',
              credential_backed_up: passkey.backedUp,
            },
          },
        });
      }
    }
    return { records, refusals };
  },
};

function names(user: ExportUser): Record<string, string> {
  const out: Record<string, string> = {};
  if (user.name) out.name = user.name;
  if (user.givenName) out.given_name = user.givenName;
  if (user.familyName) out.family_name = user.familyName;
  return out;
}
