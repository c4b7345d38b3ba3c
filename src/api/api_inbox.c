/* The inbox 消息 over the API: one's own notifications only (another
 * account's id answers 404 like a missing one), with the unread count. */
#include <stdlib.h>

#include "http/http.h"
#include "http/json_out.h"
#include "service/svc_notify.h"
#include "store/store_timers.h"
#include "store/store_webhook_rows.h"
#include "util/clock.h"

static json_t *notification_json(const struct notification_row *n)
{
    json_t *j = json_object();
    json_set_int(j, "id", n->id);
    json_set_str(j, "kind", n->kind);
    json_set_id_nz(j, "order_id", n->order_id);
    json_set_str(j, "order_code", n->order_code);
    json_set_str(j, "title", n->title);
    json_set_str(j, "body", n->body);
    json_set_time_at(j, "created_at", n->created_at);
    json_set_time_nz(j, "read_at", n->read_at);
    json_set_bool(j, "read", n->read_at != 0);
    return j;
}

static err_code api_inbox(req *r)
{
    int64_t limit, cursor;
    err_code e = req_page(r, &limit, &cursor);
    if (e) return e;
    const char *unread = req_query(r, "unread");
    int64_t me = r->me->account_id;
    struct notification_row *n;
    int k = store_notifications_find(r->db, r->a, me, unread && unread[0] == '1', cursor,
                                     (int)limit + 1, &n);
    if (k < 0) return E_INTERNAL;
    bool more = k > limit;
    if (more) k = (int)limit;
    json_t *items = json_array();
    for (int i = 0; i < k; i++) json_array_append_new(items, notification_json(&n[i]));
    json_t *page = json_page_id(items, more ? n[k - 1].id : 0);
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
    struct notification_row n;
    if (!store_notification_read_row(r->db, r->a, r->me->account_id, id, &n)) return E_NOT_FOUND;
    json_t *j = notification_json(&n);
    json_set_int(j, "unread", store_notifications_unread(r->db, r->me->account_id));
    return http_json(r, 200, j);
}
ROUTE("POST", "/api/v1/inbox/{id}/read", api_inbox_read, NULL, R_API, "notification",
      "将一条消息标为已读");
