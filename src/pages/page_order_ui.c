/* Shared rendering of work orders on pages: vocabulary labels, the state tag,
 * the clocks with their countdown, one list item. */
#include <stdlib.h>
#include <string.h>

#include "core/order_fsm.h"
#include "pages/layout.h"
#include "pages/page_orders.h"
#include "service/svc_orders.h"
#include "store/store_orders.h"

const char *const order_channels[][2] = {{"web", "群众网上点单"},
                                         {"grid", "网格员上报"},
                                         {"partner", "隐患上报（新就业群体）"},
                                         {"wish_wall", "心愿墙"},
                                         {"suggestion_box", "意见箱"},
                                         {"hotline", "热线电话"},
                                         {"hotline_12345", "12345"},
                                         {"visit", "未诉先办（走访）"},
                                         {"open311", "Open311 接口"},
                                         {NULL, NULL}};

const char *const order_staff_channels[][2] = {
    {"grid", "网格员上报"},        {"partner", "隐患上报（新就业群体）"},
    {"wish_wall", "心愿墙"},       {"suggestion_box", "意见箱"},
    {"hotline", "热线电话"},       {"hotline_12345", "12345 热线"},
    {"visit", "未诉先办（走访）"}, {NULL, NULL}};

static const char *const urgencies[][2] = {
    {"normal", "一般"}, {"urgent", "紧急"}, {"critical", "特急"}, {NULL, NULL}};
static const char *const scopes[][2] = {{"household", "本户"},  {"building", "本楼栋"},
                                        {"compound", "本小区"}, {"community", "全社区"},
                                        {"wider", "跨社区"},    {NULL, NULL}};

static const char *label_of(const char *const (*t)[2], const char *id)
{
    if (!id) return "—";
    for (int i = 0; t[i][0]; i++)
        if (strcmp(t[i][0], id) == 0) return t[i][1];
    return id;
}

const char *order_channel_zh(const char *id)
{
    return label_of(order_channels, id);
}
const char *order_urgency_zh(const char *id)
{
    return label_of(urgencies, id);
}
const char *order_scope_zh(const char *id)
{
    return label_of(scopes, id);
}

void order_state_tag(buf *o, const char *state)
{
    enum order_state s;
    bool ok = order_state_parse(state, &s);
    buf_puts(o, "<span class=\"state state-");
    buf_html(o, state);
    buf_puts(o, "\">");
    buf_html(o, ok ? order_state_zh(s) : state);
    buf_puts(o, "</span>");
}

/* "2小时5分" for a number of seconds (minutes rounded down). */
static void duration_zh(buf *o, long long s)
{
    if (s < 0) s = -s;
    long long d = s / 86400, h = s % 86400 / 3600, m = s % 3600 / 60;
    if (d) buf_printf(o, "%lld天", d);
    if (d || h) buf_printf(o, "%lld小时", h);
    buf_printf(o, "%lld分", m);
}

static void one_clock(req *r, const char *name, time_t deadline, enum clock_status st, bool stopped,
                      time_t now)
{
    buf *o = &r->out;
    const char *cls = st == CLOCK_BREACHED ? " breached" : st == CLOCK_WARNING ? " warning" : "";
    if (stopped) {
        buf_hprintf(o, "<li class=\"clock done%s\">", cls);
        buf_html(o, name);
        buf_puts(o,
                 st == CLOCK_BREACHED ? "：<span class=\"badge\">超时</span>完成" : "：按时完成");
        buf_puts(o, "</li>");
        return;
    }
    if (deadline == CLOCK_NONE) {
        buf_puts(o, "<li class=\"clock\">");
        buf_html(o, name);
        buf_puts(o, "：挂起中，暂停计时</li>");
        return;
    }
    buf_hprintf(o, "<li class=\"clock%s\">", cls);
    buf_html(o, name);
    buf_puts(o, "：");
    if (st == CLOCK_BREACHED) buf_puts(o, "<span class=\"badge\">超时</span>");
    if (st == CLOCK_WARNING) buf_puts(o, "<span class=\"badge warn\">预警</span>");
    /* the countdown: linli.js recounts the text every second from these */
    buf_printf(o, "<span class=\"countdown\" data-deadline=\"%lld\" data-now=\"%lld\">",
               (long long)deadline, (long long)now);
    buf_puts(o, deadline >= now ? "剩余" : "已超");
    duration_zh(o, (long long)(deadline - now));
    buf_puts(o, "</span>（截止 ");
    buf_html(o, page_time(r, deadline));
    buf_puts(o, "）</li>");
}

void order_clocks_html(req *r, const struct order_row *o, time_t now)
{
    struct order_clocks c;
    svc_order_clocks_of(r->db, r->a, o, now, &c);
    if (!c.started) return;
    buf_puts(&r->out, "<ul class=\"clocks plain\">");
    one_clock(r, "响应时限", c.response_deadline, c.response_status, c.response_stopped, now);
    one_clock(r, "办结时限", c.resolution_deadline, c.resolution_status, c.resolution_stopped, now);
    buf_puts(&r->out, "</ul>");
}

void order_list_item(req *r, const struct order_row *o, time_t now)
{
    buf *b = &r->out;
    buf_puts(b, "<li class=\"order\"><a href=\"/orders/");
    buf_printf(b, "%lld", (long long)o->id);
    buf_puts(b, "\"><strong>");
    buf_html(b, o->title);
    buf_puts(b, "</strong></a> ");
    order_state_tag(b, o->state);
    const char *urg = o->urgency;
    if (urg && strcmp(urg, "normal") != 0) {
        buf_puts(b, " <span class=\"badge\">");
        buf_html(b, order_urgency_zh(urg));
        buf_puts(b, "</span>");
    }
    buf_puts(b, "<br><span class=\"small muted\">");
    buf_html(b, o->code);
    buf_puts(b, " · ");
    buf_html(b, o->category_name);
    buf_puts(b, " · ");
    buf_html(b, o->place_name);
    buf_puts(b, " · ");
    buf_html(b, order_channel_zh(o->channel));
    buf_puts(b, " · ");
    buf_html(b, page_time(r, o->created_at));
    if (o->assignee_name) {
        buf_puts(b, " · 承办：");
        buf_html(b, o->assignee_name);
    }
    buf_puts(b, "</span>");
    order_clocks_html(r, o, now);
    buf_puts(b, "</li>\n");
}
