/* GET /orders/{id}: one order with its clocks, photos, timeline (who, when,
 * what, note) and a form for exactly the events this account may cause now
 * (svc_order_actors + order_fsm_events_for). The requester's phone is a tel:
 * link only for the order's assignee and dispatchers; masked for everyone
 * else. */
#include <stdlib.h>
#include <string.h>

#include "core/assignee_rank.h"
#include "core/mask.h"
#include "core/order_fsm.h"
#include "core/roles.h"
#include "pages/layout.h"
#include "pages/page_order_extras.h"
#include "pages/page_order_public.h"
#include "pages/page_orders.h"
#include "pages/ui.h"
#include "service/svc_order_photos.h"
#include "service/svc_orders.h"
#include "store/store_order_photos.h"
#include "store/store_orders.h"
#include "util/clock.h"

static void phone_row(req *r, const struct order_row *o, unsigned kinds)
{
    buf *b = &r->out;
    const char *phone = o->contact_phone;
    buf_puts(b, "<dt>联系电话</dt><dd>");
    if (!phone || !*phone)
        buf_puts(b, "未留电话");
    else if ((kinds & ORDER_ACTOR_DISPATCHER) ||
             /* the assignee bit alone also means "may take it from the pool" */
             ((kinds & ORDER_ACTOR_ASSIGNEE) && o->assignee_kind)) {
        buf_puts(b, "<a class=\"tel\" href=\"tel:");
        buf_html(b, phone);
        buf_puts(b, "\">");
        buf_html(b, phone);
        buf_puts(b, "</a>");
    } else {
        char masked[64];
        mask_phone(phone, masked, sizeof masked);
        buf_html(b, masked);
    }
    buf_puts(b, "</dd>\n");
}

static void photos_html(req *r, int64_t id)
{
    struct order_photo_row *p;
    int n = svc_order_photos(r->db, r->a, r->me, id, &p);
    if (n <= 0) return;
    buf *o = &r->out;
    buf_puts(o, "<section class=\"card\"><h2>照片</h2><div class=\"photos\">");
    int seq[2] = {0, 0};
    for (int i = 0; i < n; i++) {
        bool intake = strcmp(p[i].stage, "intake") == 0;
        const char *label = intake ? "诉求照片" : "办结照片";
        int k = ++seq[intake ? 0 : 1];
        buf_hprintf(o,
                    "<figure><a href=\"/api/v1/orders/%lld/photos/%lld\"><img "
                    "src=\"/api/v1/orders/%lld/photos/%lld\" alt=\"%s%d\" loading=\"lazy\"></a>"
                    "<figcaption>%s%d</figcaption></figure>",
                    (long long)id, (long long)p[i].id, (long long)id, (long long)p[i].id, label, k,
                    label, k);
    }
    buf_puts(o, "</div></section>\n");
}

static void timeline(req *r, int64_t id)
{
    buf *o = &r->out;
    struct order_event_row *h;
    int nh = store_order_history(r->db, r->a, id, &h);
    buf_puts(o, "<section class=\"card\"><h2>办理记录</h2><ol class=\"plain timeline\">\n");
    for (int i = 0; i < nh; i++) {
        const char *evid = h[i].event;
        buf_puts(o, "<li><span class=\"small muted\">");
        buf_html(o, page_time(r, h[i].at));
        buf_puts(o, " · ");
        buf_html(o, h[i].actor);
        buf_puts(o, "</span><br><strong>");
        buf_html(o, order_history_zh(evid));
        buf_puts(o, "</strong>");
        enum order_state to;
        const char *from = h[i].from_state, *tos = h[i].to_state;
        if (tos && order_state_parse(tos, &to) && (!from || strcmp(from, tos) != 0)) {
            buf_puts(o, " → ");
            buf_html(o, order_state_zh(to));
        }
        if (h[i].note) {
            buf_puts(o, "<br>");
            buf_html(o, h[i].note);
        }
        buf_puts(o, "</li>\n");
    }
    buf_puts(o, "</ol></section>\n");
}

/* ---- Action forms ------------------------------------------------------- */

static void form_open(req *r, int64_t id, enum order_event ev, bool multipart)
{
    buf *o = &r->out;
    buf_printf(o, "<form class=\"action\" method=\"post\" action=\"/orders/%lld/events\"",
               (long long)id);
    buf_puts(o, multipart ? " enctype=\"multipart/form-data\">" : ">");
    page_csrf_field(r);
    buf_hprintf(o, "<input type=\"hidden\" name=\"event\" value=\"%s\">", order_event_id(ev));
}

static void form_close(buf *o, enum order_event ev)
{
    buf_puts(o, "<button type=\"submit\" class=\"primary\">");
    buf_html(o, order_event_zh(ev));
    buf_puts(o, "</button></form>\n");
}

