-- Feedback that flows in by itself (issue 14): help-desk tickets become support contacts, and mail-provider events
-- mark bounces and complaints. Both arrive as signed webhooks (src/feedback/).

-- A ticket is a contact on channel `ticket`; `source` says where a contact came from: the support page (an agent in
-- cutover, or the API) or the desk that sent it.
ALTER TABLE support_contacts DROP CONSTRAINT support_contacts_channel_check;
ALTER TABLE support_contacts ADD CONSTRAINT support_contacts_channel_check CHECK (channel IN ('phone', 'chat', 'email', 'other', 'ticket'));
ALTER TABLE support_contacts ADD COLUMN source text NOT NULL DEFAULT 'support_page';
ALTER TABLE support_contacts ADD COLUMN ticket_id text;

-- Every ticket a desk reported, once: a retried webhook finds its row and records nothing new. A ticket from an
-- address cutover does not know is desk load attributed to no user.
CREATE TABLE helpdesk_tickets (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  desk        text NOT NULL,
  ticket_id   text NOT NULL,
  outcome     text NOT NULL CHECK (outcome IN ('contact', 'not_matched', 'unattributed')),
  user_id     uuid REFERENCES users (id) ON DELETE SET NULL,
  contact_id  bigint REFERENCES support_contacts (id) ON DELETE SET NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (desk, ticket_id)
);
CREATE INDEX helpdesk_tickets_received ON helpdesk_tickets (received_at, desk);

-- A complaint (spam report) ends an invitation too.
ALTER TABLE invitations DROP CONSTRAINT invitations_state_check;
ALTER TABLE invitations ADD CONSTRAINT invitations_state_check
  CHECK (state IN ('queued', 'sending', 'sent', 'enrolled', 'expired', 'bounced', 'failed', 'cancelled', 'revoked', 'complained'));
ALTER TABLE invitations ADD COLUMN complained_at timestamptz;

CREATE OR REPLACE FUNCTION funnel_once_per_invitation(stage text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
  SELECT stage IN ('targeted', 'expired', 'bounced', 'failed', 'cancelled', 'revoked', 'complained')
$$;

-- The Message-ID cutover set on each mail it handed over, so that a provider's event finds its invitation.
CREATE TABLE invitation_mails (
  message_id    text PRIMARY KEY,
  invitation_id bigint NOT NULL,
  mail          text NOT NULL,
  recipient     text NOT NULL,
  sent_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX invitation_mails_recipient ON invitation_mails (recipient, sent_at);

-- Bounces and complaints as the providers reported them; one row per provider event (and per Mailgun token).
CREATE TABLE mail_events (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  provider      text NOT NULL,
  event_id      text NOT NULL,
  nonce         text,
  kind          text NOT NULL CHECK (kind IN ('permanent_bounce', 'transient_bounce', 'complaint')),
  recipient     text NOT NULL,
  invitation_id bigint,
  campaign_id   uuid,
  matched_by    text CHECK (matched_by IN ('message_id', 'recipient')),
  detail        text,
  occurred_at   timestamptz,
  received_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (provider, event_id)
);
CREATE UNIQUE INDEX mail_events_nonce ON mail_events (provider, nonce) WHERE nonce IS NOT NULL;
CREATE INDEX mail_events_campaign ON mail_events (campaign_id, provider, kind);
CREATE INDEX mail_events_recipient ON mail_events (recipient, received_at);

-- Addresses no mail goes to: a permanent bounce or a complaint puts one here; support can lift it, with a reason.
CREATE TABLE mail_suppressions (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email         text NOT NULL,
  reason        text NOT NULL CHECK (reason IN ('bounced', 'complained')),
  provider      text NOT NULL,
  mail_event_id bigint REFERENCES mail_events (id),
  created_at    timestamptz NOT NULL DEFAULT now(),
  lifted_at     timestamptz,
  lifted_by     text,
  lift_reason   text
);
CREATE UNIQUE INDEX mail_suppressions_active ON mail_suppressions (email) WHERE lifted_at IS NULL;
