-- 004: 事项分类 (the category tree of work orders) with per-place overrides,
-- and the 责任清单 (网格事项清单 / 部门权责清单) mapping categories to the
-- organisations that must handle them. The seed rows come from
-- src/core/category_seed.c (categories_seed_if_empty), not from here.

-- A category; place_code NULL: everywhere, else a local category of that
-- subtree (a county's own 事项). Limits in minutes.
CREATE TABLE categories (
    id                 {{ID}},
    code               {{CODE}} NOT NULL UNIQUE,   -- also the Open311 service_code
    parent_code        {{CODE}} REFERENCES categories(code),
    place_code         {{CODE}} REFERENCES places(code),
    name               TEXT NOT NULL,
    description        TEXT,
    response_minutes   INTEGER NOT NULL DEFAULT 60,
    resolution_minutes INTEGER NOT NULL DEFAULT 1440,
    working_hours      INTEGER NOT NULL DEFAULT 0,  -- 1: limits count working hours
    tier               TEXT NOT NULL DEFAULT 'dispatch', -- onsite dispatch consult tackle report_up
    skill              TEXT,                        -- 专业属性 (水电维修 …), NULL: none
    whistle            TEXT,                        -- publicity emergency enforcement tackle
    active             INTEGER NOT NULL DEFAULT 1,
    sort_order         INTEGER NOT NULL DEFAULT 0,
    updated_at         BIGINT
);
CREATE INDEX categories_parent ON categories(parent_code, sort_order);

-- A place's override of a category for its subtree; NULL columns inherit.
-- The effective category at a place applies the overrides on its ancestors
-- from the widest to the narrowest.
CREATE TABLE category_overrides (
    id                 {{ID}},
    category_code      {{CODE}} NOT NULL REFERENCES categories(code),
    place_code         {{CODE}} NOT NULL REFERENCES places(code),
    response_minutes   INTEGER,
    resolution_minutes INTEGER,
    working_hours      INTEGER,
    tier               TEXT,
    skill              TEXT,                        -- '' : none here, although inherited
    whistle            TEXT,                        -- '' : none here
    active             INTEGER,
    updated_at         BIGINT,
    UNIQUE (category_code, place_code)
);
CREATE INDEX category_overrides_place ON category_overrides(place_code);

-- Who must handle a category (at a place's subtree; NULL: everywhere):
-- role lead 主责 / assist 配合.
CREATE TABLE responsibilities (
    id            {{ID}},
    category_code {{CODE}} NOT NULL REFERENCES categories(code),
    place_code    {{CODE}} REFERENCES places(code),
    org_id        BIGINT NOT NULL REFERENCES organisations(id),
    role          TEXT NOT NULL DEFAULT 'lead',
    note          TEXT,
    created_at    BIGINT,
    UNIQUE (category_code, place_code, org_id)
);
CREATE INDEX responsibilities_category ON responsibilities(category_code, place_code);
