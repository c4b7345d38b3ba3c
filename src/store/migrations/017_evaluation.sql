-- 017: 双评价 (docs/evaluation.md). An in-service party member's year is
-- evaluated twice: by the community where they live (side 'community') and by
-- their work unit's party organisation (side 'unit'). One row per member,
-- year and side; giving it again replaces it (the audit keeps the before).
CREATE TABLE dual_reviews (
    id          {{ID}},
    person_id   BIGINT NOT NULL REFERENCES people(id),
    year        INTEGER NOT NULL,
    side        TEXT NOT NULL CHECK (side IN ('community', 'unit')),
    grade       TEXT NOT NULL CHECK (grade IN ('excellent', 'competent', 'basic', 'incompetent')),
    comment     TEXT,
    reviewed_by BIGINT NOT NULL REFERENCES accounts(id),
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    UNIQUE (person_id, year, side)
);

-- Yearly selections 评选 (文明邻里示范家庭, 先锋骑手 …) of one community: a
-- nomination window [opens_at, closes_at), the honour conferred and the points
-- paid to each winner through the ledger (source_type 'selection', source_id
-- the winning nomination).
CREATE TABLE selections (
    id             {{ID}},
    name           TEXT NOT NULL,
    year           INTEGER NOT NULL,
    candidate_kind TEXT NOT NULL CHECK (candidate_kind IN ('household', 'person', 'partner')),
    place_code     {{CODE}} NOT NULL REFERENCES places(code),   -- the community
    opens_at       BIGINT NOT NULL,
    closes_at      BIGINT NOT NULL,
    honour         TEXT NOT NULL,
    points         BIGINT NOT NULL DEFAULT 0,
    state          TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'published')),
    published_at   BIGINT,
    created_by     BIGINT NOT NULL REFERENCES accounts(id),
    created_at     BIGINT NOT NULL
);
CREATE INDEX selections_place ON selections(place_code, id);

-- A nomination: the person it honours (for a household: the head of household,
-- or the nominee when the household has none), self or by a neighbour, with
-- the community's review; honoured_at is set when the winners are published.
CREATE TABLE selection_nominations (
    id             {{ID}},
    selection_id   BIGINT NOT NULL REFERENCES selections(id),
    person_id      BIGINT NOT NULL REFERENCES people(id),
    household_code {{CODE}} REFERENCES places(code),
    reason         TEXT NOT NULL,
    self           INTEGER NOT NULL DEFAULT 0,
    nominated_by   BIGINT NOT NULL REFERENCES accounts(id),
    state          TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'approved', 'rejected')),
    review_reason  TEXT,
    reviewed_by    BIGINT REFERENCES accounts(id),
    reviewed_at    BIGINT,
    honoured_at    BIGINT,
    created_at     BIGINT NOT NULL,
    UNIQUE (selection_id, person_id)
);
