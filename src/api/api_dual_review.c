/* 双评价 over the API: the members an account sees (as their community or as
 * their work unit), one member's record with both evaluations, giving an
 * evaluation, and the CSV export for the work units. Thin: the rules are in
 * service/svc_dual_review.c. */
#include <stdlib.h>

#include "core/dual_review_rule.h"
#include "http/http.h"
#include "http/json_out.h"
#include "service/svc_dual_review.h"
#include "store/store_dual_review.h"
#include "util/clock.h"

#define G(c) db_get(m, i, (c))

static json_t *evaluation(const db_rows *m, int i, int grade, int comment, int by, int at)
{
    if (!G(grade)) return json_null();
    json_t *j = json_object();
    json_set_str(j, "grade", G(grade));
    json_set_str(j, "grade_name", dual_grade_zh(G(grade)));
    json_set_str(j, "comment", G(comment));
    json_set_str(j, "by", G(by));
    char ts[32];
    clock_format_rfc3339((time_t)db_get_int(m, i, at), ts);
    json_set_str(j, "at", ts);
    return j;
}

static json_t *member_json(const db_rows *m, int i, int year)
{
    json_t *j = json_object();
    json_set_id(j, "id", G(DM_ID));
    json_set_str(j, "name", G(DM_NAME));
    json_set_str(j, "place_code", G(DM_PLACE));
    json_set_str(j, "place_name", G(DM_PLACE_NAME));
    json_set_str(j, "work_unit", G(DM_WORK_UNIT));
    json_set_id(j, "work_org_id", G(DM_WORK_ORG_ID));
    json_set_str(j, "work_org_name", G(DM_WORK_ORG_NAME));
    json_set_str(j, "reported_at", G(DM_REPORTED_AT));
    json_set_str(j, "reported_community", G(DM_REPORTED_COMMUNITY));
    json_set_str(j, "reported_community_name", G(DM_REPORTED_COMMUNITY_NAME));
    json_set_int(j, "year", year);
    json_t *sides = json_array();
    if (db_get_int(m, i, DM_COMMUNITY_SIDE)) json_array_append_new(sides, json_string("community"));
    if (db_get_int(m, i, DM_UNIT_SIDE)) json_array_append_new(sides, json_string("unit"));
    json_object_set_new(j, "my_sides", sides);
    json_t *f = json_object();
    json_set_int(f, "orders_handled", db_get_int(m, i, DM_ORDERS));
    json_set_int(f, "rated_satisfied", db_get_int(m, i, DM_RATED_SATISFIED));
    json_set_int(f, "rated_basic", db_get_int(m, i, DM_RATED_BASIC));
    json_set_int(f, "rated_unsatisfied", db_get_int(m, i, DM_RATED_UNSATISFIED));
    json_set_int(f, "wishes_fulfilled", db_get_int(m, i, DM_WISHES));
    json_set_int(f, "activities_signed", db_get_int(m, i, DM_ACTIVITIES));
    json_set_int(f, "activities_served", db_get_int(m, i, DM_SERVED));
    json_set_int(f, "service_minutes", db_get_int(m, i, DM_SERVICE_MINUTES));
    json_set_int(f, "points_earned", db_get_int(m, i, DM_POINTS));
    json_object_set_new(j, "figures", f);
    json_object_set_new(j, "community_evaluation",
                        evaluation(m, i, DM_C_GRADE, DM_C_COMMENT, DM_C_BY, DM_C_AT));
    json_object_set_new(j, "unit_evaluation",
                        evaluation(m, i, DM_U_GRADE, DM_U_COMMENT, DM_U_BY, DM_U_AT));
    return j;
}
#undef G

static err_code api_dual_list(req *r)
{
    int64_t limit, cursor;
    if (req_int(r, "query", "limit", 1, 500, 50, &limit)) return E_BAD_INPUT;
    if (req_int(r, "query", "cursor", 0, INT64_MAX, 0, &cursor)) return E_BAD_INPUT;
    db_rows *m;
    int year;
    struct svc_result res =
        svc_dual_list(r->db, r->a, r->me, req_query(r, "place"), req_query(r, "org"),
                      req_query(r, "year"), cursor, (int)limit + 1, &m, &year);
    if (res.err) return http_fail(r, res.err, res.field, res.message);
    int n = m->nrows > limit ? (int)limit : m->nrows;
    json_t *items = json_array();
    for (int i = 0; i < n; i++) json_array_append_new(items, member_json(m, i, year));
    return http_json(r, 200, json_page(items, m->nrows > limit ? db_get(m, n - 1, DM_ID) : NULL));
}
ROUTE("GET", "/api/v1/dual-reviews", api_dual_list, NULL, R_API, NULL,
      "双评价：在职党员在居住地社区的表现与两方评价（year place org 筛选）");

static err_code one(req *r, int status, int64_t id, const char *year)
{
    db_rows *m;
    int y;
    struct svc_result res = svc_dual_record(r->db, r->a, r->me, id, year, &m, &y);
    if (res.err) return http_fail(r, res.err, res.field, res.message);
    return http_json(r, status, member_json(m, 0, y));
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
    const char *year = req_input(r, "year");
    struct svc_result res = svc_dual_evaluate(r->db, r->a, r->me, id, year, req_input(r, "side"),
                                              req_input(r, "grade"), req_input(r, "comment"));
    if (res.err) return http_fail(r, res.err, res.field, res.message);
    return one(r, 200, id, year);
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
