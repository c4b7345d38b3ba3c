/* 吹哨报到, 部门买单, 督办/回访 and 处置层级 over the API. Thin: the rules are in
 * service/svc_whistles.c, svc_order_costs.c, svc_order_followups.c and
 * core/whistle_rule.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/order_clock.h"
#include "core/roles.h"
#include "core/whistle_rule.h"
#include "http/bind_orders.h"
#include "http/http.h"
#include "http/json_out.h"
#include "service/svc_order_costs.h"
#include "service/svc_order_followups.h"
#include "service/svc_whistles.h"
#include "store/store_order_costs.h"
#include "store/store_order_followups.h"
#include "store/store_orders.h"
#include "store/store_places.h"
#include "store/store_whistles.h"
#include "util/clock.h"

static void set_yuan(json_t *j, const char *key, int64_t fen)
{
    char b[32];
    json_set_str(j, key, money_format_yuan(fen, b, sizeof b));
}

/* A list page: ?limit= (1–500, default 50) and ?cursor= (an offset) over
 * the rows read (at most 500); steals all. */
static err_code paged(req *r, json_t *all, int status)
{
    int64_t limit, cursor;
    err_code e = req_int(r, "query", "limit", 1, 500, 50, &limit);
    if (!e) e = req_int(r, "query", "cursor", 0, 1000000, 0, &cursor);
    if (e) {
        json_decref(all);
        return e;
    }
    json_t *items = json_array();
    size_t n = json_array_size(all),
           end = (size_t)(cursor + limit) < n ? (size_t)(cursor + limit) : n;
    for (size_t i = (size_t)cursor; i < end; i++) json_array_append(items, json_array_get(all, i));
    json_decref(all);
    return http_json(r, status, json_page(items, end < n ? arena_printf(r->a, "%zu", end) : NULL));
}

/* ---- whistle kinds ---------------------------------------------------------- */

static err_code api_whistle_kinds(req *r)
{
    const char *place = req_query(r, "place");
    char county[7];
    if (!place || !*place)
        place = store_place_top_code(r->db, r->a, r->me->account_id, CAP_PLACES_READ);
    if (!place || strlen(place) < 6)
        return http_fail(r, E_BAD_INPUT, "place", "请指定县级区划代码");
    whistle_county_of(place, county);
    struct whistle_kind_row *k;
    int nk = store_whistle_kinds(r->db, r->a, county, &k);
    if (nk < 0) return E_INTERNAL;
    json_t *items = json_array();
    for (int w = 0; w < whistle_kinds_count; w++) {
        const struct whistle_kind_def *def = &whistle_kinds[w];
        json_t *j = json_object();
        json_set_str(j, "code", def->id);
        json_set_str(j, "name", def->zh);
        json_set_int(j, "level", def->level);
        json_set_str(j, "place_code", county);
        json_t *deps = json_array();
        const struct whistle_kind_row *row = NULL;
        for (int i = 0; i < nk; i++)
            if (!strcmp(k[i].kind, def->id)) row = &k[i];
        json_set_bool(j, "configured", row != NULL);
        json_set_int(j, "answer_minutes", row ? row->answer_minutes : def->answer_minutes);
        struct org_ref *o = NULL;
        int no = row ? store_whistle_kind_orgs(r->db, r->a, row->id, &o) : 0;
        for (int i = 0; i < no; i++) {
            json_t *dj = json_object();
            json_set_int(dj, "id", o[i].id);
            json_set_str(dj, "name", o[i].name);
            json_array_append_new(deps, dj);
        }
        json_object_set_new(j, "departments", deps);
        json_array_append_new(items, j);
    }
    return paged(r, items, 200);
}
ROUTE("GET", "/api/v1/whistle-kinds", api_whistle_kinds, CAP_PLACES_READ, R_API, NULL,
      "吹哨类型（宣传哨、应急哨、执法哨、攻坚哨）：报到时限与应报到部门");

