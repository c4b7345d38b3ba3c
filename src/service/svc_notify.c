/* Notifications: inbox rows and webhook outbox rows; see svc_notify.h. */
#include "service/svc_notify.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_audit.h"
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
    db_rows *o = store_timer_order_place(d, a, order_id);
    db_rows *hooks = o ? store_webhooks_for_place(d, a, db_get(o, 0, 0)) : NULL;
    for (int i = 0; hooks && i < hooks->nrows && rc > 0; i++) {
        if (!kind_wanted(db_get(hooks, i, 1), kind)) continue;
        char at[32];
        clock_format_rfc3339(now, at);
        json_t *p = json_pack("{s:s, s:I, s:I, s:s, s:I, s:s?, s:s?, s:s, s:s?, s:s}", "event",
                              "notification", "notification_id", (json_int_t)nid, "account_id",
                              (json_int_t)account, "kind", kind, "order_id", (json_int_t)order_id,
                              "order_code", db_get(o, 0, 1), "place_code", db_get(o, 0, 0), "title",
                              title, "body", body, "created_at", at);
        char *pj = p ? json_dumps(p, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
        json_decref(p);
        if (!pj || store_outbox_add(d, db_get_int(hooks, i, 0), pj, now) < 0) rc = -1;
        free(pj);
    }
    if (!o) rc = -1;
    arena_free(a);
    return rc;
}

int notify_place_webhooks(db *d, arena *a, const char *place, const char *kind, json_t *payload,
                          time_t now)
{
    db_rows *hooks = store_webhooks_for_place(d, a, place);
    if (!hooks) return -1;
    char at[32];
    clock_format_rfc3339(now, at);
    json_object_set_new(payload, "created_at", json_string(at));
    char *pj = json_dumps(payload, JSON_COMPACT | JSON_SORT_KEYS);
    int rc = pj ? 0 : -1;
    for (int i = 0; i < hooks->nrows && rc == 0; i++)
        if (kind_wanted(db_get(hooks, i, 1), kind) &&
            store_outbox_add(d, db_get_int(hooks, i, 0), pj, now) < 0)
            rc = -1;
    free(pj);
    return rc;
}

int notify_accounts(db *d, const db_rows *accounts, int64_t skip, const char *kind,
                    int64_t order_id, const char *title, const char *body, time_t now)
{
    for (int i = 0; accounts && i < accounts->nrows; i++) {
        int64_t id = db_get_int(accounts, i, 0);
        if (id == skip) continue;
        bool seen = false; /* rows are sorted, but two lists may be concatenated */
        for (int j = 0; j < i && !seen; j++) seen = db_get_int(accounts, j, 0) == id;
        if (seen) continue;
        if (notify_account(d, id, kind, order_id, title, body, now) < 0) return -1;
    }
    return 0;
}

struct svc_result svc_notification_read(db *d, arena *a, const struct principal *who, int64_t id)
{
    int64_t me = who ? who->account_id : 0;
    db_rows *n = me ? store_notification_get(d, a, me, id) : NULL;
    if (!n) return svc_fail(E_NOT_FOUND, NULL, "消息不存在");
    if (db_get(n, 0, NC_READ)) return (struct svc_result){.id = id};
    if (db_begin(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    int64_t now = clock_now();
    db_rows *o =
        db_get(n, 0, NC_ORDER) ? store_timer_order_place(d, a, db_get_int(n, 0, NC_ORDER)) : NULL;
    if (store_notification_read(d, me, id, now) < 0 ||
        audit_write(d, who, "read", "notification", db_get(n, 0, NC_ID), o ? db_get(o, 0, 0) : NULL,
                    "{\"read\":false}", "{\"read\":true}", NULL) < 0) {
        db_rollback(d);
        return svc_fail(E_INTERNAL, NULL, NULL);
    }
    if (db_commit(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    return (struct svc_result){.id = id};
}
