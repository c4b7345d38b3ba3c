/* Work-order photos; see svc_order_photos.h. */
#include "service/svc_order_photos.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/order_fsm.h"
#include "service/svc_orders.h"
#include "service/svc_tx.h"
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

/* A photo, checked: what photo_tx stores. */
struct photo_write {
    const struct principal *who;
    struct order_row order;
    const char *stage, *mime;
    char *b64;
    size_t len;
    bool intake;
};

static struct svc_result photo_tx(db *d, arena *a, void *ctx, struct svc_audit *au)
{
    struct photo_write *w = ctx;
    int64_t order_id = w->order.id;
    /* counted inside the write transaction, so two uploads cannot both be the 6th */
    if (store_order_photo_lock(d, order_id) < 0) return svc_store_failed();
    if (store_order_photo_count(d, order_id, w->stage) >= ORDER_PHOTOS_MAX)
        return svc_fail(E_CONFLICT, "photo",
                        arena_printf(a, "每个工单最多上传%d张%s照片", ORDER_PHOTOS_MAX,
                                     w->intake ? "诉求" : "办结"));
    int64_t id = store_order_photo_insert(d, order_id, w->stage, w->mime, w->b64, (int64_t)w->len,
                                          clock_now(), principal_viewer(w->who));
    if (id <= 0) return svc_store_failed();
    json_t *after = json_pack("{s:I, s:s, s:s, s:I}", "photo_id", (json_int_t)id, "stage", w->stage,
                              "mime", w->mime, "size", (json_int_t)w->len);
    char *aj = json_dumps(after, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(after);
    *au = (struct svc_audit){.action = "photo",
                             .entity = "order",
                             .entity_id = arena_printf(a, "%lld", (long long)order_id),
                             .place_code = w->order.place_code,
                             .after_json = arena_strdup(a, aj)};
    free(aj);
    return (struct svc_result){.id = id};
}

struct svc_result svc_order_photo_add(db *d, arena *a, const struct principal *who,
                                      int64_t order_id, const char *stage,
                                      const char *declared_mime, const char *data, size_t len)
{
    struct order_row o;
    if (!store_order_read(d, a, principal_viewer(who), order_id, &o))
        return svc_fail(E_NOT_FOUND, NULL, "工单不存在或不在您的范围内");
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
    if (!order_state_parse(o.state, &s)) return svc_fail(E_INTERNAL, NULL, NULL);
    unsigned kinds = svc_order_actors_of(d, who, &o);
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
    struct photo_write w = {.order = o,
                            .stage = stage,
                            .mime = mime,
                            .len = len,
                            .who = who,
                            .intake = intake,
                            .b64 = malloc(blen)};
    if (!w.b64) return svc_fail(E_INTERNAL, NULL, NULL);
    sodium_bin2base64(w.b64, blen, (const unsigned char *)data, len,
                      sodium_base64_VARIANT_ORIGINAL);
    struct svc_result res = svc_tx(d, a, who, "order photo", photo_tx, &w);
    free(w.b64);
    return res;
}

/* The photos of an order and the write they come with, in svc_tx. */
struct with_photos {
    const struct principal *who;
    const struct order_intake *intake; /* create, or */
    const struct order_event_args *event;
    int64_t id; /* the event's order */
    const struct order_photo_upload *photos;
    int n;
};

static struct svc_result add_photos(db *d, arena *a, const struct with_photos *w, int64_t id,
                                    const char *stage)
{
    for (int i = 0; i < w->n; i++) {
        const struct order_photo_upload *p = &w->photos[i];
        struct svc_result res = svc_order_photo_add(d, a, w->who, id, stage, NULL, p->data, p->len);
        if (res.err)
            return svc_fail(res.err, res.field,
                            arena_printf(a, "照片「%s」：%s", p->filename,
                                         res.message ? res.message : err_message_zh(res.err)));
    }
    return (struct svc_result){0};
}

static struct svc_result with_photos_tx(db *d, arena *a, void *ctx, struct svc_audit *au)
{
    (void)au; /* the order, the event and each photo record their own */
    struct with_photos *w = ctx;
    if (w->intake) {
        struct svc_result res = svc_order_create(d, a, w->who, w->intake);
        if (res.err) return res;
        struct svc_result ph = add_photos(d, a, w, res.id, "intake");
        return ph.err ? ph : res;
    }
    enum order_event ev;
    if (w->event->event && order_event_parse(w->event->event, &ev) && ev == ORDER_EV_RESOLVE) {
        struct svc_result ph = add_photos(d, a, w, w->id, "result");
        if (ph.err) return ph;
    }
    return svc_order_event(d, a, w->who, w->id, w->event);
}

struct svc_result svc_order_create_with_photos(db *d, arena *a, const struct principal *who,
                                               const struct order_intake *in,
                                               const struct order_photo_upload *photos, int n)
{
    struct with_photos w = {.who = who, .intake = in, .photos = photos, .n = n};
    return svc_tx(d, a, who, "order create", with_photos_tx, &w);
}

struct svc_result svc_order_event_with_photos(db *d, arena *a, const struct principal *who,
                                              int64_t id, const struct order_event_args *in,
                                              const struct order_photo_upload *photos, int n)
{
    struct with_photos w = {.who = who, .event = in, .id = id, .photos = photos, .n = n};
    return svc_tx(d, a, who, "order event", with_photos_tx, &w);
}

int svc_order_photos(db *d, arena *a, const struct principal *who, int64_t order_id,
                     struct order_photo_row **out)
{
    if (!store_order_visible(d, a, principal_viewer(who), order_id)) return -1;
    return store_order_photos(d, a, order_id, out);
}

err_code svc_order_photo_get(db *d, arena *a, const struct principal *who, int64_t order_id,
                             int64_t photo_id, const char **mime, const char **data, size_t *len)
{
    if (!store_order_visible(d, a, principal_viewer(who), order_id)) return E_NOT_FOUND;
    const char *b64;
    int64_t stored;
    if (!store_order_photo_bytes(d, a, order_id, photo_id, mime, &stored, &b64)) return E_NOT_FOUND;
    size_t size = (size_t)stored, got = 0;
    unsigned char *bin = arena_alloc(a, size + 1);
    if (sodium_base642bin(bin, size + 1, b64, strlen(b64), "\r\n", &got, NULL,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        got != size)
        return E_INTERNAL;
    *data = (const char *)bin;
    *len = got;
    return E_OK;
}
