-- How long one check takes for each kind of stored legacy hash: the scheme and its cost parameters, with salts and
-- digests left out of the key. The verify failure floor covers the slowest, so that a wrong password on a slow
-- hash (bcrypt cost 12, sha512-crypt at 656,000 rounds) answers no later than an unknown login.
CREATE TABLE legacy_check_costs (
  cost_key    text PRIMARY KEY,
  scheme      text NOT NULL,
  check_ms    real NOT NULL CHECK (check_ms >= 0),
  measured_at timestamptz NOT NULL DEFAULT now()
);
