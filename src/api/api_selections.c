/* Selections 评选 over the API: list and create, one selection with its
 * nominations (all for the community's staff, one's own for a resident),
 * nominate, review, publish, and the public 公示 of the winners (name and
 * compound only). Thin: the rules are in service/svc_selections.c. */
#include <stdlib.h>
#include <string.h>

#include "http/http.h"
#include "http/json_out.h"
#include "service/svc_selections.h"
#include "store/store_selections.h"
#include "util/clock.h"

static json_t *selection_json(const db_rows *s, int i)
{
    json_t *j = json_object();
    json_set_id(j, "id", db_get(s, i, SC_ID));
    json_set_str(j, "name", db_get(s, i, SC_NAME));
    json_set_int(j, "year", db_get_int(s, i, SC_YEAR));
    json_set_str(j, "candidate_kind", db_get(s, i, SC_KIND));
    json_set_str(j, "candidate_kind_name", selection_kind_zh(db_get(s, i, SC_KIND)));
    json_set_str(j, "place_code", db_get(s, i, SC_PLACE));
    json_set_str(j, "place_name", db_get(s, i, SC_PLACE_NAME));
    json_set_time(j, "opens_at", db_get(s, i, SC_OPENS));
    json_set_time(j, "closes_at", db_get(s, i, SC_CLOSES));
    json_set_str(j, "honour", db_get(s, i, SC_HONOUR));
    json_set_int(j, "points", db_get_int(s, i, SC_POINTS));
    json_set_str(j, "state", db_get(s, i, SC_STATE));
    json_set_time(j, "published_at", db_get(s, i, SC_PUBLISHED_AT));
    json_set_bool(j, "can_manage", (int)db_get_int(s, i, SC_CAN_MANAGE));
    return j;
}

static json_t *nomination_json(const db_rows *n, int i)
{
    json_t *j = json_object();
    json_set_id(j, "id", db_get(n, i, NC_ID));
    json_set_id(j, "selection_id", db_get(n, i, NC_SELECTION));
    json_set_id(j, "person_id", db_get(n, i, NC_PERSON));
    json_set_str(j, "name", db_get(n, i, NC_NAME));
    json_set_str(j, "household_code", db_get(n, i, NC_HOUSEHOLD));
    json_set_str(j, "compound", db_get(n, i, NC_COMPOUND));
    json_set_str(j, "reason", db_get(n, i, NC_REASON));
    json_set_bool(j, "self", (int)db_get_int(n, i, NC_SELF));
    json_set_str(j, "state", db_get(n, i, NC_STATE));
    json_set_str(j, "state_name", nomination_state_zh(db_get(n, i, NC_STATE)));
    json_set_str(j, "review_reason", db_get(n, i, NC_REVIEW_REASON));
    json_set_bool(j, "honoured", db_get(n, i, NC_HONOURED_AT) != NULL);
    json_set_time(j, "created_at", db_get(n, i, NC_CREATED_AT));
    return j;
}

static err_code api_selections(req *r)
{
    int64_t limit, cursor;
    if (req_int(r, "query", "limit", 1, 500, 50, &limit)) return E_BAD_INPUT;
    if (req_int(r, "query", "cursor", 0, INT64_MAX, 0, &cursor)) return E_BAD_INPUT;
    db_rows *s = store_selections_list(r->db, r->a, r->me->account_id, cursor, (int)limit + 1);
    if (!s) return E_INTERNAL;
    int n = s->nrows > limit ? (int)limit : s->nrows;
    json_t *items = json_array();
    for (int i = 0; i < n; i++) json_array_append_new(items, selection_json(s, i));
    return http_json(r, 200, json_page(items, s->nrows > limit ? db_get(s, n - 1, SC_ID) : NULL));
}
ROUTE("GET", "/api/v1/selections", api_selections, NULL, R_API, NULL,
      "评选列表（本社区的评选；工作人员为其管理范围）");

static err_code one(req *r, int status, int64_t id)
{
    db_rows *s = store_selection_get(r->db, r->a, r->me->account_id, id);
    if (!s) return http_fail(r, E_NOT_FOUND, NULL, "评选不存在或不在您的范围内");
    json_t *j = selection_json(s, 0);
    bool staff = db_get_int(s, 0, SC_CAN_MANAGE);
    db_rows *n = store_nominations(r->db, r->a, id, staff ? 0 : r->me->account_id, NULL);
    if (!n) {
        json_decref(j);
        return E_INTERNAL;
    }
    json_t *items = json_array();
    for (int i = 0; i < n->nrows; i++) json_array_append_new(items, nomination_json(n, i));
    json_object_set_new(j, "nominations", items);
    return http_json(r, status, j);
}

