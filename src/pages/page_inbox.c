/* The inbox 我的消息 page: one's own notifications, newest first, unread
 * ones marked, each with a 标为已读 button (POST /inbox/{id}/read). */
#include <stdlib.h>

#include "http/http.h"
#include "pages/layout.h"
#include "service/svc_notify.h"
#include "store/store_timers.h"

enum { INBOX_PAGE = 50 };

static err_code inbox_page(req *r, const char *notice)
{
    int64_t me = r->me->account_id;
    const char *c = req_query(r, "cursor");
    db_rows *n = store_notifications_list(r->db, r->a, me, false, c ? atoll(c) : 0, INBOX_PAGE + 1);
    if (!n) return E_INTERNAL;
    int64_t unread = store_notifications_unread(r->db, me);
    page_begin(r, "我的消息");
    buf *o = &r->out;
    buf_printf(o, "<p class=\"muted\">未读 %lld 条</p>\n", (long long)unread);
    page_message(r, "notice", notice);
    int k = n->nrows > INBOX_PAGE ? INBOX_PAGE : n->nrows;
    if (k == 0)
        buf_puts(o, "<p class=\"muted\">暂无消息</p>\n");
    else
        buf_puts(o, "<ul class=\"list\">\n");
    for (int i = 0; i < k; i++) {
        bool read = db_get(n, i, NC_READ) != NULL;
        buf_puts(o, read ? "<li>" : "<li class=\"unread\"><strong>【未读】</strong>");
        buf_html(o, db_get(n, i, NC_TITLE));
        buf_puts(o, "<br><span class=\"muted\">");
        buf_html(o, page_time(r, db_get_int(n, i, NC_CREATED)));
        if (db_get(n, i, NC_ORDER_CODE)) {
            buf_puts(o, " · 工单 ");
            buf_html(o, db_get(n, i, NC_ORDER_CODE));
        }
        buf_puts(o, "</span><br>");
        buf_html(o, db_get(n, i, NC_BODY));
        if (!read) {
            buf_puts(o, " <form class=\"inline\" method=\"post\" action=\"/inbox/");
            buf_html(o, db_get(n, i, NC_ID));
            buf_puts(o, "/read\">");
            page_csrf_field(r);
            buf_puts(o, "<button type=\"submit\">标为已读</button></form>");
        }
        buf_puts(o, "</li>\n");
    }
    if (k) buf_puts(o, "</ul>\n");
    if (n->nrows > INBOX_PAGE) {
        buf_puts(o, "<nav class=\"pager\"><a href=\"/inbox?cursor=");
        buf_html(o, db_get(n, k - 1, NC_ID));
        buf_puts(o, "\">下一页</a></nav>\n");
    }
    return page_end(r);
}

static err_code page_inbox(req *r)
{
    return inbox_page(r, NULL);
}
ROUTE("GET", "/inbox", page_inbox, NULL, R_PAGE, NULL, "我的消息");

static err_code page_inbox_read(req *r)
{
    int64_t id = req_id(r, "id");
    struct svc_result res = svc_notification_read(r->db, r->a, r->me, id);
    if (res.err) return res.err;
    return http_redirect(r, "/inbox");
}
ROUTE("POST", "/inbox/{id}/read", page_inbox_read, NULL, R_PAGE, "notification",
      "将一条消息标为已读");
