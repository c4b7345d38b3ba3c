-- 016: activities 活动 (邻里节, 百家宴, 义诊, 义剪, 讲座, 四点半课堂 …), their
-- recurring series, sign-ups with a waiting list 候补, check-ins by rotating
-- code and volunteer hours (docs/activities.md).
--
-- A series is the rule; every occurrence is its own row in activities, so
-- each has its own sign-ups and check-ins. An occurrence changed by itself
-- (time, place, cancelled) is marked detached and no longer follows edits of
-- its series.
CREATE TABLE activity_series (
    id              {{ID}},
    kind            TEXT NOT NULL,
    title           TEXT NOT NULL,
    description     TEXT,
    place_code      {{CODE}} NOT NULL REFERENCES places(code),
    station_id      BIGINT REFERENCES stations(id),
    org_id          BIGINT REFERENCES organisations(id),
    organiser_id    BIGINT NOT NULL REFERENCES accounts(id),
    capacity        INTEGER NOT NULL,
    freq            TEXT NOT NULL,            -- weekly / monthly
    weekdays        INTEGER NOT NULL DEFAULT 0, -- weekly: bit 0 Monday … bit 6 Sunday
    month_day       INTEGER NOT NULL DEFAULT 0, -- monthly: 1–31 (short months: their last day)
    from_date       TEXT NOT NULL,            -- YYYY-MM-DD, China time
    until_date      TEXT NOT NULL,
    start_minute    INTEGER NOT NULL,         -- local minute of the day
    duration_min    INTEGER NOT NULL,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX activity_series_place ON activity_series(place_code, id);

CREATE TABLE activities (
    id              {{ID}},
    series_id       BIGINT REFERENCES activity_series(id),
    detached        INTEGER NOT NULL DEFAULT 0,  -- changed by itself: series edits pass it by
    kind            TEXT NOT NULL,
    title           TEXT NOT NULL,
    description     TEXT,
    place_code      {{CODE}} NOT NULL REFERENCES places(code),
    station_id      BIGINT REFERENCES stations(id),
    org_id          BIGINT REFERENCES organisations(id),
    organiser_id    BIGINT NOT NULL REFERENCES accounts(id),
    capacity        INTEGER NOT NULL,
    starts_at       BIGINT NOT NULL,
    ends_at         BIGINT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'scheduled',  -- scheduled / cancelled
    secret          TEXT NOT NULL,           -- hex; the check-in code's HMAC key, never shown
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX activities_place ON activities(place_code, starts_at);
CREATE INDEX activities_starts ON activities(starts_at);
CREATE INDEX activities_series ON activities(series_id, starts_at);

-- One account's participation in one occurrence: signed up or waiting (in
-- seq order), cancelled; checked in; served with minutes credited.
CREATE TABLE activity_signups (
    id              {{ID}},
    activity_id     BIGINT NOT NULL REFERENCES activities(id),
    account_id      BIGINT NOT NULL REFERENCES accounts(id),
    status          TEXT NOT NULL,           -- signed / waiting / cancelled
    seq             BIGINT NOT NULL,         -- order of arrival (the waiting list's order)
    signed_at       BIGINT NOT NULL,
    checked_in_at   BIGINT,
    served          INTEGER NOT NULL DEFAULT 0,
    service_minutes INTEGER NOT NULL DEFAULT 0,
    credited_at     BIGINT,
    UNIQUE (activity_id, account_id)
);
CREATE INDEX activity_signups_account ON activity_signups(account_id, activity_id);
CREATE INDEX activity_signups_queue ON activity_signups(activity_id, status, seq);
