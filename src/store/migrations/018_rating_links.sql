-- 018: rating links 评价链接. A requester without an account (a 12345 caller,
-- someone who filed by phone) rates a resolved order from a link sent to
-- them; an account holder may use it too. Only a hash of the token is kept.
CREATE TABLE order_rating_links (
    id          {{ID}},
    order_id    BIGINT NOT NULL REFERENCES orders(id),
    token_hash  TEXT NOT NULL UNIQUE,       -- hex BLAKE2b of the token
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    used_at     BIGINT
);
CREATE INDEX order_rating_links_order ON order_rating_links(order_id);
