-- Funnel rollups: counters kept beside the append-only funnel_events, so that a campaign's funnel is read from a few
-- thousand rows rather than counted over millions of events. They are written by one statement-level trigger, in the
-- transaction that writes the events, and can be rebuilt from the events at any time (funnel_rollup_rebuild()).
-- How they stay right under concurrent writers: docs/benchmarks.md, "How the funnel rollups stay correct".

-- One row per campaign, wave, stage, UTC day and the dimensions the funnel splits by ('' when an event has none).
CREATE TABLE funnel_rollup (
  campaign_id    uuid NOT NULL,
  -- the nil uuid for an event outside any wave (a help-desk contact with no invitation)
  wave_id        uuid NOT NULL,
  stage          text NOT NULL,
  day            date NOT NULL,
  locale         text NOT NULL,
  method         text NOT NULL,
  mail           text NOT NULL,
  platform       text NOT NULL,
  -- every event; the events that were the user's first of this stage in the wave; and in the campaign
  events         bigint NOT NULL,
  wave_users     bigint NOT NULL,
  campaign_users bigint NOT NULL,
  PRIMARY KEY (campaign_id, wave_id, stage, day, locale, method, mail, platform)
);
CREATE INDEX funnel_rollup_wave ON funnel_rollup (wave_id);

-- Time from the invitation's send to enrolment, in tenths of an hour (6-minute buckets), for the percentiles.
CREATE TABLE funnel_enrol_hours (
  campaign_id uuid NOT NULL,
  wave_id     uuid NOT NULL,
  tenths      integer NOT NULL,
  users       bigint NOT NULL,
  PRIMARY KEY (campaign_id, wave_id, tenths)
);

