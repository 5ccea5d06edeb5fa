-- Passkeys that can move (issue 13). A passkey is bound to the RP ID it was made under and to the user handle the
-- authenticator returns at sign-in; a target platform must use the same RP ID, and Keycloak finds a passkey's user by
-- its user handle read as UTF-8. So each credential records both.
--   rp_id        the RP ID at enrolment. NULL for credentials made before this migration: those were made under
--                BASE_URL's host, which the export reads from the running configuration.
--   user_handle  the WebAuthn user handle (user.id) the credential was registered with. Before this migration
--                enrolment used the 16 raw bytes of the user's UUID, so existing rows are filled with exactly those;
--                new enrolments use the UTF-8 bytes of the UUID string (36 bytes).
ALTER TABLE webauthn_credentials ADD COLUMN rp_id text;
ALTER TABLE webauthn_credentials ADD COLUMN user_handle bytea;
UPDATE webauthn_credentials SET user_handle = decode(replace(user_id::text, '-', ''), 'hex') WHERE user_handle IS NULL;
ALTER TABLE webauthn_credentials ALTER COLUMN user_handle SET NOT NULL;
