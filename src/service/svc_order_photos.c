/* Work-order photos; see svc_order_photos.h. */
#include "service/svc_order_photos.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/order_fsm.h"
#include "service/svc_orders.h"
#include "store/store_audit.h"
#include "store/store_order_photos.h"
#include "store/store_orders.h"
#include "util/clock.h"

const char *order_photo_sniff(const unsigned char *p, size_t n)
{
    if (n >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF) return "image/jpeg";
    if (n >= 8 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0) return "image/png";
    if (n >= 12 && memcmp(p, "RIFF", 4) == 0 && memcmp(p + 8, "WEBP", 4) == 0) return "image/webp";
    return NULL;
}

struct svc_result svc_order_photo_add(db *d, arena *a, const struct principal *who,
                                      int64_t order_id, const char *stage,
                                      const char *declared_mime, const char *data, size_t len)
{
    db_rows *o = store_order_get(d, a, principal_viewer(who), order_id);
    if (!o) return svc_fail(E_NOT_FOUND, NULL, "工单不存在或不在您的范围内");
    bool intake = stage && strcmp(stage, "intake") == 0;
    if (!intake && !(stage && strcmp(stage, "result") == 0))
        return svc_fail(E_BAD_INPUT, "stage",
                        "照片阶段应为 intake（诉求照片）或 result（办结照片）");
    if (len == 0) return svc_fail(E_BAD_INPUT, "photo", "照片是空文件");
    if (len > ORDER_PHOTO_MAX_BYTES) return svc_fail(E_TOO_LARGE, "photo", "每张照片不能超过5MB");
    const char *mime = order_photo_sniff((const unsigned char *)data, len);
    if (!mime || (declared_mime && *declared_mime && strncmp(declared_mime, mime, strlen(mime))))
        return svc_fail(E_BAD_INPUT, "photo", "照片只能是 JPEG、PNG 或 WebP 格式");
    enum order_state s;
    if (!order_state_parse(db_get(o, 0, OC_STATE), &s)) return svc_fail(E_INTERNAL, NULL, NULL);
    unsigned kinds = svc_order_actors(d, who, o);
    unsigned may = intake ? ORDER_ACTOR_REQUESTER | ORDER_ACTOR_DISPATCHER
                          : ORDER_ACTOR_ASSIGNEE | ORDER_ACTOR_DISPATCHER | ORDER_ACTOR_DEPARTMENT |
                                ORDER_ACTOR_SYSTEM;
    if (!(kinds & may))
        return svc_fail(E_FORBIDDEN, "stage",
                        intake ? "只有诉求人和派单人员可以上传诉求照片"
                               : "只有承办人和派单人员可以上传办结照片");
    if (!(order_state_is_active(s) || (!intake && s == ORDER_RESOLVED)))
        return svc_fail(E_CONFLICT, "stage",
                        arena_printf(a, "工单当前状态为「%s」，不能再上传%s照片", order_state_zh(s),
                                     intake ? "诉求" : "办结"));

    size_t blen = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL);
    char *b64 = malloc(blen);
    if (!b64) return svc_fail(E_INTERNAL, NULL, NULL);
    sodium_bin2base64(b64, blen, (const unsigned char *)data, len, sodium_base64_VARIANT_ORIGINAL);
    int64_t now = clock_now();
    if (db_begin(d) < 0) {
        free(b64);
        return svc_fail(E_UNAVAILABLE, NULL, NULL);
    }
    /* counted inside the write transaction, so two uploads cannot both be the 6th */
    if (store_order_photo_lock(d, order_id) < 0) {
        free(b64);
        db_rollback(d);
        return svc_fail(E_INTERNAL, NULL, NULL);
    }
    if (store_order_photo_count(d, order_id, stage) >= ORDER_PHOTOS_MAX) {
        free(b64);
        db_rollback(d);
        return svc_fail(E_CONFLICT, "photo",
                        arena_printf(a, "每个工单最多上传%d张%s照片", ORDER_PHOTOS_MAX,
                                     intake ? "诉求" : "办结"));
    }
    int64_t id = store_order_photo_insert(d, order_id, stage, mime, b64, (int64_t)len, now,
                                          principal_viewer(who));
    free(b64);
    json_t *after = json_pack("{s:I, s:s, s:s, s:I}", "photo_id", (json_int_t)id, "stage", stage,
                              "mime", mime, "size", (json_int_t)len);
    char *aj = json_dumps(after, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(after);
    bool ok = id > 0 && audit_write(d, who, "photo", "order", db_get(o, 0, OC_ID),
                                    db_get(o, 0, OC_PLACE), NULL, aj, NULL) >= 0;
    free(aj);
    if (!ok) {
        fprintf(stderr, "linli: order photo: %s\n", db_errmsg(d));
        db_rollback(d);
        return svc_fail(E_INTERNAL, NULL, NULL);
    }
    if (db_commit(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    return (struct svc_result){.id = id};
}

db_rows *svc_order_photos(db *d, arena *a, const struct principal *who, int64_t order_id)
{
    if (!store_order_get(d, a, principal_viewer(who), order_id)) return NULL;
    return store_order_photos(d, a, order_id);
}

err_code svc_order_photo_get(db *d, arena *a, const struct principal *who, int64_t order_id,
                             int64_t photo_id, const char **mime, const char **data, size_t *len)
{
    if (!store_order_get(d, a, principal_viewer(who), order_id)) return E_NOT_FOUND;
    db_rows *p = store_order_photo_bytes(d, a, order_id, photo_id);
    if (!p) return E_NOT_FOUND;
    const char *b64 = db_get(p, 0, 2);
    size_t size = (size_t)db_get_int(p, 0, 1), got = 0;
    unsigned char *bin = arena_alloc(a, size + 1);
    if (sodium_base642bin(bin, size + 1, b64, strlen(b64), "\r\n", &got, NULL,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        got != size)
        return E_INTERNAL;
    *mime = db_get(p, 0, 0);
    *data = (const char *)bin;
    *len = got;
    return E_OK;
}
