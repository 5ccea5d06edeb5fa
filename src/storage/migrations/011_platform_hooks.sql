-- Issue 12: target platforms call cutover in their own contracts.
-- Which platform asked, on each attempt (null: a direct POST /api/v1/verify or cutover's own sign-in page).
ALTER TABLE verification_events ADD COLUMN platform text;
-- The platform that got a successful answer owns the user's password from then on.
ALTER TABLE users ADD COLUMN handed_off_at timestamptz;
ALTER TABLE users ADD COLUMN target_platform text;
CREATE INDEX users_handed_off_idx ON users (handed_off_at) WHERE handed_off_at IS NOT NULL;
CREATE INDEX users_legacy_id_lower_idx ON users (lower(legacy_id));