static void textarea(buf *o, int64_t id, enum order_event ev, const char *name, const char *label,
                     bool required)
{
    buf_hprintf(o, "<label for=\"%s-%lld-%s\">", name, (long long)id, order_event_id(ev));
    buf_html(o, label);
    buf_hprintf(o,
                "</label><textarea id=\"%s-%lld-%s\" name=\"%s\" maxlength=\"2000\"%s>"
                "</textarea>",
                name, (long long)id, order_event_id(ev), name, required ? " required" : "");
}

static void dispatch_form(req *r, int64_t id, enum order_event ev)
{
    buf *o = &r->out;
    struct candidate *c;
    int n = 0;
    if (svc_order_suggest(r->db, r->a, r->me, id, 8, &c, &n) != E_OK) n = 0;
    if (n > 0) {
        buf_hprintf(o,
                    "<label for=\"assignee-%s\">推荐承办人（按技能、距离、在办量、评价排序）"
                    "</label><select id=\"assignee-%s\" name=\"assignee_id\">",
                    order_event_id(ev), order_event_id(ev));
        for (int i = 0; i < n; i++) {
            buf_printf(o, "<option value=\"%lld\">", (long long)c[i].id);
            buf_html(o, c[i].name);
            buf_printf(o, "（%d分）", c[i].score);
            buf_puts(o, "</option>");
        }
        buf_puts(o, "</select><ul class=\"plain small muted why\">");
        for (int i = 0; i < n; i++) {
            buf_puts(o, "<li>");
            buf_html(o, c[i].name);
            buf_puts(o, "：");
            buf_html(o, c[i].why);
            buf_puts(o, "</li>");
        }
        buf_puts(o, "</ul>");
    } else
        buf_puts(o, "<p class=\"muted\">本社区暂无可推荐的党员或志愿者，请填写承办人编号。</p>");
    buf_hprintf(o,
                "<label for=\"manual-%s\">或指定承办人编号</label><input id=\"manual-%s\" "
                "name=\"assignee_manual\" inputmode=\"numeric\"><label for=\"kind-%s\">"
                "编号类型</label><select id=\"kind-%s\" name=\"assignee_kind\">"
                "<option value=\"person\">个人（居民编号）</option><option value=\"org\">"
                "组织（志愿服务队、社会组织、职能部门、共建单位）</option></select>",
                order_event_id(ev), order_event_id(ev), order_event_id(ev), order_event_id(ev));
}

static void action_form(req *r, int64_t id, enum order_event ev)
{
    buf *o = &r->out;
    bool multipart = ev == ORDER_EV_RESOLVE;
    buf_puts(o, "<details class=\"action\"><summary>");
    buf_html(o, order_event_zh(ev));
    buf_puts(o, "</summary>");
    form_open(r, id, ev, multipart);
    switch (ev) {
    case ORDER_EV_REJECT:
    case ORDER_EV_RETURN:
    case ORDER_EV_SUSPEND:
        textarea(o, id, ev, "reason", "理由", true);
        break;
    case ORDER_EV_MERGE:
        buf_printf(o,
                   "<label for=\"target-%lld\">合并到工单（工单编号数字）</label><input "
                   "id=\"target-%lld\" name=\"target\" inputmode=\"numeric\" required>",
                   (long long)id, (long long)id);
        break;
    case ORDER_EV_DISPATCH:
    case ORDER_EV_TRANSFER:
        dispatch_form(r, id, ev);
        textarea(o, id, ev, "note", "说明（可选）", false);
        break;
    case ORDER_EV_RESOLVE:
        textarea(o, id, ev, "result", "办理结果", true);
        buf_printf(o,
                   "<label for=\"outcome-%lld\">结果类型</label><select id=\"outcome-%lld\" "
                   "name=\"outcome\"><option value=\"fixed\">已解决</option>"
                   "<option value=\"not_fixed\">未解决</option><option "
                   "value=\"to_demand_list\">纳入需求清单</option></select>"
                   "<label for=\"result-photos-%lld\">办结照片（最多6张）</label><input "
                   "id=\"result-photos-%lld\" name=\"photos\" type=\"file\" multiple "
                   "accept=\"image/jpeg,image/png,image/webp\">",
                   (long long)id, (long long)id, (long long)id, (long long)id);
        break;
    case ORDER_EV_RATE:
        buf_puts(o, "<fieldset><legend>您对办理结果满意吗？</legend>");
        static const char *const ratings[][2] = {
            {"satisfied", "满意"}, {"basic", "基本满意"}, {"unsatisfied", "不满意"}};
        for (int i = 0; i < 3; i++)
            buf_hprintf(o,
                        "<label class=\"check\"><input type=\"radio\" name=\"rating\" "
                        "value=\"%s\"%s> %s</label>",
                        ratings[i][0], i == 0 ? " required" : "", ratings[i][1]);
        buf_puts(o, "</fieldset>");
        buf_printf(o,
                   "<label for=\"comment-%lld\">评价意见（可选）</label><textarea "
                   "id=\"comment-%lld\" name=\"comment\" maxlength=\"500\"></textarea>",
                   (long long)id, (long long)id);
        break;
    case ORDER_EV_SUPERVISE:
    case ORDER_EV_REVISIT:
        textarea(o, id, ev, "note", "说明", true);
        break;
    default:
        textarea(o, id, ev, "note", "备注（可选）", false);
        break;
    }
    form_close(o, ev);
    buf_puts(o, "</details>\n");
}

