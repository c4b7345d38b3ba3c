-- 006: a grant on an organisation also covers the communities its 共建协议
-- (co-building agreements) name: "a co-building unit sees what its agreements
-- cover". The view is otherwise unchanged.
DROP VIEW scope_ranges;
CREATE VIEW scope_ranges AS
    SELECT g.account_id, g.role, g.place_code AS lo FROM grants g WHERE g.place_code IS NOT NULL
    UNION ALL
    SELECT g.account_id, g.role, gp.place_code FROM grants g JOIN grid_places gp ON gp.grid_id = g.grid_id
    UNION ALL
    SELECT g.account_id, g.role, op.place_code FROM grants g JOIN org_places op ON op.org_id = g.org_id
    UNION ALL
    SELECT g.account_id, g.role, ag.place_code FROM grants g JOIN agreements ag ON ag.org_id = g.org_id;
