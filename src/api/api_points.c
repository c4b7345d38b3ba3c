/* Points 积分 and the points supermarket 积分超市 over the API: /api/v1/points…
 * Writes go through service/svc_points.c (validation, scope, audit); reads
 * check scope here through the store (points.read over the community, or the
 * caller's own points and own community's supermarket). */
#include <stdlib.h>
#include <string.h>

#include "core/points_rule.h"
#include "core/roles.h"
#include "http/bind_points.h"
#include "http/http.h"
#include "http/json_out.h"
#include "service/svc_points.h"
#include "store/store_points.h"

static json_t *movement_json(const struct points_movement *m)
{
    json_t *j = json_object();
    json_set_int(j, "id", m->id);
    json_set_str(j, "kind", m->kind);
    json_set_str(j, "place_code", m->place_code);
    json_set_id_nz(j, "person_id", m->person_id);
    json_set_str(j, "person_name", m->person_name);
    json_set_int(j, "points", m->points);
    json_set_str(j, "source_type", m->source_type);
    json_set_id_nz(j, "source_id", m->source_id);
    json_set_str(j, "reason", m->reason);
    json_set_str(j, "created_by", m->actor);
    json_set_int(j, "created_at", m->created_at);
    json_set_id_nz(j, "reverses_id", m->reverses_id);
    json_set_id_nz(j, "reversed_by", m->reversed_by);
    return j;
}

static err_code movement_reply(req *r, int64_t id, int status, const char *note)
{
    struct points_movement m;
    if (!store_points_movement(r->db, r->a, 0, CAP_POINTS_READ, 0, id, &m)) return E_INTERNAL;
    json_t *j = movement_json(&m);
    int64_t person = m.person_id;
    /* a reversal in the caller's community may concern someone living elsewhere */
    if (svc_points_may_read(r->db, r->me, person))
        json_set_int(j, "balance", store_points_balance(r->db, person));
    if (note) json_set_str(j, "note", note);
    return http_json(r, status, j);
}

/* A statement: the movements newest first, each with the balance after it. */
static err_code statement(req *r, int64_t person)
{
    int64_t limit, cursor;
    err_code e = req_page(r, &limit, &cursor);
    if (e) return e;
    struct points_movement *m;
    int got = store_points_statement(r->db, r->a, person, cursor, (int)limit + 1, &m);
    if (got < 0) return E_INTERNAL;
    int64_t balance = store_points_balance(r->db, person);
    int64_t running = balance - (cursor ? store_points_sum_since(r->db, person, cursor) : 0);
    int n = got > limit ? (int)limit : got;
    json_t *items = json_array();
    for (int i = 0; i < n; i++) {
        json_t *j = movement_json(&m[i]);
        json_set_int(j, "balance_after", running);
        running -= m[i].points;
        json_array_append_new(items, j);
    }
    json_t *page =
        json_page(items, got > limit ? arena_printf(r->a, "%lld", (long long)m[n - 1].id) : NULL);
    json_set_int(page, "person_id", person);
    json_set_int(page, "balance", balance);
    return http_json(r, 200, page);
}

static err_code api_points_me(req *r)
{
    if (r->me->person_id <= 0) return http_fail(r, E_NOT_FOUND, NULL, "本账号未关联居民");
    return statement(r, r->me->person_id);
}
ROUTE("GET", "/api/v1/points/me", api_points_me, CAP_SELF, R_API, NULL,
      "我的积分：余额与积分明细（每笔后的余额）");

static err_code api_points_me_code(req *r)
{
    const char *code;
    int64_t expires;
    struct svc_result res = svc_points_code_issue(r->db, r->a, r->me, &code, &expires);
    if (res.err) return http_fail(r, res.err, res.field, res.message);
    json_t *j = json_object();
    json_set_str(j, "code", code);
    json_set_int(j, "expires_at", expires);
    return http_json(r, 201, j);
}
ROUTE("POST", "/api/v1/points/me/code", api_points_me_code, CAP_SELF, R_API, NULL,
      "生成柜台兑换码（6位，10分钟内有效，只能用一次；新码作废旧码）");

