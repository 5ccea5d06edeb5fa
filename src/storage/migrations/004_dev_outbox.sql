-- Development mail: with no SMTP_URL outside production, mail is stored here and browsed at /dev/outbox.

CREATE TABLE dev_outbox (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  to_address  text NOT NULL,
  subject     text NOT NULL,
  html        text NOT NULL,
  text        text NOT NULL,
  headers     jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- /dev/outbox.json?to=… looks up the latest mail for one address.
CREATE INDEX dev_outbox_to_address ON dev_outbox (lower(to_address), id DESC);
