/* The inbox 消息 over the API: one's own notifications only (another
 * account's id answers 404 like a missing one), with the unread count. */
#include <stdlib.h>

#include "http/http.h"
#include "http/json_out.h"
#include "service/svc_notify.h"
#include "store/store_timers.h"
#include "util/clock.h"

static json_t *notification_json(const db_rows *n, int i)
{
    json_t *j = json_object();
    json_set_id(j, "id", db_get(n, i, NC_ID));
    json_set_str(j, "kind", db_get(n, i, NC_KIND));
    json_set_id(j, "order_id", db_get(n, i, NC_ORDER));
    json_set_str(j, "order_code", db_get(n, i, NC_ORDER_CODE));
    json_set_str(j, "title", db_get(n, i, NC_TITLE));
    json_set_str(j, "body", db_get(n, i, NC_BODY));
    json_set_time(j, "created_at", db_get(n, i, NC_CREATED));
    json_set_time(j, "read_at", db_get(n, i, NC_READ));
    json_set_bool(j, "read", db_get(n, i, NC_READ) != NULL);
    return j;
}

static err_code api_inbox(req *r)
{
    int64_t limit, cursor;
    err_code e = req_int(r, "query", "limit", 1, 500, 50, &limit);
    if (!e) e = req_int(r, "query", "cursor", 0, INT64_MAX, 0, &cursor);
    if (e) return e;
    const char *unread = req_query(r, "unread");
    int64_t me = r->me->account_id;
    db_rows *n = store_notifications_list(r->db, r->a, me, unread && unread[0] == '1', cursor,
                                          (int)limit + 1);
    if (!n) return E_INTERNAL;
    int k = n->nrows > limit ? (int)limit : n->nrows;
    json_t *items = json_array();
    for (int i = 0; i < k; i++) json_array_append_new(items, notification_json(n, i));
    json_t *page = json_page(items, n->nrows > limit ? db_get(n, k - 1, NC_ID) : NULL);
    json_set_int(page, "unread", store_notifications_unread(r->db, me));
    return http_json(r, 200, page);
}
ROUTE("GET", "/api/v1/inbox", api_inbox, NULL, R_API, NULL,
      "我的消息（派单、接单、办结、退单、预警、超时等提醒；unread=1 只看未读），含未读数");

static err_code api_inbox_read(req *r)
{
    int64_t id = req_id(r, "id");
    struct svc_result res = svc_notification_read(r->db, r->a, r->me, id);
    if (res.err) return http_fail(r, res.err, res.field, res.message);
    db_rows *n = store_notification_get(r->db, r->a, r->me->account_id, id);
    if (!n) return E_NOT_FOUND;
    json_t *j = notification_json(n, 0);
    json_set_int(j, "unread", store_notifications_unread(r->db, r->me->account_id));
    return http_json(r, 200, j);
}
ROUTE("POST", "/api/v1/inbox/{id}/read", api_inbox_read, NULL, R_API, "notification",
      "将一条消息标为已读");