static err_code api_points_person(req *r)
{
    int64_t id = req_id(r, "id");
    if (!svc_points_may_read(r->db, r->me, id)) return E_NOT_FOUND;
    return statement(r, id);
}
ROUTE("GET", "/api/v1/points/people/{id}", api_points_person, NULL, R_API, "person",
      "某人的积分余额与明细（本人，或有积分查看权限的工作人员）");

static err_code api_points_award(req *r)
{
    struct points_award aw;
    err_code e = bind_points_award(r, &aw);
    if (e) return e;
    struct svc_result res = svc_points_award_manual(r->db, r->a, r->me, &aw);
    if (res.err) return http_fail(r, res.err, res.field, res.message);
    return movement_reply(r, res.id, res.message ? 200 : 201, res.message);
}
ROUTE("POST", "/api/v1/points/awards", api_points_award, CAP_POINTS_MANAGE, R_API, NULL,
      "发放积分（按来源类型与编号，同一来源对同一人只发一次；超过规则上限拒绝）");

static err_code api_points_movement(req *r)
{
    int64_t id = req_id(r, "id");
    struct points_movement m;
    if (!store_points_movement(r->db, r->a, r->me->account_id, CAP_POINTS_READ, r->me->person_id,
                               id, &m))
        return E_NOT_FOUND;
    json_t *j = movement_json(&m);
    struct points_entry *e;
    int ne = store_points_entries(r->db, r->a, id, &e);
    json_t *arr = json_array();
    for (int i = 0; i < ne; i++) {
        json_t *x = json_object();
        json_set_int(x, "account_id", e[i].account_id);
        json_set_int(x, "amount", e[i].amount);
        json_array_append_new(arr, x);
    }
    json_object_set_new(j, "entries", arr);
    return http_json(r, 200, j);
}
ROUTE("GET", "/api/v1/points/movements/{id}", api_points_movement, NULL, R_API, "points_movement",
      "一笔积分变动及其分录");

static err_code api_points_reverse(req *r)
{
    struct points_reverse_input in;
    err_code e = bind_points_reverse(r, &in);
    if (e) return e;
    struct svc_result res = svc_points_reverse(r->db, r->a, r->me, req_id(r, "id"), in.reason);
    if (res.err) return http_fail(r, res.err, res.field, res.message);
    return movement_reply(r, res.id, 201, NULL);
}
ROUTE("POST", "/api/v1/points/movements/{id}/reverse", api_points_reverse, CAP_POINTS_MANAGE, R_API,
      "points_movement", "冲正一笔积分变动（写入反向记录并注明原因；兑换冲正时退回库存）");

/* ---------------------------------------------------------------- rules */

static json_t *rule_json(const struct points_rule_row *g)
{
    json_t *j = json_object();
    json_set_int(j, "id", g->id);
    json_set_str(j, "place_code", g->place_code);
    json_set_str(j, "source_type", g->source_type);
    json_set_str(j, "name", g->name);
    json_set_int(j, "points", g->points);
    json_set_int(j, "cap", g->cap);
    json_set_str(j, "period", g->period);
    json_set_bool(j, "active", g->active);
    return j;
}

static err_code api_points_rules(req *r)
{
    const char *place = req_query(r, "place");
    if (!place || !*place) place = svc_points_home(r->db, r->a, r->me);
    if (!place || !store_points_covers(r->db, r->me->account_id, CAP_POINTS_READ, place))
        return http_json(r, 200, json_page(json_array(), NULL));
    struct points_rule_row *g;
    int n = store_points_rules_at(r->db, r->a, place, &g);
    if (n < 0) return E_INTERNAL;
    json_t *items = json_array();
    for (int i = 0; i < n; i++) json_array_append_new(items, rule_json(&g[i]));
    return http_json(r, 200, json_page(items, NULL));
}
ROUTE("GET", "/api/v1/points/rules", api_points_rules, CAP_POINTS_READ, R_API, NULL,
      "积分规则（某社区或区划设置的规则；place 缺省为本人所在社区）");

static err_code api_points_rule_put(req *r)
{
    struct points_rule_input in;
    err_code e = bind_points_rule(r, &in);
    if (e) return e;
    struct svc_result res = svc_points_rule_put(r->db, r->a, r->me, &in);
    if (res.err) return http_fail(r, res.err, res.field, res.message);
    struct points_rule_row *g;
    int n = store_points_rules_at(r->db, r->a, in.place_code, &g);
    for (int i = 0; i < n; i++)
        if (g[i].id == res.id) return http_json(r, 200, rule_json(&g[i]));
    return E_INTERNAL;
}
ROUTE("POST", "/api/v1/points/rules", api_points_rule_put, CAP_POINTS_MANAGE, R_API, NULL,
      "设置积分规则（社区、来源类型、分值、每周期上限；同社区同类型则替换）");

