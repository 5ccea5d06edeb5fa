// What an export knows about one user: the identity and the credentials cutover holds for them, read in one pass and
// handed to a target's writer. Each writer (src/export/targets/<target>.ts) turns it into the platform's own import
// shape, and says what it cannot take and why; nothing is dropped silently.

export const EXPORT_TARGETS = ['auth0', 'keycloak', 'kratos', 'fusionauth', 'zitadel', 'okta'] as const;
export type ExportTarget = (typeof EXPORT_TARGETS)[number];

export interface ExportPasskey {
  /** the credential ID as base64url, as the browser reported it */
  credentialId: string;
  /** the COSE_Key bytes as stored at registration */
  publicKeyCose: Buffer;
  counter: number;
  transports: string[];
  aaguid: string | null;
  backedUp: boolean;
  deviceType: string;
  /** the RP ID the passkey was made under (a NULL column means BASE_URL's host, resolved before the writer sees it) */
  rpId: string;
  /** the WebAuthn user handle it was registered with: UTF-8 of the user id for new ones, 16 raw UUID bytes for old */
  userHandle: Buffer;
  createdAt: Date;
}

export interface ExportUser {
  id: string;
  legacyId: string;
  email: string | null;
  emailVerified: boolean | null;
  name: string | null;
  givenName: string | null;
  familyName: string | null;
  locale: string | null;
  timezone: string | null;
  phone: string | null;
  state: 'pending' | 'migrated' | 'enrolled' | 'disabled';
  path: 'bulk_hash' | 'jit' | 'reset';
  /** the argon2id PHC string cutover owns, if any */
  passwordHash: string | null;
  /** the authenticator app's secret, decrypted, as unpadded RFC 4648 Base32 */
  totpSecretBase32: string | null;
  /** set when a live authenticator app's sealed secret does not open (sealed under another CUTOVER_SECRET) */
  totpUnreadable?: boolean;
  passkeys: ExportPasskey[];
  updatedAt: Date;
}

/** One thing a target could not take, for the summary: the user, what, and why. */
export interface ExportRefusal {
  userId: string;
  legacyId: string;
  credential: 'password' | 'totp' | 'passkey' | 'recovery_codes' | 'user';
  reason: string;
}
