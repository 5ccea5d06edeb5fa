-- Re-enrolment: the stronger sign-in a reset-path user sets up from an invitation (a passkey, or a new password with
-- an authenticator app), their one-time recovery codes, and which mail and method each enrolment came from.
-- Credentials are never deleted: reset enrolment revokes them (revoked_at), so the support page keeps the history.

CREATE TABLE webauthn_credentials (
  -- the credential ID as base64url, as the browser reports it
  id           text PRIMARY KEY,
  user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  public_key   bytea NOT NULL,
  counter      bigint NOT NULL DEFAULT 0,
  transports   text[] NOT NULL DEFAULT '{}',
  -- singleDevice or multiDevice, and whether it is backed up (synced), from the authenticator data flags
  device_type  text NOT NULL,
  backed_up    boolean NOT NULL,
  aaguid       text,
  -- the platform it was made on, from the User-Agent: iOS, Android, Windows, macOS, Linux, ChromeOS or Other
  platform     text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at   timestamptz
);
CREATE INDEX webauthn_credentials_user ON webauthn_credentials (user_id) WHERE revoked_at IS NULL;

-- An authenticator app. The secret is AES-256-GCM ciphertext (src/identity/secret-box.ts).
CREATE TABLE totp_credentials (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  secret       text NOT NULL,
  -- the last time step accepted: a code from that step or an earlier one is a replay
  last_step    bigint,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at   timestamptz
);
CREATE UNIQUE INDEX totp_credentials_one_live ON totp_credentials (user_id) WHERE revoked_at IS NULL;

-- Ten single-use codes per enrolment, stored as HMAC-SHA-256 under a key derived from CUTOVER_SECRET.
CREATE TABLE recovery_codes (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  code_hash  text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  used_at    timestamptz,
  revoked_at timestamptz
);
CREATE INDEX recovery_codes_user ON recovery_codes (user_id) WHERE used_at IS NULL AND revoked_at IS NULL;

-- Which method and platform an invitation ended in, and which mail (invitation, reminder_1 …) the user came from.
ALTER TABLE invitations
  ADD COLUMN method        text,
  ADD COLUMN platform      text,
  ADD COLUMN converted_mail text;

-- How a user now signs in, set at enrolment: passkey or totp. Null for users who have not enrolled.
ALTER TABLE users ADD COLUMN enrolled_method text;
ALTER TABLE users ADD COLUMN enrolled_at timestamptz;
