import type { ExportRefusal } from '../export-user.ts';
import type { TargetWriter } from '../target-writer.ts';

/**
 * Okta: JSON lines, each a body for `POST /api/v1/users?activate=true` (Users API, "Create a user with password
 * import inline hook", https://developer.okta.com/docs/reference/api/users/#create-user-with-password-import-inline-hook):
 * `profile` (firstName, lastName, email, login) and `credentials.password.hook.type: "default"`. Okta takes no argon2
 * hash, so the first sign-in asks cutover's Okta hook (`POST /hooks/okta/password-import`) and Okta keeps the password.
 * Okta imports no TOTP secret (only through a Custom TOTP factor Okta support enables) and no WebAuthn credential.
 * Okta's Users API has no field for our id, so confirm finds users by login (their email).
 */
export const oktaWriter: TargetWriter = {
  target: 'okta',
  files: { users: { form: 'json-lines', confirmBy: { field: 'profile.login', kind: 'login' } } },
  write(user) {
    const refusals: ExportRefusal[] = [];
    const refuse = (credential: ExportRefusal['credential'], reason: string) => refusals.push({ userId: user.id, legacyId: user.legacyId, credential, reason });
    if (!user.email) {
      refuse('user', "Okta's login is an email address by default, and this user has none");
      return { records: [], refusals };
    }
    if (user.totpSecretBase32) refuse('totp', 'Okta imports no authenticator-app secret (only a Custom TOTP factor that Okta support enables): the user enrols the app again in Okta');
    for (const passkey of user.passkeys) {
      void passkey;
      refuse('passkey', 'Okta imports no WebAuthn credential: the user enrols a passkey again in Okta');
    }
    const profile: Record<string, string> = { login: user.email, email: user.email };
    if (user.givenName) profile.firstName = user.givenName;
    if (user.familyName) profile.lastName = user.familyName;
    if (user.name) profile.displayName = user.name;
    if (user.locale) profile.locale = user.locale;
    if (user.timezone) profile.timezone = user.timezone;
    if (user.phone) profile.mobilePhone = user.phone;
    const record: Record<string, unknown> = { profile };
    // Only a user with a password has one for the hook to check; a passkey-only user is created without credentials.
    if (user.passwordHash) record.credentials = { password: { hook: { type: 'default' } } };
    return { records: [{ file: 'users', record }], refusals };
  },
};
