-- 025: wrong check-in codes counted per participation (one row per account
-- and activity), in the database so that every server process shares the
-- count. After CHECKIN_TRIES_MAX (svc_activities.c) wrong codes the code is
-- no longer checked for that participant; the organiser checks them in by
-- hand. A six-digit code otherwise falls to a few tens of thousands of
-- guesses (issue 10).
ALTER TABLE activity_signups ADD COLUMN checkin_failures INTEGER NOT NULL DEFAULT 0;
