/* API keys and the Open311 side rows; see store_api_keys.h. */
#include "store/store_api_keys.h"

#include "store/scope.h"
#include "store/store_rows.h"

#define KEY_COLS                                                                                   \
    "k.id, k.name, k.place_code, k.key_prefix, k.created_by, k.created_at, k.revoked_at, "         \
    "k.last_used_at, (SELECT p.name FROM places p WHERE p.code = k.place_code), "                  \
    "(SELECT ac.username FROM accounts ac WHERE ac.id = k.created_by) "

/* Columns of key rows (list, get, by_hash). */
enum api_key_col {
    AK_ID,
    AK_NAME,
    AK_PLACE,
    AK_PREFIX,
    AK_CREATED_BY,
    AK_CREATED_AT,
    AK_REVOKED_AT,
    AK_LAST_USED_AT,
    AK_PLACE_NAME,
    AK_CREATOR,
    AK__COUNT
};

int64_t store_api_key_insert(db *d, const char *name, const char *place, const char *hash,
                             const char *prefix, int64_t created_by, int64_t now)
{
    arena *a = arena_new();
    db_rows *r = DBQ(d, a,
                     "INSERT INTO api_keys(name, place_code, key_hash, key_prefix, created_by, "
                     "created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                     P_TEXT(name), P_TEXT(place), P_TEXT(hash), P_TEXT(prefix),
                     created_by > 0 ? P_INT(created_by) : P_NULL, P_INT(now));
    int64_t id = r && r->nrows == 1 ? db_get_int(r, 0, 0) : -1;
    arena_free(a);
    return id;
}

static db_rows *store_api_keys_list(db *d, arena *a, int64_t viewer, const char *cap,
                                    int64_t before_id, int limit)
{
    return DBQ(d, a,
               "SELECT " KEY_COLS
               "FROM api_keys k WHERE (? = 0 OR k.id < ?) AND (? = 0 OR " SCOPE_COVERS(
                   "k.place_code") ") ORDER BY k.id DESC LIMIT ?",
               P_INT(before_id), P_INT(before_id), P_INT(viewer), P_INT(viewer), P_TEXT(cap),
               P_INT(limit));
}

static db_rows *store_api_key_get(db *d, arena *a, int64_t viewer, const char *cap, int64_t id)
{
    db_rows *r =
        DBQ(d, a,
            "SELECT " KEY_COLS
            "FROM api_keys k WHERE k.id = ? AND (? = 0 OR " SCOPE_COVERS("k.place_code") ")",
            P_INT(id), P_INT(viewer), P_INT(viewer), P_TEXT(cap));
    return r && r->nrows ? r : NULL;
}

static db_rows *store_api_key_by_hash(db *d, arena *a, const char *hash)
{
    db_rows *r = DBQ(d, a, "SELECT " KEY_COLS "FROM api_keys k WHERE k.key_hash = ?", P_TEXT(hash));
    return r && r->nrows ? r : NULL;
}

static void key_fill(const db_rows *r, int i, void *out)
{
    *(struct api_key_row *)out =
        (struct api_key_row){.id = db_get_int(r, i, AK_ID),
                             .name = db_get(r, i, AK_NAME),
                             .place_code = db_get(r, i, AK_PLACE),
                             .prefix = db_get(r, i, AK_PREFIX),
                             .created_by = db_get_int(r, i, AK_CREATED_BY),
                             .created_at = db_get_int(r, i, AK_CREATED_AT),
                             .revoked_at = db_get_int(r, i, AK_REVOKED_AT),
                             .last_used_at = db_get_int(r, i, AK_LAST_USED_AT),
                             .place_name = db_get(r, i, AK_PLACE_NAME),
                             .creator = db_get(r, i, AK_CREATOR)};
}

int store_api_keys_find(db *d, arena *a, int64_t viewer, const char *cap, int64_t before_id,
                        int limit, struct api_key_row **out)
{
    int n;
    *out = store_rows(a, store_api_keys_list(d, a, viewer, cap, before_id, limit), sizeof **out,
                      key_fill, &n);
    return n;
}

bool store_api_key_read(db *d, arena *a, int64_t viewer, const char *cap, int64_t id,
                        struct api_key_row *out)
{
    db_rows *r = store_api_key_get(d, a, viewer, cap, id);
    if (r) key_fill(r, 0, out);
    return r != NULL;
}

bool store_api_key_read_hash(db *d, arena *a, const char *hash, struct api_key_row *out)
{
    db_rows *r = store_api_key_by_hash(d, a, hash);
    if (r) key_fill(r, 0, out);
    return r != NULL;
}

int store_api_key_revoke(db *d, int64_t id, int64_t now)
{
    return DBX(d, "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
               P_INT(now), P_INT(id));
}

int store_api_key_touch(db *d, int64_t id, int64_t now)
{
    return DBX(d, "UPDATE api_keys SET last_used_at = ? WHERE id = ?", P_INT(now), P_INT(id));
}

int store_open311_request_insert(db *d, int64_t order_id, int64_t key_id,
                                 const char *address_string, const char *address_id)
{
    return DBX(d,
               "INSERT INTO open311_requests(order_id, api_key_id, address_string, address_id) "
               "VALUES (?, ?, ?, ?)",
               P_INT(order_id), P_INT(key_id), P_OPT(address_string), P_OPT(address_id));
}
