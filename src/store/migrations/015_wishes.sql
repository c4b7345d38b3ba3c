-- 015: micro-wishes 微心愿 (docs/wishes.md). A wish is posted by a resident
-- for themselves, or by staff for a child in difficulty or an elderly person;
-- staff review it; a published wish is on its community's wall 心愿墙 and is
-- claimed by one volunteer, fulfilled with a photo and confirmed 达成 by its
-- poster. state: pending rejected published claimed fulfilled achieved.
-- The wall shows display_name only: the masked name (王**) fixed at posting,
-- so no page can leak the full name by mistake.
CREATE TABLE wishes (
    id             {{ID}},
    place_code     {{CODE}} NOT NULL REFERENCES places(code),   -- where it belongs (for counts)
    community_code {{CODE}} NOT NULL REFERENCES places(code),   -- whose wall it is on
    kind           TEXT NOT NULL CHECK (kind IN ('resident', 'child', 'elder')),
    title          TEXT NOT NULL,
    detail         TEXT,
    wanted_by      TEXT,                    -- YYYY-MM-DD: overdue after this day
    person_id      BIGINT REFERENCES people(id),   -- the beneficiary, if known
    display_name   TEXT NOT NULL,           -- masked: 王** or 一位困境儿童
    state          TEXT NOT NULL DEFAULT 'pending'
                   CHECK (state IN ('pending', 'rejected', 'published', 'claimed', 'fulfilled', 'achieved')),
    posted_by      BIGINT NOT NULL REFERENCES accounts(id),
    reviewed_by    BIGINT REFERENCES accounts(id),
    reviewed_at    BIGINT,
    reject_reason  TEXT,
    claimed_by     BIGINT REFERENCES accounts(id),
    claimed_at     BIGINT,
    fulfil_note    TEXT,
    fulfilled_at   BIGINT,
    achieved_at    BIGINT,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL
);
CREATE INDEX wishes_community ON wishes(community_code, state, id);
CREATE INDEX wishes_place ON wishes(place_code, created_at);
CREATE INDEX wishes_posted_by ON wishes(posted_by, id);
CREATE INDEX wishes_claimed_by ON wishes(claimed_by, id);

-- The fulfilment photo (one per wish), base64 as for order photos (012).
CREATE TABLE wish_photos (
    wish_id    BIGINT PRIMARY KEY REFERENCES wishes(id),
    mime       TEXT NOT NULL CHECK (mime IN ('image/jpeg', 'image/png', 'image/webp')),
    bytes      TEXT NOT NULL,
    size       INTEGER NOT NULL,
    created_at BIGINT NOT NULL,
    created_by BIGINT
);
