// Ory Kratos: identities for the batch endpoint `PATCH /admin/identities`, whose body is
// `{"identities":[{"create":{…CreateIdentityBody…},"patch_id":"…"}]}`, at most 1,000 identities a request when the
// passwords are hashed (ory/docs kratos/manage-identities/25_import-user-accounts-identities.mdx and the
// batchPatchIdentities operation; ory/kratos identity/handler.go `CreateIdentityBody`, `IdentityWithCredentials`).
//
// Credentials:
// - password: `credentials.password.config.hashed_password`, the PHC string; Kratos verifies $argon2id$ itself.
// - totp: `credentials.totp.config.totp_url`, an otpauth:// URI (handler.go `AdminIdentityImportCredentialsTOTP`).
// - passkey: `credentials.passkey.config` {user_handle, credentials[]} in Kratos's CredentialWebAuthn form
//   (identity/credentials_webauthn.go), byte fields as standard base64 (Go's encoding/json for []byte).
// TOTP and passkey import exist on Kratos master (after v26.2.0, whose handler_import.go imports only password, OIDC
// and SAML); for a Kratos without them the operator sets `omit`, and they are listed as left out.
//
// The identity schema is assumed to be Kratos's quickstart one (contrib/quickstart/kratos/all-strategies): traits
// `email` (required, the identifier) and `name` {first, last}, schema id `default`. See the README, "Export to your platform".
import type { ExportPasskey, ExportRefusal, ExportUser } from '../export-user.ts';
import type { ExportContext, TargetWriter } from '../target-writer.ts';
import { totpUri } from '../../identity/totp.ts';
import { argon2idHash, omittedReason, portablePasskeys, recoveryCodesRefusal, refusal } from './writer-refusals.ts';

export const KRATOS_SCHEMA_ID = 'default';
const PLATFORM = 'Kratos';

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
/** "00000000-0000-…" → the 16 bytes, as go-webauthn keeps an AAGUID. */
const aaguidBytes = (aaguid: string | null) => Buffer.from((aaguid ?? '').replace(/-/g, '').padEnd(32, '0').slice(0, 32), 'hex');

function kratosPasskey(passkey: ExportPasskey) {
  return {
    id: b64(Buffer.from(passkey.credentialId, 'base64url')),
    public_key: b64(passkey.publicKeyCose),
    attestation_type: 'none',
    authenticator: { aaguid: b64(aaguidBytes(passkey.aaguid)), sign_count: passkey.counter, clone_warning: false },
    display_name: `passkey from cutover (${passkey.createdAt.toISOString().slice(0, 10)})`,
    added_at: passkey.createdAt.toISOString(),
    is_passwordless: true,
    // cutover's enrolment required user verification; backup eligibility follows the device type (WebAuthn §6.1 BE).
    flags: { user_present: true, user_verified: true, backup_eligible: passkey.deviceType === 'multiDevice', backup_state: passkey.backedUp },
    ...(passkey.transports.length ? { transport: passkey.transports } : {}),
  };
}

export const kratosWriter: TargetWriter = {
  target: 'kratos',
  files: { identities: { form: 'json-object', wrapKey: 'identities', maxItems: 1000, confirmBy: { field: 'patch_id', kind: 'user_id' } } },
  write(user: ExportUser, context: ExportContext) {
    const refusals: ExportRefusal[] = [];
    if (!user.email) {
      return { records: [], refusals: [refusal(user, 'user', 'the identity schema needs traits.email (the identifier), and cutover holds no email for this user')] };
    }
    const credentials: Record<string, unknown> = {};

    const password = argon2idHash(user);
    refusals.push(...password.refusals);
    if (password.hash) credentials.password = { config: { hashed_password: password.hash } };

    if (user.totpSecretBase32) {
      if (context.omit.has('totp')) refusals.push(refusal(user, 'totp', omittedReason('totp', PLATFORM)));
      else credentials.totp = { config: { totp_url: totpUri(context.targetRpId, user.email, user.totpSecretBase32) } };
    }

    const portable = portablePasskeys(user, context, PLATFORM);
    refusals.push(...portable.refusals);
    // Kratos keeps one user handle per identity's passkey credential, and finds the identity by it at sign-in.
    const handle = portable.passkeys[0]?.userHandle;
    const sameHandle = portable.passkeys.filter((p) => handle && p.userHandle.equals(handle));
    for (const other of portable.passkeys.filter((p) => !sameHandle.includes(p))) {
      refusals.push(refusal(user, 'passkey', `passkey ${other.credentialId} has another user handle than this user's first passkey, and Kratos keeps one user handle per identity`));
    }
    if (handle && sameHandle.length) credentials.passkey = { config: { user_handle: b64(handle), credentials: sameHandle.map(kratosPasskey) } };

    refusals.push(...recoveryCodesRefusal(user, PLATFORM));

    const name = user.givenName || user.familyName ? { name: { ...(user.givenName ? { first: user.givenName } : {}), ...(user.familyName ? { last: user.familyName } : {}) } } : {};
    const create = {
      schema_id: KRATOS_SCHEMA_ID,
      external_id: user.id,
      state: user.state === 'disabled' ? 'inactive' : 'active',
      traits: { email: user.email, ...name },
      ...(user.emailVerified ? { verifiable_addresses: [{ value: user.email, verified: true, via: 'email', status: 'completed' }] } : {}),
      metadata_admin: { cutover_id: user.id, legacy_id: user.legacyId },
      ...(Object.keys(credentials).length ? { credentials } : {}),
    };
    // The patch id comes back in the response, so a result can be matched to the cutover user it was for.
    return { records: [{ file: 'identities', record: { create, patch_id: user.id } }], refusals };
  },
};
