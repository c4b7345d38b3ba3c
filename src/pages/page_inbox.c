/* The inbox 我的消息 page: one's own notifications, newest first, unread
 * ones marked, each with a 标为已读 button (POST /inbox/{id}/read). */
#include <stdlib.h>

#include "http/http.h"
#include "pages/layout.h"
#include "service/svc_notify.h"
#include "store/store_timers.h"
#include "store/store_webhook_rows.h"

enum { INBOX_PAGE = 50 };

static err_code inbox_page(req *r, const char *notice)
{
    int64_t me = r->me->account_id;
    const char *c = req_query(r, "cursor");
    struct notification_row *n;
    int k = store_notifications_find(r->db, r->a, me, false, c ? atoll(c) : 0, INBOX_PAGE + 1, &n);
    if (k < 0) return E_INTERNAL;
    bool more = k > INBOX_PAGE;
    if (more) k = INBOX_PAGE;
    int64_t unread = store_notifications_unread(r->db, me);
    page_begin(r, "我的消息");
    buf *o = &r->out;
    buf_printf(o, "<p class=\"muted\">未读 %lld 条</p>\n", (long long)unread);
    page_message(r, "notice", notice);
    if (k == 0)
        buf_puts(o, "<p class=\"muted\">暂无消息</p>\n");
    else
        buf_puts(o, "<ul class=\"list\">\n");
    for (int i = 0; i < k; i++) {
        bool read = n[i].read_at != 0;
        buf_puts(o, read ? "<li>" : "<li class=\"unread\"><strong>【未读】</strong>");
        buf_hprintf(o, "%s<br><span class=\"muted\">%s", n[i].title, page_time(r, n[i].created_at));
        if (n[i].order_code) buf_hprintf(o, " · 工单 %s", n[i].order_code);
        buf_hprintf(o, "</span><br>%s", n[i].body);
        if (!read) {
            buf_printf(o, " <form class=\"inline\" method=\"post\" action=\"/inbox/%lld/read\">",
                       (long long)n[i].id);
            page_csrf_field(r);
            buf_puts(o, "<button type=\"submit\">标为已读</button></form>");
        }
        buf_puts(o, "</li>\n");
    }
    if (k) buf_puts(o, "</ul>\n");
    if (more)
        buf_printf(o, "<nav class=\"pager\"><a href=\"/inbox?cursor=%lld\">下一页</a></nav>\n",
                   (long long)n[k - 1].id);
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
