-- 020: a version of everything the 三率 figures show, bumped when queued
-- changes are folded into the counters and when a whistle or a 部门买单
-- changes. A server keeps its last answers keyed by it, so a dashboard read
-- many times between changes is computed once.
CREATE TABLE order_stats_version (
    id      INTEGER PRIMARY KEY,
    version BIGINT NOT NULL
);
INSERT INTO order_stats_version(id, version) VALUES (1, 0);