/* ---------------------------------------------------------------- goods */

static json_t *goods_json(const struct points_good *g)
{
    json_t *j = json_object();
    json_set_int(j, "id", g->id);
    json_set_str(j, "place_code", g->place_code);
    json_set_str(j, "place_name", g->place_name);
    json_set_str(j, "name", g->name);
    json_set_int(j, "price", g->price);
    json_set_int(j, "stock", g->stock);
    json_set_str(j, "source", g->source);
    json_set_str(j, "donor", g->donor);
    json_set_bool(j, "active", g->active);
    return j;
}

static err_code goods_reply(req *r, int64_t id, int status)
{
    struct points_good g;
    if (!store_points_good(r->db, r->a, 0, CAP_POINTS_READ, NULL, id, &g)) return E_INTERNAL;
    return http_json(r, status, goods_json(&g));
}

static err_code api_points_goods(req *r)
{
    int64_t limit, cursor;
    err_code e = req_page(r, &limit, &cursor);
    if (e) return e;
    const char *place = req_query(r, "place"), *all = req_query(r, "all");
    struct points_good *g;
    int got = store_points_goods(
        r->db, r->a, r->me->account_id, CAP_POINTS_READ, svc_points_home(r->db, r->a, r->me),
        place && *place ? place : NULL, all && !strcmp(all, "1"), cursor, (int)limit + 1, &g);
    if (got < 0) return E_INTERNAL;
    int n = got > limit ? (int)limit : got;
    json_t *items = json_array();
    for (int i = 0; i < n; i++) json_array_append_new(items, goods_json(&g[i]));
    return http_json(
        r, 200,
        json_page(items, got > limit ? arena_printf(r->a, "%lld", (long long)g[n - 1].id) : NULL));
}
ROUTE("GET", "/api/v1/points/goods", api_points_goods, NULL, R_API, NULL,
      "积分超市商品（居民看本社区；工作人员看管辖社区；all=1 含已下架）");

static err_code api_points_good(req *r)
{
    int64_t id = req_id(r, "id");
    struct points_good g;
    if (!store_points_good(r->db, r->a, r->me->account_id, CAP_POINTS_READ,
                           svc_points_home(r->db, r->a, r->me), id, &g))
        return E_NOT_FOUND;
    return http_json(r, 200, goods_json(&g));
}
ROUTE("GET", "/api/v1/points/goods/{id}", api_points_good, NULL, R_API, "points_goods",
      "一件积分超市商品");

static err_code api_points_goods_create(req *r)
{
    struct points_goods_input in;
    err_code e = bind_points_goods(r, &in);
    if (e) return e;
    struct svc_result res = svc_points_goods_create(r->db, r->a, r->me, &in);
    if (res.err) return http_fail(r, res.err, res.field, res.message);
    return goods_reply(r, res.id, 201);
}
ROUTE("POST", "/api/v1/points/goods", api_points_goods_create, CAP_POINTS_MANAGE, R_API, NULL,
      "上架积分超市商品（爱心捐赠注明捐赠人，或社区自筹）");

static err_code api_points_goods_update(req *r)
{
    int64_t id = req_id(r, "id");
    struct points_goods_update in;
    err_code e = bind_points_goods_update(r, &in);
    if (e) return e;
    struct svc_result res = svc_points_goods_update(r->db, r->a, r->me, id, &in);
    if (res.err) return http_fail(r, res.err, res.field, res.message);
    return goods_reply(r, id, 200);
}
ROUTE("PATCH", "/api/v1/points/goods/{id}", api_points_goods_update, CAP_POINTS_MANAGE, R_API,
      "points_goods", "修改商品兑换积分或上下架");

