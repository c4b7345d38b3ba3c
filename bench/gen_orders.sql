-- bench/gen_orders.sql — fills a copy of the demo database with generated
-- work orders for the `orders` part of bench/run.sh, in SQL (one statement,
-- one transaction: seconds, not the hours the API would take).
--
-- run.sh runs it with `bare_insert DB --exec FILE` after creating
--   TEMP TABLE bench_params(n, now)   -- how many orders; the server's "now"
-- Orders are filed evenly over the 365 days before now (ids grow with time,
-- as they do in a real database), at the demo's households, in leaf
-- categories, from every channel. An order's state follows its age, as in a
-- working county: the last day's orders are still moving, older ones are
-- mostly closed after a rating; every clock fact the figures read
-- (accepted/first contact/resolved/rated/closed times, counted seconds,
-- breaches, outcome, rating) is consistent with its state and its category's
-- limits. `linli stats --rebuild` then derives the per-day counters from them.

CREATE TEMP TABLE hh AS SELECT code FROM places WHERE level = 'household' ORDER BY code;
CREATE TEMP TABLE cats AS
SELECT code, name, tier, skill, response_minutes * 60 AS rlim, resolution_minutes * 60 AS slim
FROM categories WHERE parent_code IS NOT NULL AND active = 1 ORDER BY code;
CREATE TEMP TABLE chans(ch TEXT);
-- weights: walk-ins and the grid most, the 12345 hotline and the web next
INSERT INTO chans VALUES ('visit'), ('visit'), ('visit'), ('grid'), ('grid'), ('grid'),
  ('web'), ('web'), ('hotline_12345'), ('hotline_12345'), ('hotline'), ('partner'),
  ('wish_wall'), ('suggestion_box');
CREATE TEMP TABLE helpers AS
SELECT person_id AS pid FROM party_members UNION SELECT person_id FROM volunteers;
CREATE TEMP TABLE phrases(t TEXT);
INSERT INTO phrases VALUES ('楼道灯不亮，夜间出行不便'), ('下水道堵塞，污水外溢'),
  ('老人独居，需要上门看望'), ('小区垃圾清运不及时'), ('路面破损，有积水'),
  ('邻里噪声扰民，希望协调'), ('自来水水压不足'), ('希望增设健身器材'),
  ('电动车充电桩损坏'), ('化粪池需要清掏');

CREATE TEMP TABLE g AS
WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < (SELECT n FROM bench_params))
SELECT i,
       (SELECT now FROM bench_params) - 365 * 86400
         + i * (365 * 86400 - 600) / (SELECT n FROM bench_params) AS created,
       abs(random()) % (SELECT count(*) FROM hh) + 1 AS h,
       abs(random()) % (SELECT count(*) FROM cats) + 1 AS c,
       abs(random()) % (SELECT count(*) FROM chans) + 1 AS k,
       abs(random()) % 1000 AS r,
       abs(random()) % 1000 AS r2,
       60 + abs(random()) % 3540 AS d_accept,      -- filed → accepted
       60 + abs(random()) % 4200 AS d_contact,   -- accepted → first contact
       1800 + abs(random()) % 100000 AS d_resolve, -- accepted → resolved
       3600 + abs(random()) % 259200 AS d_rate     -- resolved → rated
FROM seq;

-- the state by age: r in 0..999
CREATE TEMP TABLE s AS
SELECT g.*, (SELECT now FROM bench_params) - created AS age,
       CASE
         WHEN (SELECT now FROM bench_params) - created < 86400 THEN
           CASE WHEN r < 250 THEN 'submitted' WHEN r < 450 THEN 'accepted'
                WHEN r < 650 THEN 'dispatched' WHEN r < 850 THEN 'taken'
                WHEN r < 950 THEN 'resolved' ELSE 'rejected' END
         WHEN (SELECT now FROM bench_params) - created < 7 * 86400 THEN
           CASE WHEN r < 20 THEN 'submitted' WHEN r < 70 THEN 'accepted'
                WHEN r < 150 THEN 'dispatched' WHEN r < 300 THEN 'taken'
                WHEN r < 550 THEN 'resolved' WHEN r < 750 THEN 'rated'
                WHEN r < 770 THEN 'suspended' WHEN r < 800 THEN 'rejected'
                ELSE 'closed' END
         ELSE
           CASE WHEN r < 3 THEN 'accepted' WHEN r < 6 THEN 'taken'
                WHEN r < 15 THEN 'suspended' WHEN r < 45 THEN 'rejected'
                WHEN r < 55 THEN 'merged' WHEN r < 120 THEN 'resolved'
                WHEN r < 250 THEN 'rated' ELSE 'closed' END
       END AS state
FROM g;

