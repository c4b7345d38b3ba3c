/* An order's 吹哨、买单、督办、回访、协商 section and its form routes; see
 * page_order_extras.h. */
#include "pages/page_order_extras.h"

#include <stdlib.h>
#include <string.h>

#include "core/order_fsm.h"
#include "core/whistle_rule.h"
#include "http/bind.h"
#include "http/bind_orders.h"
#include "pages/layout.h"
#include "service/svc_order_costs.h"
#include "service/svc_order_followups.h"
#include "service/svc_orders.h"
#include "service/svc_whistles.h"
#include "store/store_order_costs.h"
#include "store/store_order_followups.h"
#include "store/store_orders.h"
#include "store/store_whistles.h"
#include "util/clock.h"

static const char *when(req *r, int64_t t)
{
    return t ? page_time(r, t) : "—";
}

err_code page_form_refused(req *r, const char *title, const char *message, err_code e,
                           const char *back_href, const char *back_label)
{
    if (e == E_INTERNAL || e == E_UNAVAILABLE) return e;
    page_begin(r, title);
    page_message(r, "error", message ? message : err_message_zh(e));
    buf_puts(&r->out, "<p><a class=\"button\" href=\"");
    buf_html(&r->out, back_href);
    buf_puts(&r->out, "\">");
    buf_html(&r->out, back_label);
    buf_puts(&r->out, "</a></p>\n");
    err_code rc = page_end(r);
    r->status = err_http_status(e);
    return rc;
}

void page_whistle_call_item(req *r, const struct whistle_call_row *c, int64_t now, bool report_form)
{
    buf *o = &r->out;
    const struct whistle_kind_def *k = whistle_kind_find(c->kind);
    enum whistle_call_state s = whistle_call_state_at(c->deadline, c->answered_at, now);
    buf_hprintf(o, "<li><span class=\"tag\">%s</span> <strong>%s</strong> ", k ? k->zh : c->kind,
                c->org_name);
    buf_puts(o, s == CALL_OVERDUE ? "<span class=\"badge\">" : "<span class=\"tag\">");
    buf_hprintf(o, "%s</span><br><span class=\"muted\">工单 %s %s · 报到时限 %s",
                whistle_call_state_zh(s), c->order_code, c->order_title, page_time(r, c->deadline));
    if (c->answered_at) buf_hprintf(o, " · 报到于 %s", page_time(r, c->answered_at));
    buf_puts(o, "</span>");
    if (c->note) buf_hprintf(o, "<br>%s", c->note);
    if (report_form && s != CALL_ANSWERED) {
        buf_printf(o, "<form method=\"post\" action=\"/whistle-calls/%lld/report\">",
                   (long long)c->id);
        page_csrf_field(r);
        buf_printf(o,
                   "<label for=\"note-%lld\">报到说明</label><input id=\"note-%lld\" name=\"note\" "
                   "maxlength=\"500\" placeholder=\"如：已派人到场\"><button type=\"submit\" "
                   "class=\"primary\">报到</button></form>",
                   (long long)c->id, (long long)c->id);
    }
    buf_puts(o, "</li>\n");
}

void page_cost_item(req *r, const struct order_cost_row *k, bool decide_form)
{
    buf *o = &r->out;
    char yuan[32];
    money_format_yuan(k->amount_fen, yuan, sizeof yuan);
    buf_hprintf(o,
                "<li><strong>%s</strong> %s 元 <span class=\"tag\">%s</span><br><span "
                "class=\"muted\">工单 %s %s",
                k->org_name, yuan, order_cost_state_zh(k->state), k->order_code, k->order_title);
    if (k->resource) buf_hprintf(o, " · %s", k->resource);
    buf_puts(o, "</span>");
    if (decide_form && !strcmp(k->state, "proposed")) {
        for (int f = 0; f < 2; f++) {
            buf_printf(o, "<form class=\"inline\" method=\"post\" action=\"/order-costs/%lld",
                       (long long)k->id);
            buf_puts(o, f == 0 ? "/confirm\">" : "/decline\" data-confirm=\"确定拒绝买单？\">");
            page_csrf_field(r);
            buf_puts(o, f == 0 ? "<button type=\"submit\" class=\"primary\">确认买单</button>"
                               : "<button type=\"submit\">拒绝</button>");
            buf_puts(o, "</form>");
        }
    }
    buf_puts(o, "</li>\n");
}

