-- 010: 吹哨报到, 部门买单, 督办, 回访 and 协商处置 of the demand loop
-- (docs/whistles-and-costs.md). Kinds are the ids of core/whistle_rule.c;
-- times are Unix seconds from the one clock; money is in 分 (integer).

-- The whistle kinds a county configures: the 报到 limit and the departments called.
CREATE TABLE whistle_kinds (
    id            {{ID}},
    place_code    {{CODE}} NOT NULL REFERENCES places(code), -- the county
    kind          TEXT NOT NULL,             -- publicity emergency enforcement tackle
    answer_minutes INTEGER NOT NULL,
    updated_at    BIGINT NOT NULL,
    UNIQUE (place_code, kind)
);
CREATE TABLE whistle_kind_departments (
    whistle_kind_id BIGINT NOT NULL REFERENCES whistle_kinds(id),
    org_id          BIGINT NOT NULL REFERENCES organisations(id),
    PRIMARY KEY (whistle_kind_id, org_id)
);

-- One whistle blown on an order, and one call per department it called in.
CREATE TABLE whistles (
    id          {{ID}},
    order_id    BIGINT NOT NULL REFERENCES orders(id),
    kind        TEXT NOT NULL,
    note        TEXT,
    blown_by    BIGINT,
    created_at  BIGINT NOT NULL
);
CREATE INDEX whistles_order ON whistles(order_id, id);
CREATE TABLE whistle_calls (
    id          {{ID}},
    whistle_id  BIGINT NOT NULL REFERENCES whistles(id),
    order_id    BIGINT NOT NULL REFERENCES orders(id),
    org_id      BIGINT NOT NULL REFERENCES organisations(id),
    deadline    BIGINT NOT NULL,
    answered_at BIGINT,                     -- 报到
    answered_by BIGINT,
    answer_note TEXT,
    overdue_at  BIGINT,                     -- set once by the tick (escalated then)
    UNIQUE (whistle_id, org_id)
);
CREATE INDEX whistle_calls_org ON whistle_calls(org_id, id);
CREATE INDEX whistle_calls_order ON whistle_calls(order_id, id);
CREATE INDEX whistle_calls_due ON whistle_calls(deadline) ;

-- 部门买单: what an organisation pays for an order.
CREATE TABLE order_costs (
    id           {{ID}},
    order_id     BIGINT NOT NULL REFERENCES orders(id),
    org_id       BIGINT NOT NULL REFERENCES organisations(id),
    amount_fen   BIGINT NOT NULL,
    resource     TEXT,
    note         TEXT,
    state        TEXT NOT NULL DEFAULT 'proposed', -- proposed confirmed declined
    proposed_by  BIGINT,
    created_at   BIGINT NOT NULL,
    confirmed_by BIGINT,
    confirmed_at BIGINT
);
CREATE INDEX order_costs_order ON order_costs(order_id, id);
CREATE INDEX order_costs_org ON order_costs(org_id, state);

-- 督办 with its deadline; closed when the order is resolved or ends.
CREATE TABLE order_supervisions (
    id          {{ID}},
    order_id    BIGINT NOT NULL REFERENCES orders(id),
    by_account  BIGINT,
    note        TEXT NOT NULL,
    deadline    BIGINT NOT NULL,
    created_at  BIGINT NOT NULL,
    closed_at   BIGINT
);
CREATE INDEX order_supervisions_order ON order_supervisions(order_id, id);

-- 回访 (回头看) of closed orders.
CREATE TABLE order_revisits (
    id          {{ID}},
    order_id    BIGINT NOT NULL REFERENCES orders(id),
    by_account  BIGINT,
    note        TEXT NOT NULL,
    outcome     TEXT NOT NULL,              -- satisfied unsatisfied problem_recurred
    created_at  BIGINT NOT NULL
);
CREATE INDEX order_revisits_order ON order_revisits(order_id, id);

-- 协商处置: the outcome of a consultation, until meetings exist.
CREATE TABLE order_consultations (
    id           {{ID}},
    order_id     BIGINT NOT NULL REFERENCES orders(id),
    held_at      BIGINT NOT NULL,
    participants TEXT NOT NULL,
    outcome      TEXT NOT NULL,
    created_by   BIGINT,
    created_at   BIGINT NOT NULL
);
CREATE INDEX order_consultations_order ON order_consultations(order_id, id);