CREATE TEMP TABLE t AS
SELECT s.*, cats.code AS cat, cats.name AS cat_name, cats.tier, cats.skill, cats.rlim, cats.slim,
       hh.code AS place, chans.ch AS channel,
       CASE WHEN state IN ('submitted', 'rejected', 'merged') THEN NULL
            ELSE created + d_accept END AS accepted_at,
       CASE WHEN state IN ('taken', 'resolved', 'rated', 'closed')
              OR (state = 'suspended' AND r2 < 500)
            THEN min(created + d_accept + d_contact, (SELECT now FROM bench_params) - 30) END AS contact_at,
       CASE WHEN state IN ('resolved', 'rated', 'closed')
            THEN min(created + d_accept + d_contact + d_resolve, (SELECT now FROM bench_params) - 20) END AS resolved_at,
       CASE WHEN state IN ('rated', 'closed') AND (state = 'rated' OR r2 < 900)
            THEN min(created + d_accept + d_contact + d_resolve + d_rate, (SELECT now FROM bench_params) - 10) END AS rated_at
FROM s
JOIN cats ON cats.rowid = s.c
JOIN hh ON hh.rowid = s.h
JOIN chans ON chans.rowid = s.k;

INSERT INTO orders(id, code, channel, category_code, place_code, contact_phone, title, description,
  urgency, scope_size, skill, tier, state, resume_to, version, assignee_kind, assignee_id,
  reopen_count, escalation_level, merged_into, outcome, result, rating, reason, response_limit_s,
  resolution_limit_s, working_hours, accepted_at, first_contact_at, resolved_at, rated_at,
  closed_at, created_at, updated_at, response_counted_s, resolution_counted_s,
  response_breached, resolution_breached)
SELECT (SELECT coalesce(max(id), 0) FROM orders) + i,
       'GD' || strftime('%Y%m%d', created + 8 * 3600, 'unixepoch') || '-' || printf('%06d', (SELECT coalesce(max(id), 0) FROM orders) + i),
       channel, cat, place, '13' || printf('%09d', (i * 7919) % 1000000000),
       cat_name || '：' || (SELECT t FROM phrases WHERE rowid = r2 % 10 + 1),
       (SELECT t FROM phrases WHERE rowid = r2 % 10 + 1) || '，请社区尽快处理。（压测生成的工单）',
       CASE WHEN r2 < 900 THEN 'normal' WHEN r2 < 990 THEN 'urgent' ELSE 'critical' END,
       CASE WHEN r2 % 7 = 0 THEN 'building' ELSE 'household' END,
       skill, tier, state,
       CASE WHEN state = 'suspended' THEN CASE WHEN contact_at IS NULL THEN 'dispatched' ELSE 'taken' END END,
       CASE state WHEN 'submitted' THEN 0 WHEN 'accepted' THEN 1 WHEN 'rejected' THEN 1
                  WHEN 'merged' THEN 1 WHEN 'dispatched' THEN 2 WHEN 'taken' THEN 3
                  WHEN 'suspended' THEN 4 WHEN 'resolved' THEN 5 WHEN 'rated' THEN 6 ELSE 7 END,
       CASE WHEN state IN ('dispatched', 'taken', 'suspended', 'resolved', 'rated', 'closed')
             AND (SELECT count(*) FROM helpers) > 0 THEN 'person' END,
       CASE WHEN state IN ('dispatched', 'taken', 'suspended', 'resolved', 'rated', 'closed')
            THEN (SELECT pid FROM helpers WHERE rowid = i % max(1, (SELECT count(*) FROM helpers)) + 1) END,
       CASE WHEN resolved_at IS NOT NULL AND r2 % 50 = 0 THEN 1 ELSE 0 END,
       CASE WHEN accepted_at IS NOT NULL AND r2 % 40 = 1 THEN 1 ELSE 0 END,
       CASE WHEN state = 'merged' AND i > 1 THEN (SELECT coalesce(max(id), 0) FROM orders) + i - 1 END,
       CASE WHEN resolved_at IS NULL THEN NULL WHEN r2 < 920 THEN 'fixed'
            WHEN r2 < 980 THEN 'not_fixed' ELSE 'to_demand_list' END,
       CASE WHEN resolved_at IS NOT NULL THEN '已上门处理完毕' END,
       CASE WHEN rated_at IS NULL THEN NULL WHEN r % 100 < 86 THEN 'satisfied'
            WHEN r % 100 < 96 THEN 'basic' ELSE 'unsatisfied' END,
       CASE state WHEN 'rejected' THEN '不属于受理范围' WHEN 'suspended' THEN '等待配件' END,
       CASE WHEN accepted_at IS NOT NULL THEN rlim END,
       CASE WHEN accepted_at IS NOT NULL THEN slim END,
       0, accepted_at, contact_at, resolved_at, rated_at,
       CASE WHEN state = 'closed' THEN coalesce(rated_at, min(resolved_at + 7 * 86400, (SELECT now FROM bench_params) - 5)) END,
       created,
       coalesce(CASE WHEN state = 'closed' THEN coalesce(rated_at, min(resolved_at + 7 * 86400, (SELECT now FROM bench_params) - 5)) END,
                rated_at, resolved_at, contact_at, accepted_at, created),
       contact_at - accepted_at,
       resolved_at - accepted_at,
       CASE WHEN contact_at - accepted_at > rlim THEN 1 ELSE 0 END,
       CASE WHEN resolved_at - accepted_at > slim THEN 1 ELSE 0 END
FROM t ORDER BY i;

DROP TABLE g;
DROP TABLE s;
DROP TABLE t;
