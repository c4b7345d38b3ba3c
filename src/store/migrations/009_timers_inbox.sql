-- 009: the timers of the demand loop and notifications
-- (docs/timers-and-notifications.md). Times are Unix seconds from the one clock.

-- Warnings and breaches, each recorded ONCE per order: the INSERT is the
-- claim, so two server processes running the scheduler never act twice.
-- kind: response_warning resolution_warning response_breach resolution_breach
CREATE TABLE order_alerts (
    id          {{ID}},
    order_id    BIGINT NOT NULL REFERENCES orders(id),
    kind        TEXT NOT NULL,
    at          BIGINT NOT NULL,
    level       INTEGER,                   -- breaches: the escalation level reached
    UNIQUE (order_id, kind)
);

-- The inbox 消息: one row per account and message.
CREATE TABLE notifications (
    id          {{ID}},
    account_id  BIGINT NOT NULL REFERENCES accounts(id),
    kind        TEXT NOT NULL,             -- dispatched taken resolved returned reopened warning breach …
    order_id    BIGINT REFERENCES orders(id),
    title       TEXT NOT NULL,
    body        TEXT,
    created_at  BIGINT NOT NULL,
    read_at     BIGINT
);
CREATE INDEX notifications_account ON notifications(account_id, id);

-- Outgoing webhooks, scoped to a place subtree and optionally to some kinds.
CREATE TABLE webhooks (
    id          {{ID}},
    url         TEXT NOT NULL,
    secret      TEXT NOT NULL,             -- the HMAC-SHA256 key (shown once, at creation)
    place_code  {{CODE}} NOT NULL REFERENCES places(code),
    kinds       TEXT,                      -- comma-separated notification kinds; NULL: all
    active      INTEGER NOT NULL DEFAULT 1,
    created_by  BIGINT,
    created_at  BIGINT NOT NULL
);
CREATE INDEX webhooks_place ON webhooks(place_code);

-- One row per (notification, webhook) to deliver. state: pending sending
-- delivered failed. A sender claims a row with a conditional UPDATE that sets
-- claim_token; a claim older than 5 minutes (a crashed sender) may be taken again.
CREATE TABLE webhook_outbox (
    id          {{ID}},
    webhook_id  BIGINT NOT NULL REFERENCES webhooks(id),
    payload     TEXT NOT NULL,
    state       TEXT NOT NULL DEFAULT 'pending',
    attempts    INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    claim_token TEXT,
    claimed_at  BIGINT,
    created_at  BIGINT NOT NULL
);
CREATE INDEX webhook_outbox_due ON webhook_outbox(state, next_attempt_at);

-- Every delivery attempt.
CREATE TABLE webhook_deliveries (
    id          {{ID}},
    outbox_id   BIGINT NOT NULL REFERENCES webhook_outbox(id),
    webhook_id  BIGINT NOT NULL REFERENCES webhooks(id),
    at          BIGINT NOT NULL,
    attempt     INTEGER NOT NULL,
    http_status INTEGER,                   -- NULL: no answer
    error       TEXT
);
CREATE INDEX webhook_deliveries_hook ON webhook_deliveries(webhook_id, id);
