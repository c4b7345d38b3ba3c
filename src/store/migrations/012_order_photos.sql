-- 012: photos of work orders 工单照片: what the requester saw (intake) and
-- what the assignee did (result), at most 6 per order and stage (checked by
-- the service). The bytes are stored as base64 text: the storage interface
-- (db.h) binds text parameters only, and text reads back the same on both
-- stores. mime is decided from the magic bytes, never from the client.

CREATE TABLE order_photos (
    id         {{ID}},
    order_id   BIGINT NOT NULL REFERENCES orders(id),
    stage      TEXT NOT NULL CHECK (stage IN ('intake', 'result')),
    mime       TEXT NOT NULL CHECK (mime IN ('image/jpeg', 'image/png', 'image/webp')),
    bytes      TEXT NOT NULL,             -- base64 of the file
    size       INTEGER NOT NULL,          -- bytes of the file (before base64)
    created_at BIGINT NOT NULL,
    created_by BIGINT                     -- account (NULL: command line)
);
CREATE INDEX order_photos_order ON order_photos(order_id, stage, id);
