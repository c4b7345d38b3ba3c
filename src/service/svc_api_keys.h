/* API keys for Open311 GeoReport v2: create (the key is returned once, only
 * its hash is stored), revoke, and the lookup of a key given with a request.
 * Managing keys needs accounts.admin over the key's place; the command line
 * (who NULL or account 0) is trusted. Every change is audited (entity
 * "api_key"). */
#ifndef LINLI_SVC_API_KEYS_H
#define LINLI_SVC_API_KEYS_H
#include <stdint.h>

#include "core/principal.h"
#include "service/svc_result.h"
#include "store/db.h"

enum { API_KEY_NAME_MAX = 60 };

/* The input of creating a key. */
struct api_key_input {
    const char *name, *place_code;
};

/* Creates a key named name for the place subtree place; *key_out (in a) is
 * the key itself, to be shown once. */
struct svc_result svc_api_key_create(db *d, arena *a, const struct principal *who, const char *name,
                                     const char *place, const char **key_out);
/* Revokes key id. E_NOT_FOUND when not visible, E_CONFLICT when already revoked. */
struct svc_result svc_api_key_revoke(db *d, arena *a, const struct principal *who, int64_t id);

/* A key given with a request: its id, name and place when it exists and is
 * not revoked; false otherwise. */
struct api_key_info {
    int64_t id;
    const char *name, *place;
};
bool svc_api_key_check(db *d, arena *a, const char *key, struct api_key_info *out);

/* The hex hash stored for a key (64 characters, in a). */
const char *svc_api_key_hash(arena *a, const char *key);

#endif