static err_code api_points_stock(req *r)
{
    int64_t id = req_id(r, "id");
    struct points_goods_input in;
    err_code e = bind_points_stock(r, &in);
    if (e) return e;
    struct svc_result res = svc_points_stock_in(r->db, r->a, r->me, id, &in);
    if (res.err) return http_fail(r, res.err, res.field, res.message);
    return goods_reply(r, id, 200);
}
ROUTE("POST", "/api/v1/points/goods/{id}/stock", api_points_stock, CAP_POINTS_MANAGE, R_API,
      "points_goods", "商品入库（爱心捐赠或社区自筹）");

static err_code api_points_redeem(req *r)
{
    struct points_redeem in;
    err_code e = bind_points_redeem(r, &in);
    if (e) return e;
    struct svc_result res = svc_points_redeem(r->db, r->a, r->me, &in);
    if (res.err) return http_fail(r, res.err, res.field, res.message);
    return movement_reply(r, res.id, 201, NULL);
}
ROUTE("POST", "/api/v1/points/redemptions", api_points_redeem, NULL, R_API, NULL,
      "积分兑换（居民为自己兑换；工作人员柜台代兑须居民出示兑换码或报出完整手机号）");

/* ---------------------------------------------------------------- figures */

static err_code api_points_leaders(req *r)
{
    int64_t limit, grid;
    err_code e = req_int(r, "query", "limit", 1, 500, 20, &limit);
    if (!e) e = req_int(r, "query", "grid", 1, INT64_MAX, 0, &grid);
    if (e) return e;
    int64_t from, to;
    struct svc_result p =
        svc_points_period(req_query(r, "period"), req_query(r, "date"), &from, &to);
    if (p.err) return http_fail(r, p.err, p.field, p.message);
    const char *place = req_query(r, "place");
    if (grid) {
        const char *community = store_points_grid_community(r->db, r->a, grid);
        if (!community ||
            !store_points_covers(r->db, r->me->account_id, CAP_POINTS_READ, community))
            return http_fail(r, E_NOT_FOUND, "grid", "网格不存在");
        place = NULL;
    } else {
        if (!place || !*place) place = svc_points_home(r->db, r->a, r->me);
        if (!place || !store_points_covers(r->db, r->me->account_id, CAP_POINTS_READ, place))
            return http_json(r, 200, json_page(json_array(), NULL));
    }
    struct points_leader *g;
    int n = store_points_leaders(r->db, r->a, place, grid, from, to, (int)limit, &g);
    if (n < 0) return E_INTERNAL;
    json_t *items = json_array();
    for (int i = 0; i < n; i++) {
        json_t *j = json_object();
        json_set_int(j, "rank", i + 1);
        json_set_int(j, "person_id", g[i].person_id);
        json_set_str(j, "name", g[i].name);
        json_set_int(j, "points", g[i].points);
        json_array_append_new(items, j);
    }
    json_t *page = json_page(items, NULL);
    json_set_int(page, "from", from);
    json_set_int(page, "to", to == INT64_MAX ? 0 : to);
    return http_json(r, 200, page);
}
ROUTE("GET", "/api/v1/points/leaderboard", api_points_leaders, CAP_POINTS_READ, R_API, NULL,
      "积分排行（按社区或网格、按周期，计获得积分扣除冲正）");

static err_code api_points_totals(req *r)
{
    int64_t from, to;
    struct svc_result p =
        svc_points_period(req_query(r, "period"), req_query(r, "date"), &from, &to);
    if (p.err) return http_fail(r, p.err, p.field, p.message);
    const char *place = req_query(r, "place");
    if (!place || !*place) place = svc_points_home(r->db, r->a, r->me);
    if (!place || !store_points_covers(r->db, r->me->account_id, CAP_POINTS_READ, place))
        return http_fail(r, E_NOT_FOUND, "place", "区划不存在或不在管辖范围内");
    int64_t issued, redeemed, n;
    store_points_totals(r->db, place, from, to, &issued, &redeemed, &n);
    json_t *j = json_object();
    json_set_str(j, "place_code", place);
    json_set_int(j, "from", from);
    json_set_int(j, "to", to == INT64_MAX ? 0 : to);
    json_set_int(j, "issued", issued);
    json_set_int(j, "redeemed", redeemed);
    json_set_int(j, "movements", n);
    return http_json(r, 200, j);
}
ROUTE("GET", "/api/v1/points/totals", api_points_totals, CAP_POINTS_READ, R_API, NULL,
      "社区积分发放与兑换合计（按周期）");
