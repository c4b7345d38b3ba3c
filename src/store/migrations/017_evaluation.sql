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
