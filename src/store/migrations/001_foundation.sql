-- 001: the foundation — places, organisations, grids, people, accounts, audit.
-- Portable SQL for SQLite and PostgreSQL; {{ID}} and {{CODE}} are replaced per
-- dialect by migrate.c (an integer identity key; text compared bytewise, so a
-- place code's subtree is the range [code, code || ':') on both stores).
-- Times are Unix seconds (BIGINT) from the one clock (core/clock.c).

CREATE TABLE places (
    code        {{CODE}} PRIMARY KEY,   -- division code; below 社区/村: parent code + digits
    parent_code {{CODE}} REFERENCES places(code),
    level       TEXT NOT NULL,          -- province city county street community compound building unit household
    name        TEXT NOT NULL,
    kind        TEXT,                   -- 社区 / 村 for communities; 镇 / 乡 / 街道 for streets
    created_at  BIGINT NOT NULL
);
CREATE INDEX places_parent ON places(parent_code, code);

CREATE TABLE organisations (
    id          {{ID}},
    kind        TEXT NOT NULL,          -- see core/org_kinds.c
    name        TEXT NOT NULL,
    parent_id   BIGINT REFERENCES organisations(id),
    place_code  {{CODE}} REFERENCES places(code),   -- where it sits (its home place)
    formation   TEXT,                   -- branches: standalone 单独组建 / joint 联合组建
    phone       TEXT,
    created_at  BIGINT NOT NULL
);
CREATE INDEX organisations_place ON organisations(place_code);
CREATE INDEX organisations_parent ON organisations(parent_id);

-- The places an organisation serves or covers (a joint branch covers several compounds).
CREATE TABLE org_places (
    org_id      BIGINT NOT NULL REFERENCES organisations(id),
    place_code  {{CODE}} NOT NULL REFERENCES places(code),
    PRIMARY KEY (org_id, place_code)
);
CREATE INDEX org_places_place ON org_places(place_code);

-- 共建协议 between a co-building unit and a community.
CREATE TABLE agreements (
    id          {{ID}},
    org_id      BIGINT NOT NULL REFERENCES organisations(id),
    place_code  {{CODE}} NOT NULL REFERENCES places(code),
    title       TEXT NOT NULL,
    signed_on   TEXT NOT NULL,          -- YYYY-MM-DD
    expires_on  TEXT,
    created_at  BIGINT NOT NULL
);

CREATE TABLE grids (
    id          {{ID}},
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL,          -- basic 基础网格 / dedicated 专属网格
    community_code {{CODE}} NOT NULL REFERENCES places(code),
    created_at  BIGINT NOT NULL
);
CREATE TABLE grid_places (
    grid_id     BIGINT NOT NULL REFERENCES grids(id),
    place_code  {{CODE}} NOT NULL REFERENCES places(code),
    PRIMARY KEY (grid_id, place_code)
);
CREATE INDEX grid_places_place ON grid_places(place_code);

CREATE TABLE people (
    id          {{ID}},
    name        TEXT NOT NULL,
    sex         TEXT,                   -- M / F
    birth_date  TEXT,                   -- YYYY-MM-DD
    id_number   TEXT UNIQUE,            -- 身份证号, checked by core/idcard.c
    phone       TEXT,
    place_code  {{CODE}} REFERENCES places(code),   -- the household (or any place)
    hukou_local INTEGER,                -- 1 local 户籍, 0 not, NULL unknown
    relation    TEXT,                   -- to the head of household: 户主 配偶 子女 …
    note        TEXT,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
CREATE INDEX people_place ON people(place_code, id);
CREATE INDEX people_phone ON people(phone);
CREATE INDEX people_name ON people(name);

CREATE TABLE party_members (
    person_id   BIGINT PRIMARY KEY REFERENCES people(id),
    kind        TEXT NOT NULL,          -- resident 居民党员 / retired 离退休 / in_service 在职 / mobile 流动
    branch_id   BIGINT REFERENCES organisations(id),
    joined_on   TEXT,
    work_unit   TEXT,                   -- in-service: where they work
    work_org_id BIGINT REFERENCES organisations(id),
    reported_at TEXT,                   -- 双报到: date registered at the community where they live
    reported_community {{CODE}} REFERENCES places(code),
    pioneer_post TEXT,                  -- 党员先锋岗
    duty_area   TEXT                    -- 党员责任区
);
CREATE INDEX party_members_branch ON party_members(branch_id);

-- Volunteers (党员 and not) with their skills (能人); teams are organisations.
CREATE TABLE volunteers (
    person_id   BIGINT PRIMARY KEY REFERENCES people(id),
    team_id     BIGINT REFERENCES organisations(id),
    skills      TEXT                    -- comma-separated: 律师,医生,水电维修 …
);

-- New-employment partners 社区治理合伙人.
CREATE TABLE partners (
    person_id   BIGINT PRIMARY KEY REFERENCES people(id),
    trade       TEXT NOT NULL,          -- express 快递 / delivery 外卖 / ride_hailing 网约车 / other
    company     TEXT,
    duties      TEXT                    -- 民情信息员,平安巡查员,文明宣传员
);

-- Community workers: 三岗十八级.
CREATE TABLE community_workers (
    person_id   BIGINT PRIMARY KEY REFERENCES people(id),
    community_code {{CODE}} REFERENCES places(code),
    post        TEXT,                   -- 岗位 (e.g. 正职 / 副职 / 其他)
    grade       INTEGER,                -- 1..18
    certificate TEXT                    -- 社工证 level, if any
);

-- Care tags: the 六必访 groups, 困境儿童 kinds, 残疾, 低保 (vocabulary in core/care_tags.c).
CREATE TABLE care_tags (
    person_id   BIGINT NOT NULL REFERENCES people(id),
    tag         TEXT NOT NULL,
    PRIMARY KEY (person_id, tag)
);
CREATE INDEX care_tags_tag ON care_tags(tag);

CREATE TABLE accounts (
    id          {{ID}},
    username    TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    display_name TEXT,
    person_id   BIGINT REFERENCES people(id),
    disabled    INTEGER NOT NULL DEFAULT 0,
    created_at  BIGINT NOT NULL
);

-- A grant is a role over one scope: a subtree of places, a grid, or an organisation.
CREATE TABLE grants (
    id          {{ID}},
    account_id  BIGINT NOT NULL REFERENCES accounts(id),
    role        TEXT NOT NULL,
    place_code  {{CODE}} REFERENCES places(code),
    grid_id     BIGINT REFERENCES grids(id),
    org_id      BIGINT REFERENCES organisations(id),
    created_at  BIGINT NOT NULL,
    CHECK ((CASE WHEN place_code IS NULL THEN 0 ELSE 1 END) + (CASE WHEN grid_id IS NULL THEN 0 ELSE 1 END)
           + (CASE WHEN org_id IS NULL THEN 0 ELSE 1 END) = 1)
);
CREATE INDEX grants_account ON grants(account_id);

-- Which role holds which capability: written from core/roles.c at every start.
CREATE TABLE role_caps (
    role        TEXT NOT NULL,
    cap         TEXT NOT NULL,
    PRIMARY KEY (role, cap)
);

-- Every place subtree an account's grants cover, with the role that covers it.
-- Scope checks in store queries are EXISTS over this view joined to role_caps.
CREATE VIEW scope_ranges AS
    SELECT g.account_id, g.role, g.place_code AS lo FROM grants g WHERE g.place_code IS NOT NULL
    UNION ALL
    SELECT g.account_id, g.role, gp.place_code FROM grants g JOIN grid_places gp ON gp.grid_id = g.grid_id
    UNION ALL
    SELECT g.account_id, g.role, op.place_code FROM grants g JOIN org_places op ON op.org_id = g.org_id;

CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY,       -- SHA-256 of the token; the token itself is never stored
    account_id  BIGINT NOT NULL REFERENCES accounts(id),
    csrf        TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL
);
CREATE INDEX sessions_account ON sessions(account_id);

-- Failed logins, shared by every server process (rate limit).
CREATE TABLE login_failures (
    id          {{ID}},
    key         TEXT NOT NULL,          -- "u:<username>" or "ip:<address>"
    at          BIGINT NOT NULL
);
CREATE INDEX login_failures_key ON login_failures(key, at);

CREATE TABLE audit_log (
    id          {{ID}},
    at          BIGINT NOT NULL,
    account_id  BIGINT,                 -- NULL: the command line / system
    actor       TEXT NOT NULL,          -- username or "cli"
    action      TEXT NOT NULL,          -- create update delete reveal import login grant …
    entity      TEXT NOT NULL,          -- person place organisation account grant …
    entity_id   TEXT,
    place_code  {{CODE}},               -- for filtering by place and scope
    before_json TEXT,
    after_json  TEXT,
    note        TEXT
);
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id);
CREATE INDEX audit_log_place ON audit_log(place_code, at);