static err_code api_whistle_kind_put(req *r)
{
    const char *code = req_param(r, "code");
    if (!whistle_kind_find(code)) return E_NOT_FOUND;
    struct whistle_kind_input in = {0};
    err_code e = bind_whistle_kind(r, &in);
    if (e) return e;
    const char *place = in.county;
    struct svc_result res = svc_whistle_kind_put(r->db, r->a, r->me, code, &in);
    if (res.err) return http_fail(r, res.err, res.field, res.message);
    json_t *j = json_object();
    json_set_str(j, "code", code);
    json_set_str(j, "place_code", place);
    json_set_bool(j, "updated", 1);
    return http_json(r, 200, j);
}
ROUTE("PUT", "/api/v1/whistle-kinds/{code}", api_whistle_kind_put, CAP_ACCOUNTS, R_API,
      "whistle_kind", "配置一个县的吹哨类型：报到时限（分钟）与应报到部门（县级管理员）");

/* ---- whistles and calls ----------------------------------------------------- */

/* A time, or null for none (0). */
static json_t *call_json(const struct whistle_call_row *c, time_t now)
{
    json_t *j = json_object();
    json_set_int(j, "id", c->id);
    json_set_int(j, "whistle_id", c->whistle_id);
    json_set_int(j, "order_id", c->order_id);
    json_set_str(j, "order_code", c->order_code);
    json_set_str(j, "order_title", c->order_title);
    json_set_str(j, "place_code", c->order_place);
    const struct whistle_kind_def *k = whistle_kind_find(c->kind);
    json_set_str(j, "kind", c->kind);
    json_set_str(j, "kind_name", k ? k->zh : NULL);
    json_set_str(j, "note", c->note);
    json_set_int(j, "org_id", c->org_id);
    json_set_str(j, "org_name", c->org_name);
    json_set_time_nz(j, "blown_at", c->blown_at);
    json_set_time_nz(j, "deadline", c->deadline);
    json_set_time_nz(j, "answered_at", c->answered_at);
    json_set_str(j, "answered_by", c->answered_by);
    json_set_str(j, "answer_note", c->answer_note);
    enum whistle_call_state s = whistle_call_state_at(c->deadline, c->answered_at, (int64_t)now);
    json_set_str(j, "state", whistle_call_state_id(s));
    json_set_str(j, "state_name", whistle_call_state_zh(s));
    json_set_bool(j, "escalated", c->overdue_at != 0);
    return j;
}

/* A list of calls as a page; n < 0 is the store's failure. */
static err_code calls_page(req *r, const struct whistle_call_row *c, int n, int status)
{
    if (n < 0) return E_INTERNAL;
    json_t *items = json_array();
    time_t now = clock_now();
    for (int i = 0; i < n; i++) json_array_append_new(items, call_json(&c[i], now));
    return paged(r, items, status);
}

static err_code order_whistles(req *r, int64_t id, int status)
{
    struct whistle_call_row *c;
    int n = store_whistle_calls_of_order(r->db, r->a, id, &c);
    return calls_page(r, c, n, status);
}

static err_code api_order_whistle_blow(req *r)
{
    int64_t id = req_id(r, "id");
    if (!store_order_visible(r->db, r->a, r->me->account_id, id)) return E_NOT_FOUND;
    struct whistle_blow_input in = {0};
    err_code e = bind_whistle_blow(r, &in);
    if (e) return e;
    struct svc_result res = svc_whistle_blow(r->db, r->a, r->me, id, &in);
    if (res.err) return http_fail(r, res.err, res.field, res.message);
    return order_whistles(r, id, 201);
}
ROUTE("POST", "/api/v1/orders/{id}/whistles", api_order_whistle_blow, NULL, R_API, "order",
      "对工单吹哨：按吹哨类型通知所配置的部门限时报到");

static err_code api_order_whistles(req *r)
{
    int64_t id = req_id(r, "id");
    if (!store_order_visible(r->db, r->a, r->me->account_id, id)) return E_NOT_FOUND;
    return order_whistles(r, id, 200);
}
ROUTE("GET", "/api/v1/orders/{id}/whistles", api_order_whistles, NULL, R_API, "order",
      "工单的吹哨与各部门报到情况（待报到、已报到、超时未报到）");

static err_code api_whistle_calls(req *r)
{
    const char *as = req_query(r, "as");
    bool dept = as && !strcmp(as, "department");
    if (as && *as && !dept && strcmp(as, "staff"))
        return http_fail(r, E_BAD_INPUT, "as", "as 应为 department 或 staff");
    struct whistle_call_row *c;
    int n = store_whistle_calls_open(r->db, r->a, r->me->account_id, dept, 500, &c);
    return calls_page(r, c, n, 200);
}
ROUTE("GET", "/api/v1/whistle-calls", api_whistle_calls, NULL, R_API, NULL,
      "待报到的吹哨通知（as=department 本部门的；默认管辖范围内的），超时的在前");