static void kind_options(buf *o)
{
    for (int i = 0; i < whistle_kinds_count; i++) {
        buf_puts(o, "<option value=\"");
        buf_html(o, whistle_kinds[i].id);
        buf_puts(o, "\">");
        buf_html(o, whistle_kinds[i].zh);
        buf_puts(o, "</option>");
    }
}

static void tier_options(buf *o, const char *current)
{
    static const char *const tiers[] = {"onsite", "dispatch", "consult", "tackle", "report_up"};
    for (size_t i = 0; i < sizeof tiers / sizeof tiers[0]; i++) {
        buf_puts(o, "<option value=\"");
        buf_html(o, tiers[i]);
        buf_puts(o, current && !strcmp(current, tiers[i]) ? "\" selected>" : "\">");
        buf_html(o, order_tier_zh(tiers[i]));
        buf_puts(o, "</option>");
    }
}

static void org_options(req *r, db *d, arena *a, const char *place)
{
    char county[7];
    whistle_county_of(place, county);
    struct whistle_kind_row *k;
    int nk = store_whistle_kinds(d, a, county, &k);
    /* the departments the county calls in, once each */
    int64_t seen[64];
    int n = 0;
    for (int i = 0; i < nk; i++) {
        struct org_ref *g;
        int ng = store_whistle_kind_orgs(d, a, k[i].id, &g);
        for (int j = 0; j < ng && n < 64; j++) {
            bool dup = false;
            for (int x = 0; x < n; x++) dup = dup || seen[x] == g[j].id;
            if (dup) continue;
            seen[n++] = g[j].id;
            buf_hprintf(&r->out, "<option value=\"%lld\">%s</option>", (long long)g[j].id,
                        g[j].name);
        }
    }
}

/* 处置层级 with the consultations' outcomes, and for dispatchers its form. */
static void tier_section(req *r, db *d, arena *a, int64_t order_id, const char *tier,
                         bool dispatcher)
{
    buf *o = &r->out;
    buf_hprintf(o, "<section class=\"card\"><h2>处置层级</h2><p>%s</p>\n",
                order_tier_zh(tier) ? order_tier_zh(tier) : tier);
    struct consultation_row *cs;
    int ncs = store_consultations_of_order(d, a, order_id, &cs);
    if (ncs > 0) {
        buf_puts(o, "<h3>协商结果</h3><ul class=\"plain\">");
        for (int i = 0; i < ncs; i++)
            buf_hprintf(o, "<li>%s · 参加：%s<br>%s</li>", when(r, cs[i].held_at),
                        cs[i].participants, cs[i].outcome);
        buf_puts(o, "</ul>\n");
    }
    if (dispatcher) {
        buf_printf(o, "<form method=\"post\" action=\"/orders/%lld/tier\">", (long long)order_id);
        page_csrf_field(r);
        buf_puts(o, "<label for=\"tier\">处置层级</label><select id=\"tier\" name=\"tier\">");
        tier_options(o, tier);
        buf_puts(o, "</select><label for=\"tier-note\">说明</label><input id=\"tier-note\" "
                    "name=\"note\" maxlength=\"500\"><label for=\"participants\">协商参加人员"
                    "（协商处置）</label><input id=\"participants\" name=\"participants\" "
                    "maxlength=\"500\"><label for=\"consult-outcome\">协商结果（协商处置）</label>"
                    "<textarea id=\"consult-outcome\" name=\"outcome\" rows=\"3\" "
                    "maxlength=\"2000\"></textarea><label for=\"held-at\">协商日期</label><input "
                    "id=\"held-at\" name=\"held_at\" type=\"date\"><button type=\"submit\">保存"
                    "</button></form>\n");
    }
    buf_puts(o, "</section>\n");
}

