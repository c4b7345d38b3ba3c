-- 008: work orders 工单 of the demand loop (docs/demand-loop.md): the order
-- itself, its immutable history, and its suspensions (the clocks stop while
-- suspended). States, events and outcomes are the ids of core/order_fsm.c.
-- Times are Unix seconds from the one clock.

CREATE TABLE orders (
    id            {{ID}},
    code          TEXT UNIQUE,              -- GD20261123-000123 (set right after insert)
    channel       TEXT NOT NULL,            -- web grid partner wish_wall suggestion_box hotline hotline_12345 visit
    category_code {{CODE}} NOT NULL REFERENCES categories(code),
    place_code    {{CODE}} NOT NULL REFERENCES places(code),
    requester_person_id  BIGINT REFERENCES people(id),
    requester_account_id BIGINT REFERENCES accounts(id),
    created_by    BIGINT,                   -- the account that filed it (NULL: command line)
    contact_phone TEXT,                     -- masked on output
    title         TEXT NOT NULL,
    description   TEXT NOT NULL,
    urgency       TEXT NOT NULL DEFAULT 'normal',     -- normal urgent critical
    scope_size    TEXT NOT NULL DEFAULT 'household',  -- household building compound community wider
    skill         TEXT,                     -- 专业属性, from the category
    tier          TEXT NOT NULL,            -- onsite dispatch consult tackle report_up
    state         TEXT NOT NULL,
    resume_to     TEXT,                     -- the state a suspended order returns to
    version       INTEGER NOT NULL DEFAULT 0, -- bumped by every transition (optimistic lock)
    assignee_kind TEXT,                     -- person team social_org department
    assignee_id   BIGINT,
    reopen_count  INTEGER NOT NULL DEFAULT 0,
    escalation_level INTEGER NOT NULL DEFAULT 0,
    merged_into   BIGINT,
    outcome       TEXT,                     -- fixed not_fixed to_demand_list
    result        TEXT,
    rating        TEXT,                     -- satisfied basic unsatisfied
    rating_comment TEXT,
    reason        TEXT,                     -- the last reject/return/suspend reason
    response_limit_s   BIGINT,              -- copied from the effective category at acceptance
    resolution_limit_s BIGINT,
    working_hours INTEGER NOT NULL DEFAULT 0,
    accepted_at   BIGINT,
    first_contact_at BIGINT,
    resolved_at   BIGINT,
    rated_at      BIGINT,
    closed_at     BIGINT,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    external_ref  TEXT,                     -- 12345 work-order number
    lat           DOUBLE PRECISION,
    lon           DOUBLE PRECISION
);
CREATE INDEX orders_place ON orders(place_code, id);
CREATE INDEX orders_state ON orders(state, id);
CREATE INDEX orders_requester ON orders(requester_account_id, id);
CREATE INDEX orders_assignee ON orders(assignee_kind, assignee_id, state);

-- The history: one row per accepted event, never updated or deleted.
CREATE TABLE order_events (
    id          {{ID}},
    order_id    BIGINT NOT NULL REFERENCES orders(id),
    at          BIGINT NOT NULL,
    account_id  BIGINT,                     -- NULL: system / command line
    actor       TEXT NOT NULL,              -- username, "系统" for the system
    event       TEXT NOT NULL,              -- submit, or an event id of core/order_fsm.c
    from_state  TEXT,
    to_state    TEXT NOT NULL,
    note        TEXT,
    data_json   TEXT
);
CREATE INDEX order_events_order ON order_events(order_id, id);

-- Suspensions [start_at, end_at); end_at NULL while still suspended.
CREATE TABLE order_suspensions (
    id          {{ID}},
    order_id    BIGINT NOT NULL REFERENCES orders(id),
    start_at    BIGINT NOT NULL,
    end_at      BIGINT,
    reason      TEXT
);
CREATE INDEX order_suspensions_order ON order_suspensions(order_id);