static err_code api_whistle_call_report(req *r)
{
    int64_t id = req_id(r, "id");
    struct whistle_report_input in = {0};
    err_code e = bind_whistle_report(r, &in);
    if (e) return e;
    struct svc_result res = svc_whistle_report(r->db, r->a, r->me, id, &in);
    if (res.err) return http_fail(r, res.err, res.field, res.message);
    struct whistle_call_row c;
    if (!store_whistle_call_get(r->db, r->a, id, &c)) return E_INTERNAL;
    return http_json(r, 200, call_json(&c, clock_now()));
}
ROUTE("POST", "/api/v1/whistle-calls/{id}/report", api_whistle_call_report, NULL, R_API,
      "whistle_call", "部门报到（持有被通知部门授权的账号）");

/* ---- 部门买单 ------------------------------------------------------------------- */

static json_t *cost_json(const struct order_cost_row *k)
{
    json_t *j = json_object();
    json_set_int(j, "id", k->id);
    json_set_int(j, "order_id", k->order_id);
    json_set_str(j, "order_code", k->order_code);
    json_set_str(j, "order_title", k->order_title);
    json_set_str(j, "place_code", k->order_place);
    json_set_int(j, "org_id", k->org_id);
    json_set_str(j, "org_name", k->org_name);
    json_set_int(j, "amount_fen", k->amount_fen);
    set_yuan(j, "amount", k->amount_fen);
    json_set_str(j, "resource", k->resource);
    json_set_str(j, "note", k->note);
    json_set_str(j, "state", k->state);
    json_set_str(j, "state_name", order_cost_state_zh(k->state));
    json_set_str(j, "proposed_by", k->proposed_by);
    json_set_time_nz(j, "created_at", k->created_at);
    json_set_str(j, "confirmed_by", k->confirmed_by);
    json_set_time_nz(j, "confirmed_at", k->confirmed_at);
    return j;
}

/* One cost as the answer, read back after a write. */
static err_code cost_answer(req *r, int64_t id, int status)
{
    struct order_cost_row k;
    return store_order_cost_get(r->db, r->a, id, &k) ? http_json(r, status, cost_json(&k))
                                                     : E_INTERNAL;
}

/* A list of costs as a page; n < 0 is the store's failure. */
static err_code costs_page(req *r, const struct order_cost_row *k, int n)
{
    if (n < 0) return E_INTERNAL;
    json_t *items = json_array();
    for (int i = 0; i < n; i++) json_array_append_new(items, cost_json(&k[i]));
    return paged(r, items, 200);
}

static err_code api_order_cost_create(req *r)
{
    int64_t id = req_id(r, "id");
    if (!store_order_visible(r->db, r->a, r->me->account_id, id)) return E_NOT_FOUND;
    struct order_cost_input in = {0};
    err_code e = bind_order_cost(r, &in);
    if (e) return e;
    struct svc_result res = svc_order_cost_propose(r->db, r->a, r->me, id, &in);
    if (res.err) return http_fail(r, res.err, res.field, res.message);
    return cost_answer(r, res.id, 201);
}
ROUTE("POST", "/api/v1/orders/{id}/costs", api_order_cost_create, NULL, R_API, "order",
      "部门买单：派单人员提出由某组织承担的费用（金额单位元）");

static err_code api_order_costs(req *r)
{
    int64_t id = req_id(r, "id");
    if (!store_order_visible(r->db, r->a, r->me->account_id, id)) return E_NOT_FOUND;
    struct order_cost_row *k;
    int n = store_order_costs_of_order(r->db, r->a, id, &k);
    return costs_page(r, k, n);
}
ROUTE("GET", "/api/v1/orders/{id}/costs", api_order_costs, NULL, R_API, "order",
      "工单的部门买单记录");