/* 吹哨报到: the calls, and for those who may blow (on an active order) the form. */
static void whistle_section(req *r, db *d, arena *a, int64_t order_id, bool may_blow, int64_t now)
{
    buf *o = &r->out;
    buf_puts(o, "<section class=\"card\"><h2>吹哨报到</h2>");
    struct whistle_call_row *c;
    int nc = store_whistle_calls_of_order(d, a, order_id, &c);
    if (nc > 0) {
        buf_puts(o, "<ul class=\"plain\">");
        for (int i = 0; i < nc; i++)
            page_whistle_call_item(r, &c[i], now,
                                   store_order_account_has_org(d, r->me->account_id, c[i].org_id));
        buf_puts(o, "</ul>\n");
    } else
        buf_puts(o, "<p class=\"muted\">尚未吹哨</p>\n");
    if (may_blow) {
        buf_printf(o, "<form method=\"post\" action=\"/orders/%lld/whistles\">",
                   (long long)order_id);
        page_csrf_field(r);
        buf_puts(o, "<label for=\"kind\">吹哨类型</label><select id=\"kind\" name=\"kind\">");
        kind_options(o);
        buf_puts(o, "</select><label for=\"whistle-note\">说明</label><input id=\"whistle-note\" "
                    "name=\"note\" maxlength=\"500\"><button type=\"submit\" class=\"primary\">"
                    "吹哨</button></form>\n");
    }
    buf_puts(o, "</section>\n");
}

/* 部门买单: the costs, and for dispatchers the form (the county's departments). */
static void cost_section(req *r, db *d, arena *a, int64_t order_id, const char *place,
                         bool dispatcher)
{
    buf *o = &r->out;
    buf_puts(o, "<section class=\"card\"><h2>部门买单</h2>");
    struct order_cost_row *k;
    int nk = store_order_costs_of_order(d, a, order_id, &k);
    if (nk > 0) {
        buf_puts(o, "<ul class=\"plain\">");
        for (int i = 0; i < nk; i++)
            page_cost_item(r, &k[i],
                           store_order_account_has_org(d, r->me->account_id, k[i].org_id));
        buf_puts(o, "</ul>\n");
    } else
        buf_puts(o, "<p class=\"muted\">暂无买单</p>\n");
    if (dispatcher) {
        buf_printf(o, "<form method=\"post\" action=\"/orders/%lld/costs\">", (long long)order_id);
        page_csrf_field(r);
        buf_puts(o, "<label for=\"org-id\">买单部门</label><select id=\"org-id\" name=\"org_id\">");
        org_options(r, d, a, place);
        buf_puts(o, "</select><label for=\"amount\">金额（元）</label><input id=\"amount\" "
                    "name=\"amount\" inputmode=\"decimal\" required placeholder=\"如 1200.50\">"
                    "<label for=\"resource\">资源/用途</label><input id=\"resource\" "
                    "name=\"resource\" maxlength=\"200\"><button type=\"submit\">提出买单</button>"
                    "</form>\n");
    }
    buf_puts(o, "</section>\n");
}

