/* SQL for API keys (Open311 GeoReport v2): one row per key with only its
 * hash, and the side row of each order filed with a key. Lists are scoped:
 * viewer 0 is the command line; otherwise keys whose place lies in the
 * viewer's subtree for the given capability (SCOPE_COVERS). */
#ifndef LINLI_STORE_API_KEYS_H
#define LINLI_STORE_API_KEYS_H
#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"

int64_t store_api_key_insert(db *d, const char *name, const char *place, const char *hash,
                             const char *prefix, int64_t created_by, int64_t now);
/* Sets revoked_at when not yet revoked: 1 done, 0 already revoked. */
int store_api_key_revoke(db *d, int64_t id, int64_t now);
int store_api_key_touch(db *d, int64_t id, int64_t now);

/* A key as the services and handlers read it; times 0 when not yet. */
struct api_key_row {
    int64_t id;
    const char *name, *place_code, *prefix, *place_name, *creator;
    int64_t created_by, created_at, revoked_at, last_used_at;
};
/* Keys the viewer sees, newest first: ids below before_id (0: from the
 * newest), at most limit, into *out: the number of keys, or −1 when the store
 * failed. */
int store_api_keys_find(db *d, arena *a, int64_t viewer, const char *cap, int64_t before_id,
                        int limit, struct api_key_row **out);
/* One key the viewer sees / the key with this hash: false when none. */
bool store_api_key_read(db *d, arena *a, int64_t viewer, const char *cap, int64_t id,
                        struct api_key_row *out);
bool store_api_key_read_hash(db *d, arena *a, const char *hash, struct api_key_row *out);

/* The Open311 side row of an order. */
int store_open311_request_insert(db *d, int64_t order_id, int64_t key_id,
                                 const char *address_string, const char *address_id);

#endif
