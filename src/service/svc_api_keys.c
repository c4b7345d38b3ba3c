/* API keys; see svc_api_keys.h. A key is 32 random bytes in hex behind the
 * prefix "lk_"; the database keeps crypto_generichash of it, so a copy of the
 * database does not hand out working keys. */
#include "service/svc_api_keys.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/password.h"
#include "core/roles.h"
#include "store/store_accounts.h"
#include "store/store_api_keys.h"
#include "store/store_audit.h"
#include "store/store_places.h"
#include "util/clock.h"
#include "util/text.h"

#define KEY_BYTES        32
#define KEY_PREFIX_SHOWN 10 /* "lk_" and 7 hex digits: tells keys apart in lists */

const char *svc_api_key_hash(arena *a, const char *key)
{
    unsigned char h[32];
    crypto_generichash(h, sizeof h, (const unsigned char *)key, strlen(key), NULL, 0);
    char *hex = arena_alloc(a, sizeof h * 2 + 1);
    sodium_bin2hex(hex, sizeof h * 2 + 1, h, sizeof h);
    return hex;
}

struct svc_result svc_api_key_create(db *d, arena *a, const struct principal *who, const char *name,
                                     const char *place, const char **key_out)
{
    int64_t viewer = principal_viewer(who);
    *key_out = NULL;
    const char *n = text_trim(a, name);
    if (!n || !*n) return svc_fail(E_BAD_INPUT, "name", "请填写密钥名称（接入的系统）");
    long chars = text_chars_printable(n);
    if (chars < 0 || chars > 60)
        return svc_fail(E_BAD_INPUT, "name", "密钥名称不能超过60个字，且不能含控制字符");
    const char *p = text_trim(a, place);
    if (!p || !*p) return svc_fail(E_BAD_INPUT, "place_code", "请填写密钥适用的区划代码");
    if (!store_place_level(d, a, p) ||
        (viewer && !store_place_in_scope(d, viewer, CAP_ACCOUNTS, p)))
        return svc_fail(E_BAD_INPUT, "place_code", "区划不存在或不在您的管理范围内");
    if (password_init() != 0) return svc_fail(E_INTERNAL, NULL, NULL);
    unsigned char raw[KEY_BYTES];
    randombytes_buf(raw, sizeof raw);
    char hex[KEY_BYTES * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
    const char *key = arena_printf(a, "lk_%s", hex);
    const char *prefix = arena_strndup(a, key, KEY_PREFIX_SHOWN);
    int64_t now = clock_now();
    if (db_begin(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    int64_t id = store_api_key_insert(d, n, p, svc_api_key_hash(a, key), prefix, viewer, now);
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", (long long)id);
    json_t *after = json_pack("{s:s, s:s, s:s}", "name", n, "place_code", p, "key_prefix", prefix);
    char *aj = json_dumps(after, JSON_COMPACT);
    json_decref(after);
    bool ok = id > 0 && audit_write(d, who, "create", "api_key", ids, p, NULL, aj, NULL) >= 0;
    free(aj);
    if (!ok) {
        fprintf(stderr, "linli: api key create: %s\n", db_errmsg(d));
        db_rollback(d);
        return svc_fail(E_INTERNAL, NULL, NULL);
    }
    if (db_commit(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    sodium_memzero(raw, sizeof raw);
    *key_out = key;
    return (struct svc_result){.id = id};
}

struct svc_result svc_api_key_revoke(db *d, arena *a, const struct principal *who, int64_t id)
{
    int64_t viewer = principal_viewer(who);
    db_rows *k = store_api_key_get(d, a, viewer, CAP_ACCOUNTS, id);
    if (!k) return svc_fail(E_NOT_FOUND, NULL, "密钥不存在");
    if (db_get(k, 0, AK_REVOKED_AT)) return svc_fail(E_CONFLICT, NULL, "该密钥已经停用");
    if (db_begin(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", (long long)id);
    int n = store_api_key_revoke(d, id, clock_now());
    if (n == 0) {
        db_rollback(d);
        return svc_fail(E_CONFLICT, NULL, "该密钥已经停用");
    }
    if (n < 0 || audit_write(d, who, "revoke", "api_key", ids, db_get(k, 0, AK_PLACE), NULL, NULL,
                             db_get(k, 0, AK_NAME)) < 0) {
        db_rollback(d);
        return svc_fail(E_INTERNAL, NULL, NULL);
    }
    if (db_commit(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    return (struct svc_result){.id = id};
}

bool svc_api_key_check(db *d, arena *a, const char *key, struct api_key_info *out)
{
    if (!key || strncmp(key, "lk_", 3) != 0 || strlen(key) != 3 + KEY_BYTES * 2) return false;
    db_rows *k = store_api_key_by_hash(d, a, svc_api_key_hash(a, key));
    if (!k || db_get(k, 0, AK_REVOKED_AT)) return false;
    out->id = db_get_int(k, 0, AK_ID);
    out->name = db_get(k, 0, AK_NAME);
    out->place = db_get(k, 0, AK_PLACE);
    return true;
}
