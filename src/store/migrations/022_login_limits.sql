-- 022: login limits reserved before the password is verified (core/login_rule.h).
-- One row per counter, keyed "ip:<address>", "up:<address> <username>" or
-- "u:<username>". session_login locks and updates its rows in one write
-- transaction (an upsert returning the row) and only then verifies, so the
-- limits hold however many attempts arrive at once, in however many server
-- processes. The scheduler deletes rows idle for a window, and expired
-- sessions (by the index below).
CREATE TABLE login_limits (
    key          TEXT PRIMARY KEY,
    window_start BIGINT NOT NULL,   -- hard counters: the window's start; the username's: its last attempt
    attempts     BIGINT NOT NULL,
    next_at      BIGINT NOT NULL    -- the username's: the earliest next attempt
);
CREATE INDEX login_limits_window ON login_limits(window_start);
CREATE INDEX sessions_expires ON sessions(expires_at);
CREATE INDEX login_failures_at ON login_failures(at);
