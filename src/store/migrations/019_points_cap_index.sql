-- 019: the cap check of an award (store_points_awarded) sums one person's
-- awards of one source type in one community and period; without this index
-- it walked every award of the community in the period, under the write lock.
CREATE INDEX points_movements_cap ON points_movements(person_id, place_code, source_type, created_at);