-- Stages that happen at most once per invitation (its state machine moves through them once), so a wave-level
-- "first for this user" needs no lookup. Wave creation writes up to 1,000,000 `targeted` rows in one statement.
CREATE FUNCTION funnel_once_per_invitation(stage text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
  SELECT stage IN ('targeted', 'expired', 'bounced', 'failed', 'cancelled', 'revoked')
$$;

-- Settings for this function only: a large statement groups in a hash table in memory (sorting 1,000,000 rows
-- spilled to disk and cost 2-3 s), and JIT compiling the plan cost 0.6 s more than it saved.
CREATE FUNCTION funnel_rollup_insert() RETURNS trigger LANGUAGE plpgsql
  SET work_mem = '128MB' SET enable_sort = off SET jit = off AS $$
DECLARE
  summary jsonb;
  repeatable bigint;
  enrolled boolean;
  only_targeted boolean;
  own xid;
BEGIN
  -- One pass over the new rows, grouped by what all of a wave creation's rows share: campaign, wave, stage and time.
  SELECT jsonb_agg(g) INTO summary FROM (
    SELECT campaign_id, coalesce(wave_id, '00000000-0000-0000-0000-000000000000') AS wave_id, stage, at, count(*) AS n
    FROM new_rows WHERE campaign_id IS NOT NULL GROUP BY 1, 2, 3, 4) g;
  IF summary IS NULL THEN RETURN NULL; END IF;
  SELECT coalesce(sum(n) FILTER (WHERE NOT funnel_once_per_invitation(stage)), 0), bool_or(stage = 'enrolled'), bool_and(stage = 'targeted')
    INTO repeatable, enrolled, only_targeted FROM jsonb_to_recordset(summary) AS g(stage text, n bigint);

  -- Wave creation (up to 1,000,000 `targeted` rows): counted from the summary, with no lookup per row. Each user is
  -- new to the wave; to the campaign too, unless they hold an invitation from another of its waves (looked up only
  -- when the campaign has another wave).
  IF only_targeted THEN
    INSERT INTO funnel_rollup AS r (campaign_id, wave_id, stage, day, locale, method, mail, platform, events, wave_users, campaign_users)
    SELECT g.campaign_id, g.wave_id, 'targeted', (g.at AT TIME ZONE 'UTC')::date, '', '', '', '', sum(g.n), sum(g.n), sum(g.n - seen.n)
    FROM jsonb_to_recordset(summary) AS g(campaign_id uuid, wave_id uuid, at timestamptz, n bigint)
    CROSS JOIN LATERAL (
      SELECT count(*) AS n FROM new_rows x
      WHERE g.campaign_id IN (SELECT campaign_id FROM waves GROUP BY 1 HAVING count(*) > 1)
        AND x.campaign_id = g.campaign_id AND x.at = g.at AND coalesce(x.wave_id, '00000000-0000-0000-0000-000000000000') = g.wave_id
        AND EXISTS (SELECT 1 FROM invitations i WHERE i.user_id = x.user_id AND i.campaign_id = x.campaign_id AND i.wave_id <> g.wave_id)
    ) seen
    GROUP BY 1, 2, 4 ORDER BY 1, 2, 4
    ON CONFLICT (campaign_id, wave_id, stage, day, locale, method, mail, platform) DO UPDATE
      SET events = r.events + excluded.events, wave_users = r.wave_users + excluded.wave_users,
          campaign_users = r.campaign_users + excluded.campaign_users;
    RETURN NULL;
  END IF;

  -- Writers of the same user's repeatable events (sent, clicked, reminded, contacted_support …) take turns, so that
  -- "is this the user's first X" is answered after the other writer has committed, never by both at once: a lock per
  -- user, under a shared lock on the campaign. A statement with more than 1,000 such events locks its campaigns
  -- exclusively instead (a million user locks would not fit in the lock table). Locks are taken in key order.
  IF repeatable > 1000 THEN
    PERFORM pg_advisory_xact_lock(74219007, k)
    FROM (SELECT DISTINCT hashtext(campaign_id::text) AS k FROM new_rows WHERE campaign_id IS NOT NULL ORDER BY 1) keys;
  ELSIF repeatable > 0 THEN
    PERFORM pg_advisory_xact_lock_shared(74219007, k)
    FROM (SELECT DISTINCT hashtext(campaign_id::text) AS k FROM new_rows WHERE campaign_id IS NOT NULL ORDER BY 1) keys;
    PERFORM pg_advisory_xact_lock(74219006, k)
    FROM (SELECT DISTINCT hashtext(user_id::text) AS k FROM new_rows
          WHERE user_id IS NOT NULL AND campaign_id IS NOT NULL AND NOT funnel_once_per_invitation(stage) ORDER BY 1) keys;
  END IF;

  -- An earlier event is one of this statement's with a lower id, or any other visible one: another transaction's
  -- may have a lower or a higher id than ours (ids are taken before the lock), but it committed first.
  SELECT e.xmin INTO own FROM funnel_events e WHERE e.id = (SELECT min(id) FROM new_rows);

  INSERT INTO funnel_rollup AS r (campaign_id, wave_id, stage, day, locale, method, mail, platform, events, wave_users, campaign_users)
  WITH flagged AS (
    SELECT n.campaign_id, coalesce(n.wave_id, '00000000-0000-0000-0000-000000000000') AS wave_id, n.stage,
      (n.at AT TIME ZONE 'UTC')::date AS day,
      -- The user's locale, except on `targeted`: looking up a million users at wave creation cost 1.5-2 s of its
      -- 30-second budget, so the locale split starts at `sent` (one row at a time, from the send jobs).
      CASE WHEN n.stage = 'targeted' THEN '' ELSE coalesce((SELECT u.locale FROM users u WHERE u.id = n.user_id), '') END AS locale,
      coalesce(n.method, '') AS method,
      coalesce(n.mail, '') AS mail, coalesce(n.detail ->> 'platform', '') AS platform,
      -- The lookups go by user (a handful of events each): IS NOT DISTINCT FROM keeps the planner off the wave and
      -- campaign indexes, where one lookup would walk every event of the wave.
      funnel_once_per_invitation(n.stage) OR NOT EXISTS (
        SELECT 1 FROM funnel_events e
        WHERE e.user_id = n.user_id AND e.id <> n.id AND (e.id < n.id OR e.xmin <> own) AND e.stage = n.stage
          AND e.wave_id IS NOT DISTINCT FROM n.wave_id) AS wave_first,
      -- a once-per-invitation stage is the user's first in the campaign too while the campaign has one wave
      (funnel_once_per_invitation(n.stage) AND n.campaign_id NOT IN (SELECT campaign_id FROM waves GROUP BY 1 HAVING count(*) > 1))
      OR NOT EXISTS (
        SELECT 1 FROM funnel_events e
        WHERE e.user_id = n.user_id AND e.id <> n.id AND (e.id < n.id OR e.xmin <> own) AND e.stage = n.stage
          AND e.campaign_id IS NOT DISTINCT FROM n.campaign_id) AS campaign_first
    FROM new_rows n
    WHERE n.campaign_id IS NOT NULL
  ), grouped AS MATERIALIZED ( -- grouped by hashing; only the few groups are sorted
    SELECT campaign_id, wave_id, stage, day, locale, method, mail, platform,
      count(*) AS events, count(*) FILTER (WHERE wave_first) AS wave_users, count(*) FILTER (WHERE campaign_first) AS campaign_users
    FROM flagged GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
  )
  SELECT * FROM grouped
  ORDER BY 1, 2, 3, 4, 5, 6, 7, 8 -- one lock order for every writer: no deadlock between two of them
  ON CONFLICT (campaign_id, wave_id, stage, day, locale, method, mail, platform) DO UPDATE
    SET events = r.events + excluded.events, wave_users = r.wave_users + excluded.wave_users,
        campaign_users = r.campaign_users + excluded.campaign_users;

  IF enrolled THEN
    INSERT INTO funnel_enrol_hours AS h (campaign_id, wave_id, tenths, users)
    SELECT n.campaign_id, n.wave_id, greatest(0, floor(extract(epoch FROM n.at - i.sent_at) / 360))::integer, count(*)
    FROM new_rows n JOIN invitations i ON i.id = n.invitation_id
    WHERE n.stage = 'enrolled' AND n.campaign_id IS NOT NULL AND n.wave_id IS NOT NULL AND i.sent_at IS NOT NULL
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (campaign_id, wave_id, tenths) DO UPDATE SET users = h.users + excluded.users;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER funnel_events_rollup AFTER INSERT ON funnel_events
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION funnel_rollup_insert();

-- Recomputes both rollups from the events: for the migration below, and to repair or check them. New events wait
-- (SHARE lock) until it commits, so nothing is counted twice or missed.
CREATE FUNCTION funnel_rollup_rebuild() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  LOCK TABLE funnel_events IN SHARE MODE;
  DELETE FROM funnel_rollup;
  DELETE FROM funnel_enrol_hours;
  INSERT INTO funnel_rollup (campaign_id, wave_id, stage, day, locale, method, mail, platform, events, wave_users, campaign_users)
  SELECT e.campaign_id, coalesce(e.wave_id, '00000000-0000-0000-0000-000000000000'), e.stage, (e.at AT TIME ZONE 'UTC')::date,
    CASE WHEN e.stage = 'targeted' THEN '' ELSE coalesce(u.locale, '') END, coalesce(e.method, ''), coalesce(e.mail, ''), coalesce(e.detail ->> 'platform', ''),
    count(*), count(*) FILTER (WHERE e.wave_rank = 1), count(*) FILTER (WHERE e.campaign_rank = 1)
  FROM (
    SELECT f.*,
      row_number() OVER (PARTITION BY f.wave_id, f.user_id, f.stage ORDER BY f.id) AS wave_rank,
      row_number() OVER (PARTITION BY f.campaign_id, f.user_id, f.stage ORDER BY f.id) AS campaign_rank
    FROM funnel_events f WHERE f.campaign_id IS NOT NULL
  ) e LEFT JOIN users u ON u.id = e.user_id
  GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;
  INSERT INTO funnel_enrol_hours (campaign_id, wave_id, tenths, users)
  SELECT e.campaign_id, e.wave_id, greatest(0, floor(extract(epoch FROM e.at - i.sent_at) / 360))::integer, count(*)
  FROM funnel_events e JOIN invitations i ON i.id = e.invitation_id
  WHERE e.stage = 'enrolled' AND e.campaign_id IS NOT NULL AND e.wave_id IS NOT NULL AND i.sent_at IS NOT NULL
  GROUP BY 1, 2, 3;
END
$$;

SELECT funnel_rollup_rebuild();
