-- 027: idempotency keys. A form sent twice, or an API request retried after a
-- lost answer, must act once. Before the handler runs, the request's key is
-- reserved here by a unique insert (so two processes racing on one key cannot
-- both pass); after it, the answer is kept with it, and the same key answers
-- the kept answer again until it expires.
--   scope:        whose key: 'a:<account id>' or 'k:<Open311 api key id>';
--   idem_key:     the page form's one-time token (_once) or the
--                 Idempotency-Key header, as sent (at most 255 characters);
--   request_hash: SHA-256 of method, URL and body: the same key with another
--                 request is refused, not answered with the first answer;
--   state:        0 running, 1 answered (kept below), 2 answered but not kept
--                 (the answer showed a secret once, or was too large);
--   status, content_type, location, body: the kept answer.
CREATE TABLE idempotency_keys (
    scope        {{CODE}} NOT NULL,
    idem_key     {{CODE}} NOT NULL,
    request_hash TEXT NOT NULL,
    state        INTEGER NOT NULL DEFAULT 0,
    status       INTEGER,
    content_type TEXT,
    location     TEXT,
    body         TEXT,
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    PRIMARY KEY (scope, idem_key)
);
CREATE INDEX idempotency_keys_expires ON idempotency_keys(expires_at);
