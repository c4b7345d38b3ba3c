/* The public-feed card and its form; see page_order_public.h. */
#include "pages/page_order_public.h"

#include <string.h>

#include "core/order_fsm.h"
#include "pages/layout.h"
#include "pages/page_order_extras.h"
#include "http/bind_orders.h"
#include "service/svc_order_public.h"
#include "service/svc_orders.h"
#include "store/store_orders.h"

void page_order_public_card(req *r, int64_t order_id)
{
    db_rows *ord = store_order_get(r->db, r->a, r->me->account_id, order_id);
    if (!ord) return;
    unsigned kinds = svc_order_actors(r->db, r->me, ord);
    if (!(kinds & (ORDER_ACTOR_DISPATCHER | ORDER_ACTOR_SECRETARY))) return;
    bool hidden;
    if (svc_order_public_get(r->db, r->a, r->me, order_id, &hidden).err) return;
    buf *o = &r->out;
    buf_puts(o, "<section class=\"card\"><h2>公开诉求列表</h2><p>");
    buf_puts(o, hidden ? "本工单不在公开诉求列表（Open311）中显示。"
                       : "本工单在公开诉求列表（Open311）中显示：只显示到小区，坐标约百米，"
                         "诉求内容中的电话和身份证号已隐去。");
    buf_printf(o, "</p><form method=\"post\" action=\"/orders/%lld/open311\">",
               (long long)order_id);
    page_csrf_field(r);
    buf_printf(o, "<input type=\"hidden\" name=\"open311_hidden\" value=\"%d\">", hidden ? 0 : 1);
    buf_puts(o, hidden ? "<button type=\"submit\">恢复公开显示</button>"
                       : "<button type=\"submit\">不公开显示</button>");
    buf_puts(o, "</form></section>\n");
}

static err_code page_order_public_post(req *r)
{
    int64_t id = req_id(r, "id");
    bool was;
    if (svc_order_public_get(r->db, r->a, r->me, id, &was).err) return E_NOT_FOUND;
    const char *back = arena_printf(r->a, "/orders/%lld", (long long)id);
    bool hidden;
    if (bind_order_public(r, &hidden))
        return page_form_refused(r, "未保存", r->err_message, E_BAD_INPUT, back, "返回工单");
    struct svc_result res = svc_order_public_set(r->db, r->a, r->me, id, hidden);
    if (!res.err) return http_redirect(r, back);
    return page_form_refused(r, "未保存", res.message, res.err, back, "返回工单");
}
ROUTE("POST", "/orders/{id}/open311", page_order_public_post, NULL, R_PAGE, "order",
      "设置工单是否在公开诉求列表中显示");
