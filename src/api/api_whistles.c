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
    if (!place || !*place) {
        db_rows *t = store_place_tops(r->db, r->a, r->me->account_id, CAP_PLACES_READ);
        place = t && t->nrows ? db_get(t, 0, 0) : NULL;
    }
    if (!place || strlen(place) < 6)
        return http_fail(r, E_BAD_INPUT, "place", "请指定县级区划代码");
    whistle_county_of(place, county);
    db_rows *k = store_whistle_kinds(r->db, r->a, county);
    if (!k) return E_INTERNAL;
    json_t *items = json_array();
    for (int w = 0; w < whistle_kinds_count; w++) {
        const struct whistle_kind_def *def = &whistle_kinds[w];
        json_t *j = json_object();
        json_set_str(j, "code", def->id);
        json_set_str(j, "name", def->zh);
        json_set_int(j, "level", def->level);
        json_set_str(j, "place_code", county);
        json_t *deps = json_array();
        int row = -1;
        for (int i = 0; i < k->nrows; i++)
            if (!strcmp(db_get(k, i, WK_KIND), def->id)) row = i;
        json_set_bool(j, "configured", row >= 0);
        json_set_int(j, "answer_minutes",
                     row >= 0 ? db_get_int(k, row, WK_MINUTES) : def->answer_minutes);
        db_rows *o =
            row >= 0 ? store_whistle_kind_orgs(r->db, r->a, db_get_int(k, row, WK_ID)) : NULL;
        for (int i = 0; o && i < o->nrows; i++) {
            json_t *dj = json_object();
            json_set_id(dj, "id", db_get(o, i, 0));
            json_set_str(dj, "name", db_get(o, i, 1));
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
    if (!json_is_object(r->json)) return http_fail(r, E_BAD_INPUT, NULL, "请求体应为 JSON 对象");
    json_t *m = json_object_get(r->json, "answer_minutes");
    const char *minutes = NULL;
    if (json_is_integer(m))
        minutes = arena_printf(r->a, "%lld", (long long)json_integer_value(m));
    else if (m && !json_is_null(m))
        return http_fail(r, E_BAD_INPUT, "answer_minutes", "报到时限应为整数（分钟）");
    json_t *deps = json_object_get(r->json, "department_ids");
    int n = 0;
    int64_t *orgs = NULL;
    if (deps && !json_is_array(deps))
        return http_fail(r, E_BAD_INPUT, "department_ids", "应报到部门应为组织编号的数组");
    if (deps) {
        orgs = arena_alloc(r->a, sizeof *orgs * (json_array_size(deps) + 1));
        size_t i;
        json_t *v;
        json_array_foreach(deps, i, v)
        {
            if (!json_is_integer(v))
                return http_fail(r, E_BAD_INPUT, "department_ids", "应报到部门应为组织编号的数组");
            orgs[n++] = json_integer_value(v);
        }
    }
    const char *place = req_input(r, "place_code");
    struct svc_result res =
        svc_whistle_kind_put(r->db, r->a, r->me, code, place, minutes, orgs, n, deps != NULL);
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

static json_t *call_json(const db_rows *c, int i, time_t now)
{
    json_t *j = json_object();
    json_set_id(j, "id", db_get(c, i, WC_ID));
    json_set_id(j, "whistle_id", db_get(c, i, WC_WHISTLE));
    json_set_id(j, "order_id", db_get(c, i, WC_ORDER));
    json_set_str(j, "order_code", db_get(c, i, WC_ORDER_CODE));
    json_set_str(j, "order_title", db_get(c, i, WC_ORDER_TITLE));
    json_set_str(j, "place_code", db_get(c, i, WC_ORDER_PLACE));
    const struct whistle_kind_def *k = whistle_kind_find(db_get(c, i, WC_KIND));
    json_set_str(j, "kind", db_get(c, i, WC_KIND));
    json_set_str(j, "kind_name", k ? k->zh : NULL);
    json_set_str(j, "note", db_get(c, i, WC_NOTE));
    json_set_id(j, "org_id", db_get(c, i, WC_ORG));
    json_set_str(j, "org_name", db_get(c, i, WC_ORG_NAME));
    json_set_time(j, "blown_at", db_get(c, i, WC_BLOWN_AT));
    json_set_time(j, "deadline", db_get(c, i, WC_DEADLINE));
    json_set_time(j, "answered_at", db_get(c, i, WC_ANSWERED_AT));
    json_set_str(j, "answered_by", db_get(c, i, WC_ANSWERED_BY));
    json_set_str(j, "answer_note", db_get(c, i, WC_ANSWER_NOTE));
    enum whistle_call_state s = whistle_call_state_at(
        db_get_int(c, i, WC_DEADLINE),
        db_get(c, i, WC_ANSWERED_AT) ? db_get_int(c, i, WC_ANSWERED_AT) : 0, (int64_t)now);
    json_set_str(j, "state", whistle_call_state_id(s));
    json_set_str(j, "state_name", whistle_call_state_zh(s));
    json_set_bool(j, "escalated", db_get(c, i, WC_OVERDUE_AT) != NULL);
    return j;
}

static err_code order_whistles(req *r, int64_t id, int status)
{
    db_rows *c = store_whistle_calls_of_order(r->db, r->a, id);
    if (!c) return E_INTERNAL;
    json_t *items = json_array();
    time_t now = clock_now();
    for (int i = 0; i < c->nrows; i++) json_array_append_new(items, call_json(c, i, now));
    return paged(r, items, status);
}

static err_code api_order_whistle_blow(req *r)
{
    int64_t id = req_id(r, "id");
    if (!store_order_get(r->db, r->a, r->me->account_id, id)) return E_NOT_FOUND;
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
    if (!store_order_get(r->db, r->a, r->me->account_id, id)) return E_NOT_FOUND;
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
    db_rows *c = store_whistle_calls_open(r->db, r->a, r->me->account_id, dept, 500);
    if (!c) return E_INTERNAL;
    json_t *items = json_array();
    time_t now = clock_now();
    for (int i = 0; i < c->nrows; i++) json_array_append_new(items, call_json(c, i, now));
    return paged(r, items, 200);
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
    db_rows *c = store_whistle_call_get(r->db, r->a, id);
    if (!c) return E_INTERNAL;
    return http_json(r, 200, call_json(c, 0, clock_now()));
}
ROUTE("POST", "/api/v1/whistle-calls/{id}/report", api_whistle_call_report, NULL, R_API,
      "whistle_call", "部门报到（持有被通知部门授权的账号）");

/* ---- 部门买单 ------------------------------------------------------------------- */

static json_t *cost_json(const db_rows *k, int i)
{
    json_t *j = json_object();
    json_set_id(j, "id", db_get(k, i, CO_ID));
    json_set_id(j, "order_id", db_get(k, i, CO_ORDER));
    json_set_str(j, "order_code", db_get(k, i, CO_ORDER_CODE));
    json_set_str(j, "order_title", db_get(k, i, CO_ORDER_TITLE));
    json_set_str(j, "place_code", db_get(k, i, CO_ORDER_PLACE));
    json_set_id(j, "org_id", db_get(k, i, CO_ORG));
    json_set_str(j, "org_name", db_get(k, i, CO_ORG_NAME));
    json_set_int(j, "amount_fen", db_get_int(k, i, CO_AMOUNT));
    set_yuan(j, "amount", db_get_int(k, i, CO_AMOUNT));
    json_set_str(j, "resource", db_get(k, i, CO_RESOURCE));
    json_set_str(j, "note", db_get(k, i, CO_NOTE));
    json_set_str(j, "state", db_get(k, i, CO_STATE));
    json_set_str(j, "state_name", order_cost_state_zh(db_get(k, i, CO_STATE)));
    json_set_str(j, "proposed_by", db_get(k, i, CO_PROPOSED_BY));
    json_set_time(j, "created_at", db_get(k, i, CO_CREATED_AT));
    json_set_str(j, "confirmed_by", db_get(k, i, CO_CONFIRMED_BY));
    json_set_time(j, "confirmed_at", db_get(k, i, CO_CONFIRMED_AT));
    return j;
}

static err_code api_order_cost_create(req *r)
{
    int64_t id = req_id(r, "id");
    if (!store_order_get(r->db, r->a, r->me->account_id, id)) return E_NOT_FOUND;
    struct order_cost_input in = {0};
    err_code e = bind_order_cost(r, &in);
    if (e) return e;
    struct svc_result res = svc_order_cost_propose(r->db, r->a, r->me, id, &in);
    if (res.err) return http_fail(r, res.err, res.field, res.message);
    db_rows *k = store_order_cost_get(r->db, r->a, res.id);
    return k ? http_json(r, 201, cost_json(k, 0)) : E_INTERNAL;
}
ROUTE("POST", "/api/v1/orders/{id}/costs", api_order_cost_create, NULL, R_API, "order",
      "部门买单：派单人员提出由某组织承担的费用（金额单位元）");

static err_code api_order_costs(req *r)
{
    int64_t id = req_id(r, "id");
    if (!store_order_get(r->db, r->a, r->me->account_id, id)) return E_NOT_FOUND;
    db_rows *k = store_order_costs_of_order(r->db, r->a, id);
    if (!k) return E_INTERNAL;
    json_t *items = json_array();
    for (int i = 0; i < k->nrows; i++) json_array_append_new(items, cost_json(k, i));
    return paged(r, items, 200);
}
ROUTE("GET", "/api/v1/orders/{id}/costs", api_order_costs, NULL, R_API, "order",
      "工单的部门买单记录");

static err_code cost_decide(req *r, bool confirm)
{
    int64_t id = req_id(r, "id");
    struct svc_result res = svc_order_cost_decide(r->db, r->a, r->me, id, confirm);
    if (res.err) return http_fail(r, res.err, res.field, res.message);
    db_rows *k = store_order_cost_get(r->db, r->a, id);
    return k ? http_json(r, 200, cost_json(k, 0)) : E_INTERNAL;
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
    db_rows *k = store_order_costs_open(r->db, r->a, r->me->account_id, org, 500);
    if (!k) return E_INTERNAL;
    json_t *items = json_array();
    for (int i = 0; i < k->nrows; i++) json_array_append_new(items, cost_json(k, i));
    return paged(r, items, 200);
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
    db_rows *bo = store_order_costs_by_org(r->db, r->a, me, place, from, to);
    db_rows *bp = store_order_costs_by_place(r->db, r->a, me, place, from, to);
    if (!bo || !bp) return E_INTERNAL;
    json_t *j = json_object(), *orgs = json_array(), *places = json_array();
    int64_t total = 0, count = 0;
    for (int i = 0; i < bo->nrows; i++) {
        json_t *x = json_object();
        json_set_id(x, "org_id", db_get(bo, i, 0));
        json_set_str(x, "org_name", db_get(bo, i, 1));
        json_set_int(x, "count", db_get_int(bo, i, 2));
        json_set_int(x, "amount_fen", db_get_int(bo, i, 3));
        set_yuan(x, "amount", db_get_int(bo, i, 3));
        total += db_get_int(bo, i, 3);
        count += db_get_int(bo, i, 2);
        json_array_append_new(orgs, x);
    }
    for (int i = 0; i < bp->nrows; i++) {
        json_t *x = json_object();
        json_set_str(x, "place_code", db_get(bp, i, 0));
        json_set_str(x, "place_name", db_get(bp, i, 1));
        json_set_int(x, "count", db_get_int(bp, i, 2));
        json_set_int(x, "amount_fen", db_get_int(bp, i, 3));
        set_yuan(x, "amount", db_get_int(bp, i, 3));
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

static json_t *supervision_json(const db_rows *s, int i, time_t now)
{
    json_t *j = json_object();
    json_set_id(j, "id", db_get(s, i, SV_ID));
    json_set_id(j, "order_id", db_get(s, i, SV_ORDER));
    json_set_str(j, "order_code", db_get(s, i, SV_CODE));
    json_set_str(j, "order_title", db_get(s, i, SV_TITLE));
    json_set_str(j, "place_code", db_get(s, i, SV_PLACE));
    json_set_str(j, "order_state", db_get(s, i, SV_STATE));
    json_set_str(j, "by", db_get(s, i, SV_BY));
    json_set_str(j, "note", db_get(s, i, SV_NOTE));
    json_set_time(j, "deadline", db_get(s, i, SV_DEADLINE));
    json_set_time(j, "created_at", db_get(s, i, SV_CREATED));
    json_set_time(j, "closed_at", db_get(s, i, SV_CLOSED));
    json_set_bool(j, "open", db_get(s, i, SV_CLOSED) == NULL);
    json_set_bool(j, "overdue",
                  supervision_overdue(db_get_int(s, i, SV_DEADLINE),
                                      db_get(s, i, SV_CLOSED) ? db_get_int(s, i, SV_CLOSED) : 0,
                                      (int64_t)now));
    return j;
}

static err_code api_supervisions(req *r)
{
    const char *place = req_query(r, "place");
    time_t now = clock_now();
    db_rows *s = store_supervisions_open(r->db, r->a, r->me->account_id,
                                         place && *place ? place : NULL, (int64_t)now, 500);
    if (!s) return E_INTERNAL;
    json_t *items = json_array();
    for (int i = 0; i < s->nrows; i++) json_array_append_new(items, supervision_json(s, i, now));
    return paged(r, items, 200);
}
ROUTE("GET", "/api/v1/supervisions", api_supervisions, CAP_ORDERS_READ, R_API, NULL,
      "督办中的工单（超期的在前）");

static err_code api_order_followups(req *r)
{
    int64_t id = req_id(r, "id");
    db_rows *o = store_order_get(r->db, r->a, r->me->account_id, id);
    if (!o) return E_NOT_FOUND;
    time_t now = clock_now();
    json_t *j = json_object(), *sv = json_array(), *rv = json_array(), *cs = json_array();
    json_set_str(j, "tier", db_get(o, 0, OC_TIER));
    json_set_str(j, "tier_name", order_tier_zh(db_get(o, 0, OC_TIER)));
    db_rows *s = store_supervisions_of_order(r->db, r->a, id);
    bool open = false;
    for (int i = 0; s && i < s->nrows; i++) {
        json_array_append_new(sv, supervision_json(s, i, now));
        if (!db_get(s, i, SV_CLOSED)) open = true;
    }
    json_set_bool(j, "supervised", open);
    db_rows *v = store_revisits_of_order(r->db, r->a, id);
    for (int i = 0; v && i < v->nrows; i++) {
        json_t *x = json_object();
        json_set_id(x, "id", db_get(v, i, 0));
        json_set_str(x, "by", db_get(v, i, 1));
        json_set_str(x, "note", db_get(v, i, 2));
        json_set_str(x, "outcome", db_get(v, i, 3));
        json_set_str(x, "outcome_name", revisit_outcome_zh(db_get(v, i, 3)));
        json_set_time(x, "created_at", db_get(v, i, 4));
        json_array_append_new(rv, x);
    }
    db_rows *c = store_consultations_of_order(r->db, r->a, id);
    for (int i = 0; c && i < c->nrows; i++) {
        json_t *x = json_object();
        json_set_id(x, "id", db_get(c, i, 0));
        json_set_time(x, "held_at", db_get(c, i, 1));
        json_set_str(x, "participants", db_get(c, i, 2));
        json_set_str(x, "outcome", db_get(c, i, 3));
        json_set_str(x, "by", db_get(c, i, 4));
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
    if (!store_order_get(r->db, r->a, r->me->account_id, id)) return E_NOT_FOUND;
    struct svc_tier_input in = {0};
    err_code e = bind_order_tier(r, &in);
    if (e) return e;
    struct svc_result res = svc_order_set_tier(r->db, r->a, r->me, id, &in);
    if (res.err) return http_fail(r, res.err, res.field, res.message);
    return api_order_followups(r);
}
ROUTE("POST", "/api/v1/orders/{id}/tier", api_order_tier, NULL, R_API, "order",
      "设置工单处置层级（协商处置可记录协商结果）");