static err_code cost_decide(req *r, bool confirm)
{
    int64_t id = req_id(r, "id");
    struct svc_result res = svc_order_cost_decide(r->db, r->a, r->me, id, confirm);
    if (res.err) return http_fail(r, res.err, res.field, res.message);
    return cost_answer(r, id, 200);
}
static err_code api_order_cost_confirm(req *r)
{
    return cost_decide(r, true);
}
static err_code api_order_cost_decline(req *r)
{
    return cost_decide(r, false);
}
ROUTE("POST", "/api/v1/order-costs/{id}/confirm", api_order_cost_confirm, NULL, R_API, "order_cost",
      "买单组织确认承担费用");
ROUTE("POST", "/api/v1/order-costs/{id}/decline", api_order_cost_decline, NULL, R_API, "order_cost",
      "买单组织拒绝承担费用");

static err_code api_order_costs_open(req *r)
{
    const char *as = req_query(r, "as");
    bool org = as && !strcmp(as, "org");
    if (as && *as && !org && strcmp(as, "staff"))
        return http_fail(r, E_BAD_INPUT, "as", "as 应为 org 或 staff");
    struct order_cost_row *k;
    int n = store_order_costs_open(r->db, r->a, r->me->account_id, org, 500, &k);
    return costs_page(r, k, n);
}
ROUTE("GET", "/api/v1/order-costs", api_order_costs_open, NULL, R_API, NULL,
      "待确认的买单（as=org 本组织的；默认管辖范围内的）");

/* A date YYYY-MM-DD (China time) as Unix seconds at its start; 0 for none. */
static bool day_start(const char *s, int64_t *out)
{
    *out = 0;
    if (!s || !*s) return true;
    int y, m, d;
    char tail;
    if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || m < 1 || m > 12 ||
        d < 1 || d > 31)
        return false;
    struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d};
    *out = (int64_t)timegm(&tm) - CLOCK_CHINA_UTC_OFFSET_MIN * 60;
    return true;
}

static void total_members(json_t *x, const struct order_cost_total *t)
{
    json_set_int(x, "count", t->count);
    json_set_int(x, "amount_fen", t->amount_fen);
    set_yuan(x, "amount", t->amount_fen);
}

static err_code api_order_costs_summary(req *r)
{
    const char *place = req_query(r, "place");
    int64_t from, to;
    if (!day_start(req_query(r, "from"), &from))
        return http_fail(r, E_BAD_INPUT, "from", "起始日期格式应为 2026-11-01");
    if (!day_start(req_query(r, "to"), &to))
        return http_fail(r, E_BAD_INPUT, "to", "截止日期格式应为 2026-11-30");
    if (to) to += 86400; /* to is inclusive */
    place = place && *place ? place : NULL;
    int64_t me = r->me->account_id;
    struct order_cost_total *bo, *bp;
    int nbo = store_order_costs_by_org(r->db, r->a, me, place, from, to, &bo);
    int nbp = store_order_costs_by_place(r->db, r->a, me, place, from, to, &bp);
    if (nbo < 0 || nbp < 0) return E_INTERNAL;
    json_t *j = json_object(), *orgs = json_array(), *places = json_array();
    int64_t total = 0, count = 0;
    for (int i = 0; i < nbo; i++) {
        json_t *x = json_object();
        json_set_int(x, "org_id", bo[i].org_id);
        json_set_str(x, "org_name", bo[i].name);
        total_members(x, &bo[i]);
        total += bo[i].amount_fen;
        count += bo[i].count;
        json_array_append_new(orgs, x);
    }
    for (int i = 0; i < nbp; i++) {
        json_t *x = json_object();
        json_set_str(x, "place_code", bp[i].code);
        json_set_str(x, "place_name", bp[i].name);
        total_members(x, &bp[i]);
        json_array_append_new(places, x);
    }
    json_object_set_new(j, "by_org", orgs);
    json_object_set_new(j, "by_place", places);
    json_set_int(j, "count", count);
    json_set_int(j, "total_fen", total);
    set_yuan(j, "total", total);
    return http_json(r, 200, j);
}
ROUTE("GET", "/api/v1/order-costs/summary", api_order_costs_summary, CAP_ORDERS_READ, R_API, NULL,
      "部门买单汇总：已确认金额按组织和社区合计（place、from、to 筛选）");

/* ---- 督办, 回访, 处置层级 ------------------------------------------------------------ */

