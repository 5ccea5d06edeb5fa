import type { ExportRefusal, ExportUser } from '../export-user.ts';
import type { TargetWriter } from '../target-writer.ts';
import { parseStoredPassword } from './argon2-password.ts';

/**
 * Keycloak: one partial-import file (`POST /admin/realms/{realm}/partialImport`, or the admin console's Partial
 * import) of `{"users": [UserRepresentation]}` whose `credentials[]` are CredentialRepresentations with
 * `secretData` and `credentialData` as JSON strings. The shapes follow Keycloak's own classes:
 * - password, argon2: Argon2PasswordHashProvider (keycloak/keycloak,
 *   crypto/default/src/main/java/org/keycloak/crypto/hash/Argon2PasswordHashProvider.java) verifies the standard
 *   Base64 of the raw hash against `secretData.value`, with `secretData.salt` (standard Base64 of the salt bytes) and
 *   `credentialData` `{hashIterations, algorithm: "argon2", additionalParameters: {type, version, hashLength, memory,
 *   parallelism}}`, each a one-element list of strings (type "id", version "1.3", Argon2Parameters.java). That is
 *   the shape Keycloak's own realm export writes (PasswordCredentialData.getAdditionalParameters); its @JsonCreator
 *   also accepts the name `algorithmData`;
 * - otp: OTPCredentialData `{subType: "totp", digits, counter, period, algorithm: "HmacSHA1", secretEncoding: "BASE32"}`;
 * - webauthn-passwordless: WebAuthnCredentialData `{aaguid, credentialId, counter, credentialPublicKey,
 *   attestationStatementFormat, transports}`, the credential id in standard Base64 and the COSE key in Base64url
 *   (CredentialPublicKeyConverter). Keycloak finds a passkey's user by its user handle read as UTF-8, so it must be
 *   the user's `id`.
 */
export const keycloakWriter: TargetWriter = {
  target: 'keycloak',
  files: { users: { form: 'json-object', wrapKey: 'users', confirmBy: { field: 'id', kind: 'user_id' } } },
  write(user, context) {
    const refusals: ExportRefusal[] = [];
    const refuse = (credential: ExportRefusal['credential'], reason: string) => refusals.push({ userId: user.id, legacyId: user.legacyId, credential, reason });
    const credentials: Record<string, unknown>[] = [];
    if (user.passwordHash) {
      const parsed = parseStoredPassword(user.passwordHash);
      if (!parsed.ok) refuse('password', parsed.reason);
      else {
        const { parts } = parsed;
        credentials.push({
          type: 'password',
          secretData: JSON.stringify({ value: parts.hash.toString('base64'), salt: parts.salt.toString('base64'), additionalParameters: {} }),
          credentialData: JSON.stringify({
            hashIterations: parts.passes,
            algorithm: 'argon2',
            additionalParameters: {
              type: ['id'], version: [parts.version === 0x13 ? '1.3' : '1.0'], hashLength: [String(parts.hash.length)],
              memory: [String(parts.memoryKiB)], parallelism: [String(parts.lanes)],
            },
          }),
        });
      }
    }
    if (user.totpSecretBase32 && !context.omit.has('totp')) {
      credentials.push({
        type: 'otp',
        userLabel: 'Authenticator app (from cutover)',
        secretData: JSON.stringify({ value: user.totpSecretBase32 }),
        credentialData: JSON.stringify({ subType: 'totp', digits: 6, counter: 0, period: 30, algorithm: 'HmacSHA1', secretEncoding: 'BASE32' }),
      });
    }
    if (!context.omit.has('passkey')) {
      for (const passkey of user.passkeys) {
        if (passkey.rpId !== context.targetRpId) {
          refuse('passkey', `made under RP ID "${passkey.rpId}", and the target uses "${context.targetRpId}": a passkey only works under the RP ID it was made for`);
          continue;
        }
        if (!passkey.userHandle.equals(Buffer.from(user.id, 'utf8'))) {
          refuse('passkey', `its user handle is ${passkey.userHandle.length} bytes that are not the UTF-8 of the user id (made before migration 013): Keycloak finds a passkey's user by the handle read as UTF-8, so it would sign in no one`);
          continue;
        }
        credentials.push({
          type: 'webauthn-passwordless',
          userLabel: 'Passkey (from cutover)',
          createdDate: passkey.createdAt.getTime(),
          secretData: '{}',
          credentialData: JSON.stringify({
            aaguid: passkey.aaguid ?? '00000000-0000-0000-0000-000000000000',
            credentialId: Buffer.from(passkey.credentialId, 'base64url').toString('base64'),
            counter: passkey.counter,
            credentialPublicKey: passkey.publicKeyCose.toString('base64url'),
            attestationStatementFormat: 'none',
            transports: passkey.transports,
          }),
        });
      }
    }
    return { records: [{ file: 'users', record: userRepresentation(user, credentials) }], refusals };
  },
};

function userRepresentation(user: ExportUser, credentials: Record<string, unknown>[]): Record<string, unknown> {
  const attributes: Record<string, string[]> = { legacy_id: [user.legacyId] };
  if (user.locale) attributes.locale = [user.locale];
  if (user.timezone) attributes.zoneinfo = [user.timezone];
  if (user.phone) attributes.phoneNumber = [user.phone];
  return {
    id: user.id,
    username: user.email ?? user.legacyId,
    ...(user.email ? { email: user.email } : {}),
    emailVerified: user.emailVerified === true,
    ...(user.givenName ? { firstName: user.givenName } : {}),
    ...(user.familyName ? { lastName: user.familyName } : {}),
    enabled: user.state !== 'disabled',
    attributes,
    credentials,
  };
}