static void actions(req *r, int64_t id, enum order_state s, unsigned kinds,
                    const struct order_row *ord)
{
    unsigned evs = order_fsm_events_for(s, kinds);
    if (!evs) return;
    buf *o = &r->out;
    buf_puts(o, "<section class=\"card actions\"><h2>办理</h2>\n");
    const char *phone = ord->contact_phone;
    if ((evs & (1u << ORDER_EV_CONTACT)) && phone && *phone) {
        buf_puts(o, "<p><a class=\"button\" href=\"tel:");
        buf_html(o, phone);
        buf_puts(o, "\">拨打诉求人电话</a></p>\n");
    }
    for (int e = 0; e < ORDER_EVENT_COUNT; e++)
        if (evs & (1u << e)) action_form(r, id, (enum order_event)e);
    buf_puts(o, "</section>\n");
}

/* ---- The page ------------------------------------------------------------ */

err_code page_order_render(req *r, int64_t id, const char *error, const char *notice, int status)
{
    struct order_row row, *ord = &row;
    if (!store_order_read(r->db, r->a, r->me->account_id, id, ord)) return E_NOT_FOUND;
    enum order_state s = ORDER_SUBMITTED;
    order_state_parse(ord->state, &s);
    unsigned kinds = svc_order_actors_of(r->db, r->me, ord);
    page_begin(r, ord->title);
    buf *o = &r->out;
    buf_puts(o, "<nav class=\"breadcrumbs\" aria-label=\"位置\"><a href=\"/orders\">工单</a> › ");
    buf_html(o, ord->code);
    buf_puts(o, "</nav>\n");
    page_message(r, "error", error);
    page_message(r, "notice", notice);
    buf_puts(o, "<section class=\"card\"><p>");
    order_state_tag(o, ord->state);
    buf_puts(o, " <span class=\"muted\">");
    buf_html(o, ord->code);
    buf_puts(o, "</span></p>\n");
    order_clocks_html(r, ord, clock_now());
    buf_puts(o, "<dl>\n");
    ui_row(o, "事项分类", ord->category_name);
    ui_row(o, "地点", ord->place_name);
    ui_row(o, "来源渠道", order_channel_zh(ord->channel));
    ui_row(o, "紧急程度", order_urgency_zh(ord->urgency));
    ui_row(o, "涉及范围", order_scope_zh(ord->scope_size));
    ui_row(o, "诉求内容", ord->description);
    phone_row(r, ord, kinds);
    ui_row(o, "承办人", ord->assignee_name);
    ui_row(o, "提交时间", page_time(r, ord->created_at));
    if (ord->lat && ord->lon) ui_row(o, "坐标", arena_printf(r->a, "%s, %s", ord->lat, ord->lon));
    if (ord->reason) ui_row(o, "理由", ord->reason);
    if (ord->result) {
        enum order_outcome oc;
        ui_row(o, "办理结果", ord->result);
        if (order_outcome_parse(ord->outcome, &oc)) ui_row(o, "结果类型", order_outcome_zh(oc));
    }
    enum order_rating rt;
    if (order_rating_parse(ord->rating, &rt)) {
        ui_row(o, "群众评价", order_rating_zh(rt));
        if (ord->rating_comment) ui_row(o, "评价意见", ord->rating_comment);
    }
    buf_puts(o, "</dl></section>\n");
    photos_html(r, id);
    actions(r, id, s, kinds, ord);
    page_order_extras(r, r->db, r->a, id); /* 吹哨, 部门买单, 督办, 回访, 处置层级 */
    page_order_public_card(r, id);         /* 公开诉求列表 (Open311) */
    timeline(r, id);
    err_code e = page_end(r);
    r->status = status;
    return e;
}

static err_code page_order(req *r)
{
    int64_t id = req_id(r, "id");
    const char *done = req_query(r, "done");
    const char *notice = NULL;
    enum order_event ev;
    if (done && strcmp(done, "submit") == 0)
        notice = "诉求已提交，社区将尽快受理，请留意办理进度";
    else if (done && order_event_parse(done, &ev))
        notice = arena_printf(r->a, "已完成：%s", order_event_zh(ev));
    return page_order_render(r, id, NULL, notice, 200);
}
ROUTE("GET", "/orders/{id}", page_order, CAP_SELF, R_PAGE, "order",
      "工单详情：时限、照片、办理记录与可执行的操作");
