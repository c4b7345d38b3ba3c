-- 005: service positions 阵地 — 党群服务中心 (a community's), 小区党群服务站 (a
-- compound's) and 爱心驿站 (for riders), with what the seeds check: area,
-- funding, construction mode (四个一批), opening hours with 24h/8h zones, the
-- 六有一好 standard and the 2+5+N modules (core/station_rule.h), and the
-- compounds each one serves (神池县: 37 stations covering 45 compounds).
CREATE TABLE stations (
    id              {{ID}},
    kind            TEXT NOT NULL,          -- center / station / love_post
    name            TEXT NOT NULL,
    place_code      {{CODE}} NOT NULL REFERENCES places(code),  -- community or compound
    address         TEXT,
    area_m2         INTEGER,
    build_mode      TEXT,                   -- renovate / share / rent / build
    funding         BIGINT,                 -- 元
    opened_on       TEXT,                   -- YYYY-MM-DD
    hours           TEXT,                   -- opening hours as posted on the door
    zone_24h        INTEGER NOT NULL DEFAULT 0,   -- has a 24-hour self-service zone
    zone_8h         INTEGER NOT NULL DEFAULT 0,   -- has an 8-hour staffed zone
    phone           TEXT,
    -- 六有一好: 1 present, 0 not
    has_code        INTEGER NOT NULL DEFAULT 0,
    has_area        INTEGER NOT NULL DEFAULT 0,
    has_sign        INTEGER NOT NULL DEFAULT 0,
    has_flag        INTEGER NOT NULL DEFAULT 0,
    has_facilities  INTEGER NOT NULL DEFAULT 0,
    has_archive     INTEGER NOT NULL DEFAULT 0,
    good_quality    INTEGER NOT NULL DEFAULT 0,
    -- 2: base areas; 5: modules
    area_branch     INTEGER NOT NULL DEFAULT 0,   -- 支部活动区
    area_service    INTEGER NOT NULL DEFAULT 0,   -- 便民服务区
    mod_members     INTEGER NOT NULL DEFAULT 0,   -- 党员管理
    mod_deliberation INTEGER NOT NULL DEFAULT 0,  -- 说事议事
    mod_agency      INTEGER NOT NULL DEFAULT 0,   -- 帮办代办
    mod_culture     INTEGER NOT NULL DEFAULT 0,   -- 文化休闲
    mod_mediation   INTEGER NOT NULL DEFAULT 0,   -- 矛盾调解
    extra_modules   TEXT,                   -- N: names joined by '、' (老年食堂、四点半课堂 …)
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX stations_place ON stations(place_code, id);

-- The compounds a station serves.
CREATE TABLE station_places (
    station_id  BIGINT NOT NULL REFERENCES stations(id),
    place_code  {{CODE}} NOT NULL REFERENCES places(code),
    PRIMARY KEY (station_id, place_code)
);
CREATE INDEX station_places_place ON station_places(place_code);
