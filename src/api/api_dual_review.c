/* 双评价 over the API: the members an account sees (as their community or as
 * their work unit), one member's record with both evaluations, giving an
 * evaluation, and the CSV export for the work units. Thin: the rules are in
 * service/svc_dual_review.c. */
#include <stdlib.h>

#include "core/dual_review_rule.h"
#include "http/bind_evaluation.h"
#include "http/http.h"
#include "http/json_out.h"
#include "service/svc_dual_review.h"
#include "store/store_dual_review.h"
#include "util/clock.h"

static json_t *evaluation(const struct dual_evaluation_row *e)
{
    if (!e->grade) return json_null();
    json_t *j = json_object();
    json_set_str(j, "grade", e->grade);
    json_set_str(j, "grade_name", dual_grade_zh(e->grade));
    json_set_str(j, "comment", e->comment);
    json_set_str(j, "by", e->by);
    json_set_time_at(j, "at", e->at);
    return j;
}

static json_t *figures_json(const struct dual_member_row *m)
{
    json_t *f = json_object();
    json_set_int(f, "orders_handled", m->orders);
    json_set_int(f, "rated_satisfied", m->rated_satisfied);
    json_set_int(f, "rated_basic", m->rated_basic);
    json_set_int(f, "rated_unsatisfied", m->rated_unsatisfied);
    json_set_int(f, "wishes_fulfilled", m->wishes);
    json_set_int(f, "activities_signed", m->activities);
    json_set_int(f, "activities_served", m->served);
    json_set_int(f, "service_minutes", m->service_minutes);
    json_set_int(f, "points_earned", m->points);
    return f;
}

static json_t *member_json(const struct dual_member_row *m, int year)
{
    json_t *j = json_object();
    json_set_int(j, "id", m->id);
    json_set_str(j, "name", m->name);
    json_set_str(j, "place_code", m->place_code);
    json_set_str(j, "place_name", m->place_name);
    json_set_str(j, "work_unit", m->work_unit);
    json_set_id_nz(j, "work_org_id", m->work_org_id);
    json_set_str(j, "work_org_name", m->work_org_name);
    json_set_str(j, "reported_at", m->reported_at);
    json_set_str(j, "reported_community", m->reported_community);
    json_set_str(j, "reported_community_name", m->reported_community_name);
    json_set_int(j, "year", year);
    json_t *sides = json_array();
    if (m->community_side) json_array_append_new(sides, json_string("community"));
    if (m->unit_side) json_array_append_new(sides, json_string("unit"));
    json_object_set_new(j, "my_sides", sides);
    json_object_set_new(j, "figures", figures_json(m));
    json_object_set_new(j, "community_evaluation", evaluation(&m->community));
    json_object_set_new(j, "unit_evaluation", evaluation(&m->unit));
    return j;
}

static err_code api_dual_list(req *r)
{
    int64_t limit, cursor;
    if (req_int(r, "query", "limit", 1, 500, 50, &limit)) return E_BAD_INPUT;
    if (req_int(r, "query", "cursor", 0, INT64_MAX, 0, &cursor)) return E_BAD_INPUT;
    struct dual_member_row *m;
    int year, n;
    struct svc_result res =
        svc_dual_list(r->db, r->a, r->me, req_query(r, "place"), req_query(r, "org"),
                      req_query(r, "year"), cursor, (int)limit + 1, &m, &n, &year);
    if (res.err) return http_fail(r, res.err, res.field, res.message);
    bool more = n > limit;
    if (more) n = (int)limit;
    json_t *items = json_array();
    for (int i = 0; i < n; i++) json_array_append_new(items, member_json(&m[i], year));
    return http_json(r, 200, json_page_id(items, more ? m[n - 1].id : 0));
}
ROUTE("GET", "/api/v1/dual-reviews", api_dual_list, NULL, R_API, NULL,
      "双评价：在职党员在居住地社区的表现与两方评价（year place org 筛选）");

static err_code one(req *r, int status, int64_t id, const char *year)
{
    struct dual_member_row m;
    int y;
    struct svc_result res = svc_dual_record(r->db, r->a, r->me, id, year, &m, &y);
    if (res.err) return http_fail(r, res.err, res.field, res.message);
    return http_json(r, status, member_json(&m, y));
}

static err_code api_dual_one(req *r)
{
    int64_t id = req_id(r, "id");
    return one(r, 200, id, req_query(r, "year"));
}
ROUTE("GET", "/api/v1/dual-reviews/{id}", api_dual_one, NULL, R_API, "dual_review_member",
      "一名在职党员的双评价：年度表现与社区、单位两方评价（社区一方、单位一方可看；党员本人可看"
      "自己的，只读，my_sides 为空）");

static err_code api_dual_evaluate(req *r)
{
    int64_t id = req_id(r, "id");
    struct dual_evaluation_input in = {0};
    err_code e = bind_input(r, &dual_evaluate_bind, &in);
    if (e) return e;
    struct svc_result res =
        svc_dual_evaluate(r->db, r->a, r->me, id, in.year, in.side, in.grade, in.comment);
    if (res.err) return http_fail(r, res.err, res.field, res.message);
    return one(r, 200, id, in.year);
}
ROUTE("POST", "/api/v1/dual-reviews/{id}/evaluations", api_dual_evaluate, NULL, R_API,
      "dual_review_member", "作出（或修改）社区评价或单位评价");

static err_code api_dual_export(req *r)
{
    buf_reset(&r->out);
    int rows = 0;
    struct svc_result res =
        svc_dual_export(r->db, r->a, r->me, req_query(r, "place"), req_query(r, "org"),
                        req_query(r, "year"), &r->out, &rows);
    if (res.err) {
        buf_reset(&r->out);
        return http_fail(r, res.err, res.field, res.message);
    }
    http_header(r, "Content-Disposition", "attachment; filename=\"dual-review.csv\"");
    http_header(r, "Cache-Control", "no-store");
    http_header(r, "X-Export-Rows", arena_printf(r->a, "%d", rows));
    r->status = 200;
    r->content_type_out = "text/csv; charset=utf-8";
    return E_OK;
}
ROUTE("GET", "/api/v1/dual-reviews/export", api_dual_export, NULL, R_API, NULL,
      "导出在职党员双评价表（CSV，供单位党组织）");
