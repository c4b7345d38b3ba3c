/* Selections 评选 over the API: list and create, one selection with its
 * nominations (all for the community's staff, one's own for a resident),
 * nominate, review, publish, and the public 公示 of the winners (name and
 * compound only). Thin: the rules are in service/svc_selections.c, the bodies
 * are read by http/bind_evaluation.c. */
#include <stdlib.h>
#include <string.h>

#include "http/bind_evaluation.h"
#include "http/http.h"
#include "http/json_out.h"
#include "service/svc_selections.h"
#include "store/store_selections.h"
#include "util/clock.h"

static json_t *selection_json(const struct selection_row *s)
{
    json_t *j = json_object();
    json_set_int(j, "id", s->id);
    json_set_str(j, "name", s->name);
    json_set_int(j, "year", s->year);
    json_set_str(j, "candidate_kind", s->kind);
    json_set_str(j, "candidate_kind_name", selection_kind_zh(s->kind));
    json_set_str(j, "place_code", s->place_code);
    json_set_str(j, "place_name", s->place_name);
    json_set_time_at(j, "opens_at", s->opens_at);
    json_set_time_at(j, "closes_at", s->closes_at);
    json_set_str(j, "honour", s->honour);
    json_set_int(j, "points", s->points);
    json_set_str(j, "state", s->state);
    json_set_time_nz(j, "published_at", s->published_at);
    json_set_bool(j, "can_manage", s->can_manage);
    return j;
}

static json_t *nomination_json(const struct nomination_row *n)
{
    json_t *j = json_object();
    json_set_int(j, "id", n->id);
    json_set_int(j, "selection_id", n->selection_id);
    json_set_int(j, "person_id", n->person_id);
    json_set_str(j, "name", n->name);
    json_set_str(j, "household_code", n->household);
    json_set_str(j, "compound", n->compound);
    json_set_str(j, "reason", n->reason);
    json_set_bool(j, "self", n->self);
    json_set_str(j, "state", n->state);
    json_set_str(j, "state_name", nomination_state_zh(n->state));
    json_set_str(j, "review_reason", n->review_reason);
    json_set_bool(j, "honoured", n->honoured_at != 0);
    json_set_time_at(j, "created_at", n->created_at);
    return j;
}

static err_code api_selections(req *r)
{
    int64_t limit, cursor;
    if (req_int(r, "query", "limit", 1, 500, 50, &limit)) return E_BAD_INPUT;
    if (req_int(r, "query", "cursor", 0, INT64_MAX, 0, &cursor)) return E_BAD_INPUT;
    struct selection_row *s;
    int n = store_selections_find(r->db, r->a, r->me->account_id, cursor, (int)limit + 1, &s);
    if (n < 0) return E_INTERNAL;
    bool more = n > limit;
    if (more) n = (int)limit;
    json_t *items = json_array();
    for (int i = 0; i < n; i++) json_array_append_new(items, selection_json(&s[i]));
    return http_json(r, 200, json_page_id(items, more ? s[n - 1].id : 0));
}
ROUTE("GET", "/api/v1/selections", api_selections, NULL, R_API, NULL,
      "评选列表（本社区的评选；工作人员为其管理范围）");

static err_code one(req *r, int status, int64_t id)
{
    struct selection_row s;
    if (!store_selection_read(r->db, r->a, r->me->account_id, id, &s))
        return http_fail(r, E_NOT_FOUND, NULL, "评选不存在或不在您的范围内");
    struct nomination_row *n;
    int k = store_nominations_find(r->db, r->a, id, s.can_manage ? 0 : r->me->account_id, NULL, &n);
    if (k < 0) return E_INTERNAL;
    json_t *j = selection_json(&s);
    json_t *items = json_array();
    for (int i = 0; i < k; i++) json_array_append_new(items, nomination_json(&n[i]));
    json_object_set_new(j, "nominations", items);
    return http_json(r, status, j);
}

static err_code api_selection_create(req *r)
{
    struct selection_input in = {0};
    err_code e = bind_input(r, &selection_create_bind, &in);
    if (e) return e;
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

/* The nomination as it is now. */
static err_code answer_nomination(req *r, int status, int64_t id)
{
    struct nomination_row n;
    if (!store_nomination_read(r->db, r->a, id, &n)) return E_INTERNAL;
    return http_json(r, status, nomination_json(&n));
}

static err_code api_nominate(req *r)
{
    struct nomination_input in = {0};
    err_code e = bind_input(r, &nominate_bind, &in);
    if (e) return e;
    struct svc_result res = svc_selection_nominate(r->db, r->a, r->me, req_id(r, "id"), in.self,
                                                   in.nominee_name, in.person_id, in.reason);
    if (res.err) return http_fail(r, res.err, res.field, res.message);
    return answer_nomination(r, 201, res.id);
}
ROUTE("POST", "/api/v1/selections/{id}/nominations", api_nominate, NULL, R_API, "selection",
      "提名（自荐 self=1，或推荐本社区邻居 nominee_name）");

static err_code api_nomination_review(req *r)
{
    int64_t id = req_id(r, "id");
    struct nomination_review_input in = {0};
    err_code e = bind_input(r, &nomination_review_bind, &in);
    if (e) return e;
    struct svc_result res = svc_nomination_review(r->db, r->a, r->me, id, in.decision, in.reason);
    if (res.err) return http_fail(r, res.err, res.field, res.message);
    return answer_nomination(r, 200, id);
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
    struct selection_row s;
    if (!store_selection_read(r->db, r->a, 0, id, &s) || strcmp(s.state, "published") != 0)
        return http_fail(r, E_NOT_FOUND, NULL, "没有这项评选的公示");
    struct nomination_row *n;
    int k = store_nominations_find(r->db, r->a, id, 0, "approved", &n);
    if (k < 0) return E_INTERNAL;
    json_t *items = json_array();
    for (int i = 0; i < k; i++) {
        json_t *w = json_object();
        json_set_str(w, "name", n[i].name);
        json_set_str(w, "compound", n[i].compound);
        json_array_append_new(items, w);
    }
    json_t *j = json_object();
    json_set_int(j, "id", s.id);
    json_set_str(j, "name", s.name);
    json_set_int(j, "year", s.year);
    json_set_str(j, "honour", s.honour);
    json_set_str(j, "community_name", s.place_name);
    json_set_time_nz(j, "published_at", s.published_at);
    json_object_set_new(j, "winners", items);
    return http_json(r, 200, j);
}
ROUTE("GET", "/api/v1/selections/{id}/winners", api_winners, NULL, R_API | R_PUBLIC, NULL,
      "评选结果公示（公开，无需登录；只有姓名和小区）");
