-- Reset campaigns: waves of invitations, paced to the help desk's capacity.

CREATE TABLE campaigns (
  id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name                  text NOT NULL,
  locale                text NOT NULL DEFAULT 'en',
  link_ttl_hours        integer NOT NULL CHECK (link_ttl_hours > 0),
  reminders_after_hours integer[] NOT NULL DEFAULT '{}',
  methods               text[] NOT NULL,
  max_per_hour          integer CHECK (max_per_hour > 0),
  -- {capacity_per_hour, contact_rate, timezone, hours: [{days, start, end}]}
  helpdesk              jsonb NOT NULL,
  state                 text NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'cancelled')),
  created_by            text,
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE waves (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  campaign_id  uuid NOT NULL REFERENCES campaigns (id),
  name         text NOT NULL,
  cohort       jsonb NOT NULL,
  size         integer,
  start_at     timestamptz NOT NULL,
  state        text NOT NULL DEFAULT 'scheduled' CHECK (state IN ('scheduled', 'running', 'paused', 'completed', 'cancelled')),
  targeted     integer NOT NULL DEFAULT 0,
  warnings     jsonb NOT NULL DEFAULT '[]'::jsonb,
  created_by   text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  started_at   timestamptz,
  paused_at    timestamptz,
  completed_at timestamptz,
  cancelled_at timestamptz
);
CREATE INDEX waves_campaign ON waves (campaign_id, created_at);
CREATE INDEX waves_active ON waves (state) WHERE state IN ('scheduled', 'running');

-- One invitation per (wave, user); a user holds at most one live invitation.
CREATE TABLE invitations (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- No foreign keys here: a wave writes up to millions of rows in one statement, and three key checks per row were
  -- half its time (32 s → 16 s for 1M). Waves and campaigns are never deleted and the wave service writes their ids
  -- from rows it has just read; whatever deletes a user must delete their invitations too.
  wave_id          uuid NOT NULL,
  campaign_id      uuid NOT NULL,
  user_id          uuid NOT NULL,
  rank             integer NOT NULL,
  -- queued: waits for the dispatcher; sending: released to the send queue; sent: mail accepted, link live;
  -- then exactly one end: enrolled, expired, bounced, failed, cancelled (withdrawn before sending), revoked.
  state            text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sending', 'sent', 'enrolled', 'expired', 'bounced', 'failed', 'cancelled', 'revoked')),
  -- what the send queue holds for it now: the invitation itself, or reminder n
  pending_mail     text,
  pending_since    timestamptz,
  not_before       timestamptz,
  attempts         integer NOT NULL DEFAULT 0,
  last_error       text,
  reminders_sent   integer NOT NULL DEFAULT 0,
  next_reminder_at timestamptz,
  expires_at       timestamptz,
  sent_at          timestamptz,
  last_mail_at     timestamptz,
  clicked_at       timestamptz,
  started_at       timestamptz,
  enrolled_at      timestamptz,
  verified_at      timestamptz,
  expired_at       timestamptz,
  bounced_at       timestamptz,
  failed_at        timestamptz,
  cancelled_at     timestamptz,
  revoked_at       timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (wave_id, user_id)
);
CREATE UNIQUE INDEX invitations_one_live_per_user ON invitations (user_id) WHERE state IN ('queued', 'sending', 'sent');
CREATE INDEX invitations_queued ON invitations (wave_id, rank) WHERE state = 'queued';
CREATE INDEX invitations_reminders ON invitations (campaign_id, next_reminder_at) WHERE state = 'sent' AND next_reminder_at IS NOT NULL;
CREATE INDEX invitations_expiry ON invitations (expires_at) WHERE state = 'sent';
CREATE INDEX invitations_sending ON invitations (wave_id) WHERE state = 'sending';
CREATE INDEX invitations_pending_mail ON invitations (id) WHERE pending_mail IS NOT NULL;
CREATE INDEX invitations_campaign_sent ON invitations (campaign_id, sent_at) WHERE sent_at IS NOT NULL;

-- Every link ever mailed for an invitation; any of them opens it while it is live. Only hashes are stored.
CREATE TABLE invitation_tokens (
  token_hash    text PRIMARY KEY,
  invitation_id bigint NOT NULL REFERENCES invitations (id) ON DELETE CASCADE,
  mail          text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX invitation_tokens_invitation ON invitation_tokens (invitation_id);

-- Append only: every stage and outcome, written in the same transaction as the change that causes it.
CREATE TABLE funnel_events (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  stage         text NOT NULL,
  user_id       uuid,
  invitation_id bigint,
  wave_id       uuid,
  campaign_id   uuid,
  method        text,
  mail          text,
  detail        jsonb,
  at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX funnel_events_campaign ON funnel_events (campaign_id, stage, at);
CREATE INDEX funnel_events_wave ON funnel_events (wave_id, stage);
CREATE INDEX funnel_events_user ON funnel_events (user_id, at);

CREATE TABLE support_contacts (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  campaign_id   uuid REFERENCES campaigns (id),
  invitation_id bigint REFERENCES invitations (id),
  channel       text NOT NULL CHECK (channel IN ('phone', 'chat', 'email', 'other')),
  note          text,
  actor         text NOT NULL,
  at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX support_contacts_campaign_at ON support_contacts (campaign_id, at);
CREATE INDEX support_contacts_user ON support_contacts (user_id, at);
