-- 003: grid workers, and what the seeds record about a compound party branch:
-- the 五有 standard (有党组织、有服务阵地、有党员信息台账、有服务群众机制、有应急预案 —
-- the first is the branch itself), its secretary chosen in one of the 四个一批
-- ways, and 一肩挑 (the secretary also chairs the owners' committee).

-- The people who work a grid (one or more 网格员 per grid).
CREATE TABLE grid_workers (
    grid_id     BIGINT NOT NULL REFERENCES grids(id),
    person_id   BIGINT NOT NULL REFERENCES people(id),
    PRIMARY KEY (grid_id, person_id)
);
CREATE INDEX grid_workers_person ON grid_workers(person_id);

-- 五有: 1 met, 0 not met, NULL not assessed.
ALTER TABLE organisations ADD COLUMN has_position INTEGER;    -- 有服务阵地
ALTER TABLE organisations ADD COLUMN has_ledger INTEGER;      -- 有党员信息台账
ALTER TABLE organisations ADD COLUMN has_mechanism INTEGER;   -- 有服务群众机制
ALTER TABLE organisations ADD COLUMN has_plan INTEGER;        -- 有应急预案
-- The branch secretary and how they were chosen (四个一批): dispatched 机关派,
-- elected 党员选, community 社区兼, veteran 退役军人引.
ALTER TABLE organisations ADD COLUMN secretary_person_id BIGINT REFERENCES people(id);
ALTER TABLE organisations ADD COLUMN secretary_way TEXT;
ALTER TABLE organisations ADD COLUMN one_shoulder INTEGER;    -- 一肩挑: 1 yes, 0 no, NULL unknown
