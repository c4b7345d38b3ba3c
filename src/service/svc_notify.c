/* Notifications: inbox rows and webhook outbox rows; see svc_notify.h. */
#include "service/svc_notify.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "service/svc_tx.h"
#include "store/store_notify.h"
#include "store/store_timers.h"
#include "util/clock.h"

/* Is kind in the comma-separated list (NULL or empty: every kind)? */
static bool kind_wanted(const char *kinds, const char *kind)
{
    if (!kinds || !*kinds) return true;
    size_t n = strlen(kind);
    for (const char *p = kinds; *p;) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == n && strncmp(p, kind, n) == 0) return true;
        if (!e) break;
        p = e + 1;
    }
    return false;
}

int64_t notify_account(db *d, int64_t account, const char *kind, int64_t order_id,
                       const char *title, const char *body, time_t now)
{
    int64_t nid = store_notification_add(d, account, kind, order_id, title, body, now);
    if (nid < 0 || order_id <= 0) return nid;
    arena *a = arena_new();
    int64_t rc = nid;
    struct notify_order o;
    struct notify_hook *hooks = NULL;
    bool found = store_notify_order(d, a, order_id, &o);
    int nh = found ? store_notify_hooks(d, a, o.place_code, &hooks) : 0;
    for (int i = 0; i < nh && rc > 0; i++) {
        if (!kind_wanted(hooks[i].kinds, kind)) continue;
        char at[32];
        clock_format_rfc3339(now, at);
        json_t *p = json_pack("{s:s, s:I, s:I, s:s, s:I, s:s?, s:s?, s:s, s:s?, s:s}", "event",
                              "notification", "notification_id", (json_int_t)nid, "account_id",
                              (json_int_t)account, "kind", kind, "order_id", (json_int_t)order_id,
                              "order_code", o.code, "place_code", o.place_code, "title", title,
                              "body", body, "created_at", at);
        char *pj = p ? json_dumps(p, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
        json_decref(p);
        if (!pj || store_outbox_add(d, hooks[i].id, pj, now) < 0) rc = -1;
        free(pj);
    }
    if (!found) rc = -1;
    arena_free(a);
    return rc;
}

int notify_place_webhooks(db *d, arena *a, const char *place, const char *kind, json_t *payload,
                          time_t now)
{
    struct notify_hook *hooks;
    int nh = store_notify_hooks(d, a, place, &hooks);
    if (nh < 0) return -1;
    char at[32];
    clock_format_rfc3339(now, at);
    json_object_set_new(payload, "created_at", json_string(at));
    char *pj = json_dumps(payload, JSON_COMPACT | JSON_SORT_KEYS);
    int rc = pj ? 0 : -1;
    for (int i = 0; i < nh && rc == 0; i++)
        if (kind_wanted(hooks[i].kinds, kind) && store_outbox_add(d, hooks[i].id, pj, now) < 0)
            rc = -1;
    free(pj);
    return rc;
}

int notify_accounts(db *d, const db_rows *accounts, int64_t skip, const char *kind,
                    int64_t order_id, const char *title, const char *body, time_t now)
{
    arena *a = arena_new();
    int64_t *ids;
    int n = store_notify_account_ids(a, accounts, &ids), rc = 0;
    for (int i = 0; i < n && rc == 0; i++) {
        if (ids[i] == skip) continue;
        bool seen = false; /* rows are sorted, but two lists may be concatenated */
        for (int j = 0; j < i && !seen; j++) seen = ids[j] == ids[i];
        if (!seen && notify_account(d, ids[i], kind, order_id, title, body, now) < 0) rc = -1;
    }
    arena_free(a);
    return rc;
}

/* The writes of svc_notification_read. */
static struct svc_result notification_read_tx(db *d, arena *a, void *ctx, struct svc_audit *au)
{
    const struct notify_row *n = ctx;
    struct notify_order o = {0};
    if (n->order_id) store_notify_order(d, a, n->order_id, &o);
    if (store_notification_read(d, n->account, n->id, clock_now()) < 0) return svc_store_failed();
    *au = (struct svc_audit){.action = "read",
                             .entity = "notification",
                             .entity_id = arena_printf(a, "%lld", (long long)n->id),
                             .place_code = o.place_code,
                             .before_json = "{\"read\":false}",
                             .after_json = "{\"read\":true}"};
    return (struct svc_result){.id = n->id};
}

struct svc_result svc_notification_read(db *d, arena *a, const struct principal *who, int64_t id)
{
    int64_t me = principal_viewer(who);
    struct notify_row n;
    if (!me || !store_notify_get(d, a, me, id, &n))
        return svc_fail(E_NOT_FOUND, NULL, "消息不存在");
    if (n.read) return (struct svc_result){.id = id};
    return svc_tx(d, a, who, "notification read", notification_read_tx, &n);
}
