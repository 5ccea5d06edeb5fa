-- cutover's system of record. Everything durable lives here; Redis holds only what can be rebuilt from it.

CREATE TABLE users (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  legacy_id         text NOT NULL UNIQUE,
  email             text, -- required on import; a user created just in time may come without one
  email_verified    boolean,
  name              text,
  given_name        text,
  family_name       text,
  locale            text,
  timezone          text,
  phone             text,
  attributes        jsonb NOT NULL DEFAULT '{}'::jsonb,
  path              text NOT NULL CHECK (path IN ('bulk_hash', 'jit', 'reset')),
  state             text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'migrated', 'enrolled', 'disabled')),
  legacy_created_at timestamptz,
  last_login_at     timestamptz,
  -- the verifiable legacy hash from the export, until the first sign-in replaces it with argon2id. It lives on the
  -- user row so that an import writes one row per user, not two.
  legacy_hash_scheme text,
  legacy_hash       text,
  -- set when a reset-path user tried to sign in: the next wave puts them first
  refused_signin_at timestamptz,
  imported_at       timestamptz,
  migrated_at       timestamptz,
  -- fingerprint of the imported profile, so a re-import can tell updated from unchanged without comparing columns
  profile_hash      text,
  last_import_id    uuid,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_lower_key ON users (lower(email));

-- The password cutover owns (argon2id): from a rehashed legacy hash, a jit migration, or enrolment.
CREATE TABLE password_credentials (
  user_id     uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  scheme      text NOT NULL,
  encoded     text NOT NULL,
  source      text NOT NULL CHECK (source IN ('rehash', 'jit', 'enrolment')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  upgraded_at timestamptz
);

CREATE TABLE imports (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  status        text NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
  dry_run       boolean NOT NULL,
  content_type  text NOT NULL,
  options       jsonb NOT NULL,
  rows          integer NOT NULL DEFAULT 0,
  imported      integer NOT NULL DEFAULT 0,
  updated       integer NOT NULL DEFAULT 0,
  unchanged     integer NOT NULL DEFAULT 0,
  rejected      integer NOT NULL DEFAULT 0,
  bytes_read    bigint NOT NULL DEFAULT 0,
  bytes_total   bigint,
  paths         jsonb NOT NULL DEFAULT '{}'::jsonb,
  hash_formats  jsonb NOT NULL DEFAULT '{}'::jsonb,
  ignored_fields jsonb NOT NULL DEFAULT '{}'::jsonb,
  failure       text,
  created_by    text,
  started_at    timestamptz NOT NULL DEFAULT now(),
  heartbeat_at  timestamptz NOT NULL DEFAULT now(),
  finished_at   timestamptz
);

CREATE TABLE import_errors (
  import_id uuid NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
  line      integer NOT NULL,
  legacy_id text,
  field     text,
  reason    text NOT NULL
);
CREATE INDEX import_errors_import_line ON import_errors (import_id, line);

CREATE TABLE api_tokens (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name         text NOT NULL,
  role         text NOT NULL CHECK (role IN ('admin', 'comms', 'support', 'verifier')),
  token_hash   text NOT NULL UNIQUE,
  created_by   text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at   timestamptz
);

-- Each verification: the trend of legacy dependence and a user's recent attempts come from here.
CREATE TABLE verification_events (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id       uuid REFERENCES users (id) ON DELETE CASCADE,
  path          text,
  outcome       text NOT NULL,
  legacy_called boolean NOT NULL DEFAULT false,
  at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX verification_events_user_at ON verification_events (user_id, at DESC);
CREATE INDEX verification_events_at ON verification_events (at);

-- Append only: no code path updates or deletes a row.
CREATE TABLE audit_log (
  id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  actor   text NOT NULL,
  role    text,
  action  text NOT NULL,
  target  text,
  reason  text,
  ip      text,
  details jsonb NOT NULL DEFAULT '{}'::jsonb,
  at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_target ON audit_log (target, at DESC);
