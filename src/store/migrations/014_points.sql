-- 014: the points ledger 积分 and the points supermarket 积分超市 (docs/points.md).
--
-- A double-entry ledger: every movement has entries that sum to zero over the
-- ledger accounts (a community's issuing account 发放账户, one account per
-- person, a community's supermarket account 积分超市). Movements and entries
-- are immutable: the triggers at the end refuse UPDATE and DELETE, so a
-- mistake is corrected by a reversing movement. balance is a cache of the sum
-- of an account's entries, changed in the same transaction (`linli check ledger`).

CREATE TABLE points_accounts (
    id          {{ID}},
    kind        TEXT NOT NULL,            -- issue person market
    place_code  {{CODE}} REFERENCES places(code),   -- issue, market: the community
    person_id   BIGINT REFERENCES people(id),       -- person
    balance     BIGINT NOT NULL DEFAULT 0,
    created_at  BIGINT NOT NULL,
    CHECK (kind = 'issue' OR kind = 'market' OR kind = 'person'),
    CHECK (kind = 'issue' OR balance >= 0)
);
CREATE UNIQUE INDEX points_accounts_place ON points_accounts(kind, place_code) WHERE person_id IS NULL;
CREATE UNIQUE INDEX points_accounts_person ON points_accounts(person_id) WHERE person_id IS NOT NULL;

CREATE TABLE points_movements (
    id          {{ID}},
    kind        TEXT NOT NULL,            -- award redeem reverse adjust
    place_code  {{CODE}} NOT NULL REFERENCES places(code),  -- the community
    person_id   BIGINT NOT NULL REFERENCES people(id),
    points      BIGINT NOT NULL,          -- what the person gained (negative: spent)
    source_type TEXT NOT NULL,            -- serve_activity finish_order fulfil_wish … redemption reversal manual
    source_id   BIGINT NOT NULL,
    reason      TEXT,
    created_by  BIGINT,                   -- account; NULL: system / command line
    created_at  BIGINT NOT NULL,
    reverses_id BIGINT REFERENCES points_movements(id)
);
-- The claim: one source pays a person once.
CREATE UNIQUE INDEX points_movements_award ON points_movements(source_type, source_id, person_id)
    WHERE kind = 'award';
-- A movement is reversed at most once.
CREATE UNIQUE INDEX points_movements_reverses ON points_movements(reverses_id)
    WHERE reverses_id IS NOT NULL;
CREATE INDEX points_movements_person ON points_movements(person_id, id);
CREATE INDEX points_movements_place ON points_movements(place_code, created_at);

CREATE TABLE points_entries (
    id          {{ID}},
    movement_id BIGINT NOT NULL REFERENCES points_movements(id),
    account_id  BIGINT NOT NULL REFERENCES points_accounts(id),
    amount      BIGINT NOT NULL
);
CREATE INDEX points_entries_movement ON points_entries(movement_id);
CREATE INDEX points_entries_account ON points_entries(account_id, id);

-- Rules 服务换积分: per community (or a division above, for all its
-- communities; the nearest wins), per source type, points and a cap per person
-- per period (cap 0: none).
CREATE TABLE points_rules (
    id          {{ID}},
    place_code  {{CODE}} NOT NULL REFERENCES places(code),
    source_type TEXT NOT NULL,
    name        TEXT NOT NULL,
    points      BIGINT NOT NULL,
    cap_points  BIGINT NOT NULL DEFAULT 0,
    cap_period  TEXT NOT NULL DEFAULT 'month',   -- day week month year
    active      INTEGER NOT NULL DEFAULT 1,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    UNIQUE (place_code, source_type)
);

-- Goods of the supermarket, with their stock.
CREATE TABLE points_goods (
    id          {{ID}},
    place_code  {{CODE}} NOT NULL REFERENCES places(code),
    name        TEXT NOT NULL,
    price       BIGINT NOT NULL,          -- points
    stock       BIGINT NOT NULL DEFAULT 0,
    source      TEXT NOT NULL,            -- donation 爱心捐赠 / purchase 社区自筹
    donor       TEXT,
    active      INTEGER NOT NULL DEFAULT 1,
    created_at  BIGINT NOT NULL,
    CHECK (stock >= 0 AND price > 0)
);
CREATE INDEX points_goods_place ON points_goods(place_code, id);

-- Redemptions: what was taken, by whom, how the person confirmed.
CREATE TABLE points_redemptions (
    id          {{ID}},
    goods_id    BIGINT NOT NULL REFERENCES points_goods(id),
    person_id   BIGINT NOT NULL REFERENCES people(id),
    qty         BIGINT NOT NULL,
    points      BIGINT NOT NULL,
    confirmed   TEXT NOT NULL,            -- self (own account) / phone4 (counter: last 4 digits)
    created_by  BIGINT,
    created_at  BIGINT NOT NULL
);
CREATE INDEX points_redemptions_person ON points_redemptions(person_id, id);

-- Stock movements: donation_in purchase_in redeem_out return_in (a reversal).
CREATE TABLE points_stock_moves (
    id          {{ID}},
    goods_id    BIGINT NOT NULL REFERENCES points_goods(id),
    kind        TEXT NOT NULL,
    qty         BIGINT NOT NULL,          -- signed: + in, - out
    donor       TEXT,
    note        TEXT,
    redemption_id BIGINT REFERENCES points_redemptions(id),
    created_by  BIGINT,
    created_at  BIGINT NOT NULL
);
CREATE INDEX points_stock_moves_goods ON points_stock_moves(goods_id, id);

-- Immutability of the ledger.
{{SQLITE}}
CREATE TRIGGER points_entries_no_update BEFORE UPDATE ON points_entries
BEGIN SELECT RAISE(ABORT, 'points entries are immutable: reverse the movement instead'); END;
CREATE TRIGGER points_entries_no_delete BEFORE DELETE ON points_entries
BEGIN SELECT RAISE(ABORT, 'points entries are immutable: reverse the movement instead'); END;
CREATE TRIGGER points_movements_no_update BEFORE UPDATE ON points_movements
BEGIN SELECT RAISE(ABORT, 'points movements are immutable: reverse the movement instead'); END;
CREATE TRIGGER points_movements_no_delete BEFORE DELETE ON points_movements
BEGIN SELECT RAISE(ABORT, 'points movements are immutable: reverse the movement instead'); END;
{{END}}
{{PG}}
CREATE FUNCTION points_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% are immutable: reverse the movement instead', TG_TABLE_NAME;
END $$;
CREATE TRIGGER points_entries_immutable BEFORE UPDATE OR DELETE ON points_entries
    FOR EACH ROW EXECUTE FUNCTION points_immutable();
CREATE TRIGGER points_movements_immutable BEFORE UPDATE OR DELETE ON points_movements
    FOR EACH ROW EXECUTE FUNCTION points_immutable();
CREATE TRIGGER points_entries_no_truncate BEFORE TRUNCATE ON points_entries
    FOR EACH STATEMENT EXECUTE FUNCTION points_immutable();
CREATE TRIGGER points_movements_no_truncate BEFORE TRUNCATE ON points_movements
    FOR EACH STATEMENT EXECUTE FUNCTION points_immutable();
{{END}}
