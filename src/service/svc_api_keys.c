/* API keys; see svc_api_keys.h. A key is 32 random bytes in hex behind the
 * prefix "lk_"; the database keeps crypto_generichash of it, so a copy of the
 * database does not hand out working keys. */
#include "service/svc_api_keys.h"

#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "auth/password.h"
#include "core/roles.h"
#include "store/store_accounts.h"
#include "service/svc_audit_json.h"
#include "service/svc_tx.h"
#include "store/store_api_keys.h"
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

struct key_write {
    const char *name, *place, *hash, *prefix;
    int64_t viewer, id;
};

static struct svc_result create_tx(db *d, arena *a, void *ctx, struct svc_audit *au)
{
    struct key_write *w = ctx;
    int64_t id =
        store_api_key_insert(d, w->name, w->place, w->hash, w->prefix, w->viewer, clock_now());
    if (id <= 0) return svc_store_failed();
    *au = (struct svc_audit){
        .action = "create",
        .entity = "api_key",
        .entity_id = arena_printf(a, "%lld", (long long)id),
        .place_code = w->place,
        .after_json = svc_audit_json(a, json_pack("{s:s, s:s, s:s}", "name", w->name, "place_code",
                                                  w->place, "key_prefix", w->prefix))};
    return (struct svc_result){.id = id};
}

struct svc_result svc_api_key_create(db *d, arena *a, const struct principal *who, const char *name,
                                     const char *place, const char **key_out)
{
    int64_t viewer = principal_viewer(who);
    *key_out = NULL;
    const char *n = text_trim(a, name);
    if (!n || !*n) return svc_fail(E_BAD_INPUT, "name", "请填写密钥名称（接入的系统）");
    long chars = text_chars_printable(n);
    if (chars < 0 || chars > API_KEY_NAME_MAX)
        return svc_fail(E_BAD_INPUT, "name", "密钥名称不能超过60个字，且不能含控制字符");
    const char *p = text_trim(a, place);
    if (!p || !*p) return svc_fail(E_BAD_INPUT, "place_code", "请填写密钥适用的区划代码");
    if (!store_place_visible(d, a, viewer, CAP_ACCOUNTS, p))
        return svc_fail(E_BAD_INPUT, "place_code", "区划不存在或不在您的管理范围内");
    if (password_init() != 0) return svc_fail(E_INTERNAL, NULL, NULL);
    unsigned char raw[KEY_BYTES];
    randombytes_buf(raw, sizeof raw);
    char hex[KEY_BYTES * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
    sodium_memzero(raw, sizeof raw);
    const char *key = arena_printf(a, "lk_%s", hex);
    struct key_write w = {.name = n,
                          .place = p,
                          .hash = svc_api_key_hash(a, key),
                          .prefix = arena_strndup(a, key, KEY_PREFIX_SHOWN),
                          .viewer = viewer};
    struct svc_result res = svc_tx(d, a, who, "api key create", create_tx, &w);
    if (!res.err) *key_out = key;
    return res;
}

static struct svc_result revoke_tx(db *d, arena *a, void *ctx, struct svc_audit *au)
{
    const struct api_key_row *k = ctx;
    int n = store_api_key_revoke(d, k->id, clock_now());
    if (n == 0) return svc_fail(E_CONFLICT, NULL, "该密钥已经停用");
    if (n < 0) return svc_store_failed();
    *au = (struct svc_audit){.action = "revoke",
                             .entity = "api_key",
                             .entity_id = arena_printf(a, "%lld", (long long)k->id),
                             .place_code = k->place_code,
                             .note = k->name};
    return (struct svc_result){.id = k->id};
}

struct svc_result svc_api_key_revoke(db *d, arena *a, const struct principal *who, int64_t id)
{
    struct api_key_row k;
    if (!store_api_key_read(d, a, principal_viewer(who), CAP_ACCOUNTS, id, &k))
        return svc_fail(E_NOT_FOUND, NULL, "密钥不存在");
    if (k.revoked_at) return svc_fail(E_CONFLICT, NULL, "该密钥已经停用");
    return svc_tx(d, a, who, "api key revoke", revoke_tx, &k);
}

bool svc_api_key_check(db *d, arena *a, const char *key, struct api_key_info *out)
{
    if (!key || strncmp(key, "lk_", 3) != 0 || strlen(key) != 3 + KEY_BYTES * 2) return false;
    struct api_key_row k;
    if (!store_api_key_read_hash(d, a, svc_api_key_hash(a, key), &k) || k.revoked_at) return false;
    *out = (struct api_key_info){.id = k.id, .name = k.name, .place = k.place_code};
    return true;
}
