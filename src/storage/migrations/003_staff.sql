-- Staff who use the console: admins, comms and support agents. Each signs in with a password and a TOTP code.

CREATE TABLE staff (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email            text NOT NULL,
  role             text NOT NULL CHECK (role IN ('admin', 'comms', 'support')),
  -- argon2id; null until the staff member completes setup
  password_hash    text,
  -- AES-256-GCM ciphertext (src/identity/secret-box.ts); written when the setup page is first opened, live once
  -- setup completes
  totp_secret      text,
  -- the last TOTP time step accepted: a code from that step or an earlier one is a replay
  totp_last_step   bigint,
  -- SHA-256 of the one-time setup token; cleared when setup completes
  setup_token_hash text UNIQUE,
  setup_expires_at timestamptz,
  failed_logins    integer NOT NULL DEFAULT 0,
  locked_until     timestamptz,
  created_by       text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  last_login_at    timestamptz,
  disabled_at      timestamptz
);
CREATE UNIQUE INDEX staff_email_lower_key ON staff (lower(email));
