-- 011: API keys for Open311 GeoReport v2 (docs/open311.md) and what each
-- Open311 request carried besides the work order itself. Only a hash of a key
-- is stored (libsodium crypto_generichash, hex); the key is shown once.

CREATE TABLE api_keys (
    id           {{ID}},
    name         TEXT NOT NULL,
    place_code   {{CODE}} NOT NULL REFERENCES places(code), -- requests only inside this subtree
    key_hash     TEXT NOT NULL UNIQUE,
    key_prefix   TEXT NOT NULL,             -- the first characters, to tell keys apart in lists
    created_by   BIGINT,                    -- account (NULL: command line)
    created_at   BIGINT NOT NULL,
    revoked_at   BIGINT,
    last_used_at BIGINT
);
CREATE INDEX api_keys_place ON api_keys(place_code, id);

-- An order filed through Open311: the key that filed it and the location as
-- given (address_string, address_id); lat/long are on the order.
CREATE TABLE open311_requests (
    order_id       BIGINT PRIMARY KEY REFERENCES orders(id),
    api_key_id     BIGINT NOT NULL REFERENCES api_keys(id),
    address_string TEXT,
    address_id     TEXT
);