/* 督办与回访, when there are any. */
static void followups_section(req *r, db *d, arena *a, int64_t order_id, int64_t now)
{
    buf *o = &r->out;
    struct supervision_row *sv;
    struct revisit_row *rv;
    int nsv = store_supervisions_of_order(d, a, order_id, &sv);
    int nrv = store_revisits_of_order(d, a, order_id, &rv);
    if (nsv <= 0 && nrv <= 0) return;
    buf_puts(o, "<section class=\"card\"><h2>督办与回访</h2><ul class=\"plain\">");
    for (int i = 0; i < nsv; i++) {
        bool open = !sv[i].closed_at;
        buf_puts(o, open ? "<li><span class=\"badge\">督办中</span> "
                         : "<li><span class=\"tag\">督办已结束</span> ");
        buf_hprintf(o, "%s<br><span class=\"muted\">期限 %s", sv[i].note, when(r, sv[i].deadline));
        if (open && supervision_overdue(sv[i].deadline, 0, now)) buf_puts(o, "（已超期）");
        buf_puts(o, "</span></li>");
    }
    for (int i = 0; i < nrv; i++)
        buf_hprintf(o,
                    "<li><span class=\"tag\">回访：%s</span> %s<br><span class=\"muted\">%s"
                    "</span></li>",
                    revisit_outcome_zh(rv[i].outcome), rv[i].note, when(r, rv[i].created_at));
    buf_puts(o, "</ul></section>\n");
}

void page_order_extras(req *r, db *d, arena *a, int64_t order_id)
{
    struct order_row ord;
    if (!store_order_read(d, a, r->me->account_id, order_id, &ord)) return;
    int64_t now = clock_now();
    unsigned kinds = svc_order_actors_of(d, r->me, &ord);
    bool dispatcher = kinds & ORDER_ACTOR_DISPATCHER;
    enum order_state st;
    bool may_blow = (kinds & (ORDER_ACTOR_DISPATCHER | ORDER_ACTOR_SECRETARY)) &&
                    order_state_parse(ord.state, &st) && order_state_is_active(st);
    tier_section(r, d, a, order_id, ord.tier, dispatcher);
    whistle_section(r, d, a, order_id, may_blow, now);
    cost_section(r, d, a, order_id, ord.place_code, dispatcher);
    followups_section(r, d, a, order_id, now);
}

/* ---- form routes ------------------------------------------------------------ */

static err_code after(req *r, int64_t id, struct svc_result res, const char *title)
{
    const char *back = arena_printf(r->a, "/orders/%lld", (long long)id);
    if (!res.err) return http_redirect(r, back);
    return page_form_refused(r, title, res.message, res.err, back, "返回工单");
}

static err_code page_order_whistle(req *r)
{
    int64_t id = req_id(r, "id");
    if (!store_order_visible(r->db, r->a, r->me->account_id, id)) return E_NOT_FOUND;
    struct whistle_blow_input in = {0};
    err_code e = bind_whistle_blow(r, &in);
    return after(r, id, e ? bind_refused(r, e) : svc_whistle_blow(r->db, r->a, r->me, id, &in),
                 "吹哨未成功");
}
ROUTE("POST", "/orders/{id}/whistles", page_order_whistle, NULL, R_PAGE, "order", "对工单吹哨");

static err_code page_order_cost(req *r)
{
    int64_t id = req_id(r, "id");
    if (!store_order_visible(r->db, r->a, r->me->account_id, id)) return E_NOT_FOUND;
    struct order_cost_input in = {0};
    err_code e = bind_order_cost(r, &in);
    return after(r, id,
                 e ? bind_refused(r, e) : svc_order_cost_propose(r->db, r->a, r->me, id, &in),
                 "买单未提出");
}
ROUTE("POST", "/orders/{id}/costs", page_order_cost, NULL, R_PAGE, "order", "提出部门买单");

static err_code page_order_tier(req *r)
{
    int64_t id = req_id(r, "id");
    if (!store_order_visible(r->db, r->a, r->me->account_id, id)) return E_NOT_FOUND;
    struct svc_tier_input in = {0};
    err_code e = bind_order_tier(r, &in);
    return after(r, id, e ? bind_refused(r, e) : svc_order_set_tier(r->db, r->a, r->me, id, &in),
                 "处置层级未保存");
}
ROUTE("POST", "/orders/{id}/tier", page_order_tier, NULL, R_PAGE, "order", "设置工单处置层级");