static err_code api_selection_create(req *r)
{
    struct selection_input in = {req_input(r, "name"),           req_input(r, "year"),
                                 req_input(r, "candidate_kind"), req_input(r, "place_code"),
                                 req_input(r, "opens_on"),       req_input(r, "closes_on"),
                                 req_input(r, "honour"),         req_input(r, "points")};
    struct svc_result res = svc_selection_create(r->db, r->a, r->me, &in);
    if (res.err) return http_fail(r, res.err, res.field, res.message);
    return one(r, 201, res.id);
}
ROUTE("POST", "/api/v1/selections", api_selection_create, NULL, R_API, NULL,
      "创建评选（名称、年度、候选类型、社区、提名时间、荣誉与积分）");

static err_code api_selection(req *r)
{
    int64_t id = req_id(r, "id");
    return one(r, 200, id);
}
ROUTE("GET", "/api/v1/selections/{id}", api_selection, NULL, R_API, "selection",
      "一项评选与提名（工作人员看全部，居民看自己的提名）");

static err_code api_nominate(req *r)
{
    int64_t id, person;
    id = req_id(r, "id");
    if (req_int(r, "body", "person_id", 1, INT64_MAX, 0, &person)) return E_BAD_INPUT;
    const char *self = req_input(r, "self");
    struct svc_result res = svc_selection_nominate(
        r->db, r->a, r->me, id, self && (!strcmp(self, "1") || !strcmp(self, "true")),
        req_input(r, "nominee_name"), person, req_input(r, "reason"));
    if (res.err) return http_fail(r, res.err, res.field, res.message);
    db_rows *n = store_nomination_get(r->db, r->a, res.id);
    if (!n) return E_INTERNAL;
    return http_json(r, 201, nomination_json(n, 0));
}
ROUTE("POST", "/api/v1/selections/{id}/nominations", api_nominate, NULL, R_API, "selection",
      "提名（自荐 self=1，或推荐本社区邻居 nominee_name）");

static err_code api_nomination_review(req *r)
{
    int64_t id = req_id(r, "id");
    struct svc_result res = svc_nomination_review(r->db, r->a, r->me, id, req_input(r, "decision"),
                                                  req_input(r, "reason"));
    if (res.err) return http_fail(r, res.err, res.field, res.message);
    db_rows *n = store_nomination_get(r->db, r->a, id);
    if (!n) return E_INTERNAL;
    return http_json(r, 200, nomination_json(n, 0));
}
ROUTE("POST", "/api/v1/selection-nominations/{id}/review", api_nomination_review, NULL, R_API,
      "selection_nomination", "社区审核提名（approve 通过；reject 需说明原因）");

static err_code api_publish(req *r)
{
    int64_t id = req_id(r, "id");
    struct svc_result res = svc_selection_publish(r->db, r->a, r->me, id);
    if (res.err) return http_fail(r, res.err, res.field, res.message);
    return one(r, 200, id);
}
ROUTE("POST", "/api/v1/selections/{id}/publish", api_publish, NULL, R_API, "selection",
      "公示评选结果（记录荣誉，发放积分，只发一次）");

static err_code api_winners(req *r)
{
    int64_t id = req_id(r, "id");
    db_rows *s = store_selection_get(r->db, r->a, 0, id);
    if (!s || strcmp(db_get(s, 0, SC_STATE), "published") != 0)
        return http_fail(r, E_NOT_FOUND, NULL, "没有这项评选的公示");
    db_rows *n = store_nominations(r->db, r->a, id, 0, "approved");
    if (!n) return E_INTERNAL;
    json_t *items = json_array();
    for (int i = 0; i < n->nrows; i++) {
        json_t *w = json_object();
        json_set_str(w, "name", db_get(n, i, NC_NAME));
        json_set_str(w, "compound", db_get(n, i, NC_COMPOUND));
        json_array_append_new(items, w);
    }
    json_t *j = json_object();
    json_set_id(j, "id", db_get(s, 0, SC_ID));
    json_set_str(j, "name", db_get(s, 0, SC_NAME));
    json_set_int(j, "year", db_get_int(s, 0, SC_YEAR));
    json_set_str(j, "honour", db_get(s, 0, SC_HONOUR));
    json_set_str(j, "community_name", db_get(s, 0, SC_PLACE_NAME));
    json_set_time(j, "published_at", db_get(s, 0, SC_PUBLISHED_AT));
    json_object_set_new(j, "winners", items);
    return http_json(r, 200, j);
}
ROUTE("GET", "/api/v1/selections/{id}/winners", api_winners, NULL, R_API | R_PUBLIC, NULL,
      "评选结果公示（公开，无需登录；只有姓名和小区）");
