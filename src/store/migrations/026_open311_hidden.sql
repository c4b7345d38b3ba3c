-- 026: orders staff have taken out of the public Open311 feed
-- (docs/open311.md, "What GET shows"). A row hides the order from
-- GET /open311/v2/requests and /requests/{id}; deleting it shows the order
-- again. Who and when are kept here; the audit log has every change.
-- The Open311 answers are not kept by the response cache, so no change
-- counter depends on this table.
CREATE TABLE open311_hidden (
    order_id   BIGINT PRIMARY KEY REFERENCES orders(id),
    hidden_by  BIGINT,                    -- account (NULL: command line)
    hidden_at  BIGINT NOT NULL
);