static json_t *supervision_json(const struct supervision_row *s, time_t now)
{
    json_t *j = json_object();
    json_set_int(j, "id", s->id);
    json_set_int(j, "order_id", s->order_id);
    json_set_str(j, "order_code", s->order_code);
    json_set_str(j, "order_title", s->order_title);
    json_set_str(j, "place_code", s->order_place);
    json_set_str(j, "order_state", s->order_state);
    json_set_str(j, "by", s->by);
    json_set_str(j, "note", s->note);
    json_set_time_nz(j, "deadline", s->deadline);
    json_set_time_nz(j, "created_at", s->created_at);
    json_set_time_nz(j, "closed_at", s->closed_at);
    json_set_bool(j, "open", s->closed_at == 0);
    json_set_bool(j, "overdue", supervision_overdue(s->deadline, s->closed_at, (int64_t)now));
    return j;
}

static err_code api_supervisions(req *r)
{
    const char *place = req_query(r, "place");
    time_t now = clock_now();
    struct supervision_row *s;
    int n = store_supervisions_open(r->db, r->a, r->me->account_id, place && *place ? place : NULL,
                                    (int64_t)now, 500, &s);
    if (n < 0) return E_INTERNAL;
    json_t *items = json_array();
    for (int i = 0; i < n; i++) json_array_append_new(items, supervision_json(&s[i], now));
    return paged(r, items, 200);
}
ROUTE("GET", "/api/v1/supervisions", api_supervisions, CAP_ORDERS_READ, R_API, NULL,
      "督办中的工单（超期的在前）");

static err_code api_order_followups(req *r)
{
    int64_t id = req_id(r, "id");
    struct order_row o;
    if (!store_order_read(r->db, r->a, r->me->account_id, id, &o)) return E_NOT_FOUND;
    time_t now = clock_now();
    json_t *j = json_object(), *sv = json_array(), *rv = json_array(), *cs = json_array();
    json_set_str(j, "tier", o.tier);
    json_set_str(j, "tier_name", order_tier_zh(o.tier));
    struct supervision_row *s;
    int ns = store_supervisions_of_order(r->db, r->a, id, &s);
    bool open = false;
    for (int i = 0; i < ns; i++) {
        json_array_append_new(sv, supervision_json(&s[i], now));
        if (!s[i].closed_at) open = true;
    }
    json_set_bool(j, "supervised", open);
    struct revisit_row *v;
    int nv = store_revisits_of_order(r->db, r->a, id, &v);
    for (int i = 0; i < nv; i++) {
        json_t *x = json_object();
        json_set_int(x, "id", v[i].id);
        json_set_str(x, "by", v[i].by);
        json_set_str(x, "note", v[i].note);
        json_set_str(x, "outcome", v[i].outcome);
        json_set_str(x, "outcome_name", revisit_outcome_zh(v[i].outcome));
        json_set_time_nz(x, "created_at", v[i].created_at);
        json_array_append_new(rv, x);
    }
    struct consultation_row *c;
    int nc = store_consultations_of_order(r->db, r->a, id, &c);
    for (int i = 0; i < nc; i++) {
        json_t *x = json_object();
        json_set_int(x, "id", c[i].id);
        json_set_time_nz(x, "held_at", c[i].held_at);
        json_set_str(x, "participants", c[i].participants);
        json_set_str(x, "outcome", c[i].outcome);
        json_set_str(x, "by", c[i].by);
        json_array_append_new(cs, x);
    }
    json_object_set_new(j, "supervisions", sv);
    json_object_set_new(j, "revisits", rv);
    json_object_set_new(j, "consultations", cs);
    return http_json(r, 200, j);
}
ROUTE("GET", "/api/v1/orders/{id}/followups", api_order_followups, NULL, R_API, "order",
      "工单的处置层级、督办、回访与协商结果");

static err_code api_order_tier(req *r)
{
    int64_t id = req_id(r, "id");
    if (!store_order_visible(r->db, r->a, r->me->account_id, id)) return E_NOT_FOUND;
    struct svc_tier_input in = {0};
    err_code e = bind_order_tier(r, &in);
    if (e) return e;
    struct svc_result res = svc_order_set_tier(r->db, r->a, r->me, id, &in);
    if (res.err) return http_fail(r, res.err, res.field, res.message);
    return api_order_followups(r);
}
ROUTE("POST", "/api/v1/orders/{id}/tier", api_order_tier, NULL, R_API, "order",
      "设置工单处置层级（协商处置可记录协商结果）");
