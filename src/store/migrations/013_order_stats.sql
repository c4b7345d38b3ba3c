-- 013: the figures 三率 of the demand loop, kept as counters so that a
-- dashboard over millions of orders sums a few hundred rows (core/order_tally.h
-- says what one order counts as; docs/demand-loop.md §4 the definitions).
--
-- The clock facts an order's figures need, fixed when the clock stops:
ALTER TABLE orders ADD COLUMN response_counted_s BIGINT;   -- counted seconds to first contact
ALTER TABLE orders ADD COLUMN resolution_counted_s BIGINT; -- counted seconds to 已办结
ALTER TABLE orders ADD COLUMN response_breached INTEGER NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN resolution_breached INTEGER NOT NULL DEFAULT 0;

-- An order is counted, by the day it was filed (China time), in the rows of
-- each division above its place (province, city, county, street, community),
-- at two grains — the day (grain 'd', bucket yyyymmdd) and the month (grain
-- 'm', bucket yyyymm) — each for all categories and channels ('*'), for its
-- category, for its channel, and for both (combo 0–3, which leads the key so
-- that a dashboard reads exactly its rows; the divisions below a place are
-- found in places and read by their keys too, so no second index has to be
-- written with every change). A period is read as its whole
-- months plus the days at either end. Every change of an order adds the
-- difference it makes, in the change's own transaction.
CREATE TABLE order_stats (
    place_code    {{CODE}} NOT NULL,
    grain         TEXT NOT NULL,            -- d (day) or m (month)
    combo         INTEGER NOT NULL,         -- 0 all, 1 by category, 2 by channel, 3 by both
    bucket        INTEGER NOT NULL,         -- yyyymmdd or yyyymm
    category_code {{CODE}} NOT NULL,        -- a category, or '*': all
    channel       TEXT NOT NULL,            -- a channel, or '*': all
    n_total BIGINT NOT NULL DEFAULT 0,
    st_submitted BIGINT NOT NULL DEFAULT 0,
    st_accepted BIGINT NOT NULL DEFAULT 0,
    st_dispatched BIGINT NOT NULL DEFAULT 0,
    st_taken BIGINT NOT NULL DEFAULT 0,
    st_resolved BIGINT NOT NULL DEFAULT 0,
    st_rated BIGINT NOT NULL DEFAULT 0,
    st_closed BIGINT NOT NULL DEFAULT 0,
    st_rejected BIGINT NOT NULL DEFAULT 0,
    st_merged BIGINT NOT NULL DEFAULT 0,
    st_suspended BIGINT NOT NULL DEFAULT 0,
    n_accepted BIGINT NOT NULL DEFAULT 0,
    n_rejected BIGINT NOT NULL DEFAULT 0,
    n_merged BIGINT NOT NULL DEFAULT 0,
    n_responded BIGINT NOT NULL DEFAULT 0,
    n_responded_in_limit BIGINT NOT NULL DEFAULT 0,
    response_seconds BIGINT NOT NULL DEFAULT 0,
    n_resolved BIGINT NOT NULL DEFAULT 0,
    n_fixed BIGINT NOT NULL DEFAULT 0,
    n_resolved_in_limit BIGINT NOT NULL DEFAULT 0,
    resolution_seconds BIGINT NOT NULL DEFAULT 0,
    n_reopened BIGINT NOT NULL DEFAULT 0,
    n_satisfied BIGINT NOT NULL DEFAULT 0,
    n_basic BIGINT NOT NULL DEFAULT 0,
    n_unsatisfied BIGINT NOT NULL DEFAULT 0,
    n_response_breached BIGINT NOT NULL DEFAULT 0,
    n_resolution_breached BIGINT NOT NULL DEFAULT 0,
    n_escalated BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (place_code, grain, combo, bucket, category_code, channel)
) {{WITHOUT_ROWID}};

-- The orders in hand that breached a limit or went up the tree (the
-- dashboard's 超时与上报 list), found without scanning every open order.
CREATE INDEX orders_attention ON orders(escalation_level, id)
    WHERE state IN ('submitted', 'accepted', 'dispatched', 'taken', 'suspended', 'rated')
      AND (escalation_level > 0 OR response_breached = 1 OR resolution_breached = 1);

-- What each change adds, queued in the change's own transaction (one small
-- row) and folded into order_stats in batches by the server's worker, and
-- before any read of the figures: a change writes one page here instead of
-- forty counter pages, and a batch writes each counter page once.
CREATE TABLE order_stats_pending (
    id            {{ID}},
    place_code    {{CODE}} NOT NULL,        -- the order's place
    day           INTEGER NOT NULL,         -- yyyymmdd filed
    category_code {{CODE}} NOT NULL,
    channel       TEXT NOT NULL,
    n_total BIGINT NOT NULL DEFAULT 0,
    st_submitted BIGINT NOT NULL DEFAULT 0,
    st_accepted BIGINT NOT NULL DEFAULT 0,
    st_dispatched BIGINT NOT NULL DEFAULT 0,
    st_taken BIGINT NOT NULL DEFAULT 0,
    st_resolved BIGINT NOT NULL DEFAULT 0,
    st_rated BIGINT NOT NULL DEFAULT 0,
    st_closed BIGINT NOT NULL DEFAULT 0,
    st_rejected BIGINT NOT NULL DEFAULT 0,
    st_merged BIGINT NOT NULL DEFAULT 0,
    st_suspended BIGINT NOT NULL DEFAULT 0,
    n_accepted BIGINT NOT NULL DEFAULT 0,
    n_rejected BIGINT NOT NULL DEFAULT 0,
    n_merged BIGINT NOT NULL DEFAULT 0,
    n_responded BIGINT NOT NULL DEFAULT 0,
    n_responded_in_limit BIGINT NOT NULL DEFAULT 0,
    response_seconds BIGINT NOT NULL DEFAULT 0,
    n_resolved BIGINT NOT NULL DEFAULT 0,
    n_fixed BIGINT NOT NULL DEFAULT 0,
    n_resolved_in_limit BIGINT NOT NULL DEFAULT 0,
    resolution_seconds BIGINT NOT NULL DEFAULT 0,
    n_reopened BIGINT NOT NULL DEFAULT 0,
    n_satisfied BIGINT NOT NULL DEFAULT 0,
    n_basic BIGINT NOT NULL DEFAULT 0,
    n_unsatisfied BIGINT NOT NULL DEFAULT 0,
    n_response_breached BIGINT NOT NULL DEFAULT 0,
    n_resolution_breached BIGINT NOT NULL DEFAULT 0,
    n_escalated BIGINT NOT NULL DEFAULT 0
);
