-- 024: the points-supermarket counter confirms a redemption with something only
-- the resident has (core/redeem_confirm.h), and a redemption form cannot redeem
-- twice.
--
-- A resident's one-time code 兑换码, shown on her own phone: one at a time per
-- person, single use, short-lived. Kept as it is, not hashed: a hash of a
-- 6-digit code is undone by trying all 10^6, so it would protect nothing.
CREATE TABLE points_redeem_codes (
    person_id   BIGINT PRIMARY KEY REFERENCES people(id),
    code        TEXT NOT NULL,
    expires_at  BIGINT NOT NULL,
    created_at  BIGINT NOT NULL
);

-- Every counter confirmation, right (ok 1) or wrong (ok 0), per person and per
-- staff account: the wrong ones in a window are counted, in the database so
-- that every server process shares them.
CREATE TABLE points_confirm_tries (
    id          {{ID}},
    person_id   BIGINT NOT NULL REFERENCES people(id),
    account_id  BIGINT,
    ok          INTEGER NOT NULL,
    at          BIGINT NOT NULL
);
CREATE INDEX points_confirm_tries_person ON points_confirm_tries(person_id, at);
CREATE INDEX points_confirm_tries_account ON points_confirm_tries(account_id, at);

-- The request key of the form that made a redemption: the same form posted
-- again (a reload, a double tap) finds its redemption instead of redeeming again.
ALTER TABLE points_redemptions ADD COLUMN request_key TEXT;
CREATE UNIQUE INDEX points_redemptions_request ON points_redemptions(created_by, request_key)
    WHERE request_key IS NOT NULL;
