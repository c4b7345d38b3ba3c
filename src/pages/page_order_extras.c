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

static const char *when(req *r, const char *unix_s)
{
    return unix_s ? page_time(r, atoll(unix_s)) : "—";
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

void page_whistle_call_item(req *r, const db_rows *c, int i, int64_t now, bool report_form)
{
    buf *o = &r->out;
    const struct whistle_kind_def *k = whistle_kind_find(db_get(c, i, WC_KIND));
    enum whistle_call_state s = whistle_call_state_at(
        db_get_int(c, i, WC_DEADLINE),
        db_get(c, i, WC_ANSWERED_AT) ? db_get_int(c, i, WC_ANSWERED_AT) : 0, now);
    buf_puts(o, "<li><span class=\"tag\">");
    buf_html(o, k ? k->zh : db_get(c, i, WC_KIND));
    buf_puts(o, "</span> <strong>");
    buf_html(o, db_get(c, i, WC_ORG_NAME));
    buf_puts(o, "</strong> ");
    buf_puts(o, s == CALL_OVERDUE ? "<span class=\"badge\">" : "<span class=\"tag\">");
    buf_html(o, whistle_call_state_zh(s));
    buf_puts(o, "</span><br><span class=\"muted\">工单 ");
    buf_html(o, db_get(c, i, WC_ORDER_CODE));
    buf_puts(o, " ");
    buf_html(o, db_get(c, i, WC_ORDER_TITLE));
    buf_puts(o, " · 报到时限 ");
    buf_html(o, when(r, db_get(c, i, WC_DEADLINE)));
    if (db_get(c, i, WC_ANSWERED_AT)) {
        buf_puts(o, " · 报到于 ");
        buf_html(o, when(r, db_get(c, i, WC_ANSWERED_AT)));
    }
    buf_puts(o, "</span>");
    if (db_get(c, i, WC_NOTE)) {
        buf_puts(o, "<br>");
        buf_html(o, db_get(c, i, WC_NOTE));
    }
    if (report_form && s != CALL_ANSWERED) {
        buf_puts(o, "<form method=\"post\" action=\"/whistle-calls/");
        buf_html(o, db_get(c, i, WC_ID));
        buf_puts(o, "/report\">");
        page_csrf_field(r);
        buf_puts(o, "<label for=\"note-");
        buf_html(o, db_get(c, i, WC_ID));
        buf_puts(o, "\">报到说明</label><input id=\"note-");
        buf_html(o, db_get(c, i, WC_ID));
        buf_puts(o, "\" name=\"note\" maxlength=\"500\" placeholder=\"如：已派人到场\">"
                    "<button type=\"submit\" class=\"primary\">报到</button></form>");
    }
    buf_puts(o, "</li>\n");
}

void page_cost_item(req *r, const db_rows *k, int i, bool decide_form)
{
    buf *o = &r->out;
    char yuan[32];
    money_format_yuan(db_get_int(k, i, CO_AMOUNT), yuan, sizeof yuan);
    buf_puts(o, "<li><strong>");
    buf_html(o, db_get(k, i, CO_ORG_NAME));
    buf_puts(o, "</strong> ");
    buf_html(o, yuan);
    buf_puts(o, " 元 <span class=\"tag\">");
    buf_html(o, order_cost_state_zh(db_get(k, i, CO_STATE)));
    buf_puts(o, "</span><br><span class=\"muted\">工单 ");
    buf_html(o, db_get(k, i, CO_ORDER_CODE));
    buf_puts(o, " ");
    buf_html(o, db_get(k, i, CO_ORDER_TITLE));
    if (db_get(k, i, CO_RESOURCE)) {
        buf_puts(o, " · ");
        buf_html(o, db_get(k, i, CO_RESOURCE));
    }
    buf_puts(o, "</span>");
    if (decide_form && !strcmp(db_get(k, i, CO_STATE), "proposed")) {
        for (int f = 0; f < 2; f++) {
            buf_puts(o, "<form class=\"inline\" method=\"post\" action=\"/order-costs/");
            buf_html(o, db_get(k, i, CO_ID));
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
    db_rows *k = store_whistle_kinds(d, a, county);
    /* the departments the county calls in, once each */
    int64_t seen[64];
    int n = 0;
    for (int i = 0; k && i < k->nrows; i++) {
        db_rows *g = store_whistle_kind_orgs(d, a, db_get_int(k, i, WK_ID));
        for (int j = 0; g && j < g->nrows && n < 64; j++) {
            int64_t id = db_get_int(g, j, 0);
            bool dup = false;
            for (int x = 0; x < n; x++) dup = dup || seen[x] == id;
            if (dup) continue;
            seen[n++] = id;
            buf_puts(&r->out, "<option value=\"");
            buf_html(&r->out, db_get(g, j, 0));
            buf_puts(&r->out, "\">");
            buf_html(&r->out, db_get(g, j, 1));
            buf_puts(&r->out, "</option>");
        }
    }
}

void page_order_extras(req *r, db *d, arena *a, int64_t order_id)
{
    db_rows *ord = store_order_get(d, a, r->me->account_id, order_id);
    if (!ord) return;
    buf *o = &r->out;
    int64_t now = clock_now();
    unsigned kinds = svc_order_actors(d, r->me, ord);
    bool dispatcher = kinds & ORDER_ACTOR_DISPATCHER;
    bool blower = kinds & (ORDER_ACTOR_DISPATCHER | ORDER_ACTOR_SECRETARY);
    const char *oid = db_get(ord, 0, OC_ID);

    buf_puts(o, "<section class=\"card\"><h2>处置层级</h2><p>");
    const char *tier = db_get(ord, 0, OC_TIER);
    buf_html(o, order_tier_zh(tier) ? order_tier_zh(tier) : tier);
    buf_puts(o, "</p>\n");
    db_rows *cs = store_consultations_of_order(d, a, order_id);
    if (cs && cs->nrows) {
        buf_puts(o, "<h3>协商结果</h3><ul class=\"plain\">");
        for (int i = 0; i < cs->nrows; i++) {
            buf_puts(o, "<li>");
            buf_html(o, when(r, db_get(cs, i, 1)));
            buf_puts(o, " · 参加：");
            buf_html(o, db_get(cs, i, 2));
            buf_puts(o, "<br>");
            buf_html(o, db_get(cs, i, 3));
            buf_puts(o, "</li>");
        }
        buf_puts(o, "</ul>\n");
    }
    if (dispatcher) {
        buf_puts(o, "<form method=\"post\" action=\"/orders/");
        buf_html(o, oid);
        buf_puts(o, "/tier\">");
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

    buf_puts(o, "<section class=\"card\"><h2>吹哨报到</h2>");
    db_rows *c = store_whistle_calls_of_order(d, a, order_id);
    if (c && c->nrows) {
        buf_puts(o, "<ul class=\"plain\">");
        for (int i = 0; i < c->nrows; i++)
            page_whistle_call_item(
                r, c, i, now,
                store_order_account_has_org(d, r->me->account_id, db_get_int(c, i, WC_ORG)));
        buf_puts(o, "</ul>\n");
    } else
        buf_puts(o, "<p class=\"muted\">尚未吹哨</p>\n");
    enum order_state st;
    if (blower && order_state_parse(db_get(ord, 0, OC_STATE), &st) && order_state_is_active(st)) {
        buf_puts(o, "<form method=\"post\" action=\"/orders/");
        buf_html(o, oid);
        buf_puts(o, "/whistles\">");
        page_csrf_field(r);
        buf_puts(o, "<label for=\"kind\">吹哨类型</label><select id=\"kind\" name=\"kind\">");
        kind_options(o);
        buf_puts(o, "</select><label for=\"whistle-note\">说明</label><input id=\"whistle-note\" "
                    "name=\"note\" maxlength=\"500\"><button type=\"submit\" class=\"primary\">"
                    "吹哨</button></form>\n");
    }
    buf_puts(o, "</section>\n");

    buf_puts(o, "<section class=\"card\"><h2>部门买单</h2>");
    db_rows *k = store_order_costs_of_order(d, a, order_id);
    if (k && k->nrows) {
        buf_puts(o, "<ul class=\"plain\">");
        for (int i = 0; i < k->nrows; i++)
            page_cost_item(
                r, k, i,
                store_order_account_has_org(d, r->me->account_id, db_get_int(k, i, CO_ORG)));
        buf_puts(o, "</ul>\n");
    } else
        buf_puts(o, "<p class=\"muted\">暂无买单</p>\n");
    if (dispatcher) {
        buf_puts(o, "<form method=\"post\" action=\"/orders/");
        buf_html(o, oid);
        buf_puts(o, "/costs\">");
        page_csrf_field(r);
        buf_puts(o, "<label for=\"org-id\">买单部门</label><select id=\"org-id\" name=\"org_id\">");
        org_options(r, d, a, db_get(ord, 0, OC_PLACE));
        buf_puts(o, "</select><label for=\"amount\">金额（元）</label><input id=\"amount\" "
                    "name=\"amount\" inputmode=\"decimal\" required placeholder=\"如 1200.50\">"
                    "<label for=\"resource\">资源/用途</label><input id=\"resource\" "
                    "name=\"resource\" maxlength=\"200\"><button type=\"submit\">提出买单</button>"
                    "</form>\n");
    }
    buf_puts(o, "</section>\n");

    db_rows *sv = store_supervisions_of_order(d, a, order_id);
    db_rows *rv = store_revisits_of_order(d, a, order_id);
    if ((sv && sv->nrows) || (rv && rv->nrows)) {
        buf_puts(o, "<section class=\"card\"><h2>督办与回访</h2><ul class=\"plain\">");
        for (int i = 0; sv && i < sv->nrows; i++) {
            bool open = !db_get(sv, i, SV_CLOSED);
            buf_puts(o, "<li>");
            buf_puts(o, open ? "<span class=\"badge\">督办中</span> "
                             : "<span class=\"tag\">督办已结束</span> ");
            buf_html(o, db_get(sv, i, SV_NOTE));
            buf_puts(o, "<br><span class=\"muted\">期限 ");
            buf_html(o, when(r, db_get(sv, i, SV_DEADLINE)));
            if (open && supervision_overdue(db_get_int(sv, i, SV_DEADLINE), 0, now))
                buf_puts(o, "（已超期）");
            buf_puts(o, "</span></li>");
        }
        for (int i = 0; rv && i < rv->nrows; i++) {
            buf_puts(o, "<li><span class=\"tag\">回访：");
            buf_html(o, revisit_outcome_zh(db_get(rv, i, 3)));
            buf_puts(o, "</span> ");
            buf_html(o, db_get(rv, i, 2));
            buf_puts(o, "<br><span class=\"muted\">");
            buf_html(o, when(r, db_get(rv, i, 4)));
            buf_puts(o, "</span></li>");
        }
        buf_puts(o, "</ul></section>\n");
    }
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
    if (!store_order_get(r->db, r->a, r->me->account_id, id)) return E_NOT_FOUND;
    struct whistle_blow_input in = {0};
    err_code e = bind_whistle_blow(r, &in);
    return after(r, id, e ? bind_refused(r, e) : svc_whistle_blow(r->db, r->a, r->me, id, &in),
                 "吹哨未成功");
}
ROUTE("POST", "/orders/{id}/whistles", page_order_whistle, NULL, R_PAGE, "order", "对工单吹哨");

static err_code page_order_cost(req *r)
{
    int64_t id = req_id(r, "id");
    if (!store_order_get(r->db, r->a, r->me->account_id, id)) return E_NOT_FOUND;
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
    if (!store_order_get(r->db, r->a, r->me->account_id, id)) return E_NOT_FOUND;
    struct svc_tier_input in = {0};
    err_code e = bind_order_tier(r, &in);
    return after(r, id, e ? bind_refused(r, e) : svc_order_set_tier(r->db, r->a, r->me, id, &in),
                 "处置层级未保存");
}
ROUTE("POST", "/orders/{id}/tier", page_order_tier, NULL, R_PAGE, "order", "设置工单处置层级");
