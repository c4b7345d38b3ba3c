-- 023: limits on revealing 身份证号 and phones (svc_person_reveal). One row per
-- account, locked by the UPDATE that counts a reveal, so that every server
-- process and thread counts against the same numbers and two reveals of one
-- account take turns (PostgreSQL re-reads the row after the lock).
--   day, n:           the Beijing day (YYYY-MM-DD) and the reveals counted on it;
--                     a reveal on another day starts again at 1
--   recent:           Unix seconds of the account's last reveals, oldest first,
--                     space-separated (the burst window: so many within an hour)
--   burst_alerted_at: when the level above was last told of a burst (0: never)
--   limit_alerted_on: the day the level above was told the daily limit was hit
-- No answer the response cache keeps reads this table (a reveal is a POST).
CREATE TABLE reveal_counts (
    account_id       BIGINT PRIMARY KEY REFERENCES accounts(id),
    day              TEXT NOT NULL,
    n                INTEGER NOT NULL,
    recent           TEXT NOT NULL,
    burst_alerted_at BIGINT NOT NULL,
    limit_alerted_on TEXT
);
