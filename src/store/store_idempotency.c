/* Idempotency keys: see store_idempotency.h. */
#include "store/store_idempotency.h"

int store_idem_reserve(db *d, const char *scope, const char *key, const char *request_hash,
                       int64_t now, int64_t expires_at)
{
    if (DBX(d, "DELETE FROM idempotency_keys WHERE scope = ? AND idem_key = ? AND expires_at <= ?",
            P_TEXT(scope), P_TEXT(key), P_INT(now)) < 0)
        return -1;
    /* DO NOTHING, not an error: on PostgreSQL a racing insert of the same key
     * waits for the other's commit and then inserts nothing */
    return DBX(d,
               "INSERT INTO idempotency_keys(scope, idem_key, request_hash, state, created_at, "
               "expires_at) VALUES (?, ?, ?, 0, ?, ?) ON CONFLICT (scope, idem_key) DO NOTHING",
               P_TEXT(scope), P_TEXT(key), P_TEXT(request_hash), P_INT(now), P_INT(expires_at));
}

enum { IK_HASH, IK_STATE, IK_STATUS, IK_CONTENT_TYPE, IK_LOCATION, IK_BODY, IK_CREATED_AT };

int store_idem_get(db *d, arena *a, const char *scope, const char *key, int64_t now,
                   struct idem_key *out)
{
    db_rows *r = DBQ(d, a,
                     "SELECT request_hash, state, status, content_type, location, body, created_at "
                     "FROM idempotency_keys WHERE scope = ? AND idem_key = ? AND expires_at > ?",
                     P_TEXT(scope), P_TEXT(key), P_INT(now));
    if (!r) return -1;
    if (r->nrows != 1) return 0;
    *out = (struct idem_key){.request_hash = db_get(r, 0, IK_HASH),
                             .content_type = db_get(r, 0, IK_CONTENT_TYPE),
                             .location = db_get(r, 0, IK_LOCATION),
                             .body = db_get(r, 0, IK_BODY),
                             .state = (int)db_get_int(r, 0, IK_STATE),
                             .status = (int)db_get_int(r, 0, IK_STATUS),
                             .created_at = db_get_int(r, 0, IK_CREATED_AT)};
    return 1;
}

int store_idem_finish(db *d, const char *scope, const char *key, int state, int status,
                      const char *content_type, const char *location, const char *body)
{
    return DBX(d,
               "UPDATE idempotency_keys SET state = ?, status = ?, content_type = ?, location = ?, "
               "body = ? WHERE scope = ? AND idem_key = ? AND state = 0",
               P_INT(state), state == IDEM_KEPT ? P_INT(status) : P_NULL, P_NTEXT(content_type),
               P_NTEXT(location), P_NTEXT(body), P_TEXT(scope), P_TEXT(key));
}

int store_idem_release(db *d, const char *scope, const char *key)
{
    return DBX(d, "DELETE FROM idempotency_keys WHERE scope = ? AND idem_key = ? AND state = 0",
               P_TEXT(scope), P_TEXT(key));
}

int store_idem_purge(db *d, int64_t now)
{
    return DBX(d, "DELETE FROM idempotency_keys WHERE expires_at <= ?", P_INT(now));
}
