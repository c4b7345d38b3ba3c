/* Micro-wishes 微心愿 over the API: the public wall of a community, the
 * volunteer sign-up, and post → review → claim → fulfil → confirm with the
 * lists, one wish, its photo and the counts. Thin: the rules are in
 * service/svc_wishes.c and svc_volunteer_signup.c. */
#include <stdlib.h>
#include <string.h>

#include "core/roles.h"
#include "core/wish_rule.h"
#include "http/bind_points.h"
#include "http/http.h"
#include "http/json_out.h"
#include "http/bind_activities.h"
#include "service/svc_volunteer_signup.h"
#include "service/svc_wishes.h"
#include "store/store_wishes.h"
#include "util/clock.h"

/* What anyone may read: no place below the community, no account, no person. */
static json_t *wall_json(const struct wish *w, const char *today)
{
    json_t *j = json_object();
    json_set_int(j, "id", w->id);
    json_set_str(j, "kind", w->kind);
    json_set_str(j, "kind_name", wish_kind_zh(w->kind));
    json_set_str(j, "title", w->title);
    json_set_str(j, "detail", w->detail);
    json_set_str(j, "wanted_by", w->wanted_by);
    json_set_bool(j, "overdue", wish_overdue(w->wanted_by, today, w->state));
    json_set_str(j, "state", w->state);
    json_set_str(j, "state_name", wish_state_zh(w->state));
    json_set_str(j, "display_name", w->display_name);
    json_set_str(j, "community_code", w->community_code);
    json_set_str(j, "community_name", w->community_name);
    json_set_time_nz(j, "created_at", w->created_at);
    return j;
}

/* What an account that may see the wish reads. */
static json_t *wish_json(req *r, const struct wish *w, const char *today)
{
    json_t *j = wall_json(w, today);
    int64_t me = r->me ? r->me->account_id : 0;
    json_set_str(j, "place_code", w->place_code);
    json_set_str(j, "place_name", w->place_name);
    json_set_bool(j, "posted_by_me", w->posted_by == me);
    json_set_bool(j, "claimed_by_me", w->claimed_by && w->claimed_by == me);
    bool staff = r->me && store_wish_covers(r->db, me, CAP_WISHES_REVIEW, w->place_code);
    if (staff && w->person_id)
        json_set_int(j, "person_id", w->person_id);
    else
        json_object_set_new(j, "person_id", json_null());
    json_set_str(j, "reject_reason", w->reject_reason);
    json_set_str(j, "fulfil_note", w->fulfil_note);
    json_set_time_nz(j, "reviewed_at", w->reviewed_at);
    json_set_time_nz(j, "claimed_at", w->claimed_at);
    json_set_time_nz(j, "fulfilled_at", w->fulfilled_at);
    json_set_time_nz(j, "achieved_at", w->achieved_at);
    json_set_time_nz(j, "updated_at", w->updated_at);
    json_set_str(j, "photo_url",
                 w->has_photo ? arena_printf(r->a, "/api/v1/wishes/%lld/photo", (long long)w->id)
                              : NULL);
    return j;
}

static err_code api_wall(req *r)
{
    const char *code = req_param(r, "code");
    const char *name = store_wish_community_name(r->db, r->a, code);
    if (!name) return http_fail(r, E_NOT_FOUND, "code", "没有这个社区的心愿墙");
    struct wish *w;
    int n = store_wish_wall_items(r->db, r->a, code, 200, &w);
    if (n < 0) return E_INTERNAL;
    const char *today = wish_today(r->a);
    json_t *items = json_array();
    for (int i = 0; i < n; i++) json_array_append_new(items, wall_json(&w[i], today));
    json_t *j = json_pack("{s:s, s:s, s:o}", "community_code", code, "community_name", name,
                          "items", items);
    return http_json(r, 200, j);
}
ROUTE("GET", "/api/v1/wall/{code}", api_wall, NULL, R_API | R_PUBLIC, NULL,
      "社区心愿墙（公开，无需登录；身份已隐去）");

static err_code api_signup(req *r)
{
    struct volunteer_signup_input in;
    err_code e = bind_volunteer_signup(r, &in);
    if (e) return e;
    struct svc_result res = svc_volunteer_signup(r->db, r->a, r->client_ip, &in);
    if (res.err) return http_fail(r, res.err, res.field, res.message);
    return http_json(r, 201,
                     json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)res.id, "username",
                               in.phone, "role", "volunteer", "place_code", in.community));
}
ROUTE("POST", "/api/v1/volunteers/signup", api_signup, NULL, R_API | R_PUBLIC | R_NO_CSRF, NULL,
      "爱心人士用手机号注册志愿者账号（公开）");

static err_code one(req *r, int status, int64_t id)
{
    struct wish w;
    if (!store_wish_get(r->db, r->a, r->me->account_id, id, &w)) return E_NOT_FOUND;
    return http_json(r, status, wish_json(r, &w, wish_today(r->a)));
}

static err_code api_wishes(req *r)
{
    int64_t limit, cursor;
    if (req_int(r, "query", "limit", 1, 500, 50, &limit)) return E_BAD_INPUT;
    if (req_int(r, "query", "cursor", 0, INT64_MAX, 0, &cursor)) return E_BAD_INPUT;
    const char *state = req_query(r, "state"), *kind = req_query(r, "kind");
    if (state && *state && !wish_state_known(state))
        return http_fail(r, E_BAD_INPUT, "state", "心愿状态无效");
    if (kind && *kind && !wish_kind_zh(kind))
        return http_fail(r, E_BAD_INPUT, "kind", "心愿类型无效");
    const char *overdue = req_query(r, "overdue"), *mine = req_query(r, "mine");
    const char *today = wish_today(r->a);
    struct wish_filter f = {.state = state,
                            .kind = kind,
                            .place = req_query(r, "place"),
                            .overdue_before = overdue && !strcmp(overdue, "1") ? today : NULL,
                            .mine = mine && !strcmp(mine, "1"),
                            .after_id = cursor,
                            .limit = (int)limit + 1};
    struct wish *w;
    int got = store_wishes_list(r->db, r->a, r->me->account_id, &f, &w);
    if (got < 0) return E_INTERNAL;
    int n = got > limit ? (int)limit : got;
    json_t *items = json_array();
    for (int i = 0; i < n; i++) json_array_append_new(items, wish_json(r, &w[i], today));
    return http_json(
        r, 200,
        json_page(items, got > limit ? arena_printf(r->a, "%lld", (long long)w[n - 1].id) : NULL));
}
ROUTE("GET", "/api/v1/wishes", api_wishes, NULL, R_API, NULL,
      "心愿列表（state kind place overdue=1 mine=1 筛选）");

static err_code api_wish_post(req *r)
{
    struct wish_input in;
    err_code e = bind_wish_post(r, &in);
    if (e) return e;
    struct svc_result res = svc_wish_post(r->db, r->a, r->me, &in);
    if (res.err) return http_fail(r, res.err, res.field, res.message);
    return one(r, 201, res.id);
}
ROUTE("POST", "/api/v1/wishes", api_wish_post, NULL, R_API, NULL,
      "发布心愿（居民为自己；工作人员代困境儿童、老人发布）");

static err_code api_wish(req *r)
{
    int64_t id = req_id(r, "id");
    return one(r, 200, id);
}
ROUTE("GET", "/api/v1/wishes/{id}", api_wish, NULL, R_API, "wish", "一个心愿");

static err_code after(req *r, struct svc_result res)
{
    if (res.err) return http_fail(r, res.err, res.field, res.message);
    return one(r, 200, res.id);
}

static err_code api_wish_review(req *r)
{
    struct wish_review_input in;
    err_code e = bind_wish_review(r, &in);
    if (e) return e;
    return after(r, svc_wish_review(r->db, r->a, r->me, req_id(r, "id"), &in));
}
ROUTE("POST", "/api/v1/wishes/{id}/review", api_wish_review, NULL, R_API, "wish",
      "审核心愿（approve 发布到心愿墙并推送；reject 需说明原因）");

static err_code api_wish_claim(req *r)
{
    int64_t id = req_id(r, "id");
    return after(r, svc_wish_claim(r->db, r->a, r->me, id));
}
ROUTE("POST", "/api/v1/wishes/{id}/claim", api_wish_claim, NULL, R_API, "wish",
      "认领心愿（志愿者；每个心愿只有一人认领）");

static err_code api_wish_fulfil(req *r)
{
    int64_t id = req_id(r, "id");
    const struct form_field *f = req_file(r, "photo");
    return after(r,
                 svc_wish_fulfil(r->db, r->a, r->me, id, req_form(r, "note"),
                                 f ? f->content_type : NULL, f ? f->value : NULL, f ? f->len : 0));
}
ROUTE("POST", "/api/v1/wishes/{id}/fulfil", api_wish_fulfil, NULL, R_API, "wish",
      "上传实现照片和说明（认领人；multipart：photo、note）");

static err_code api_wish_confirm(req *r)
{
    int64_t id = req_id(r, "id");
    return after(r, svc_wish_confirm(r->db, r->a, r->me, id));
}
ROUTE("POST", "/api/v1/wishes/{id}/confirm", api_wish_confirm, NULL, R_API, "wish",
      "确认心愿达成（发布人）");

static err_code api_wish_photo(req *r)
{
    int64_t id = req_id(r, "id");
    const char *mime, *data;
    size_t len;
    err_code e = svc_wish_photo(r->db, r->a, r->me, id, &mime, &data, &len);
    if (e) return e;
    http_bytes(r, 200, mime, data, len);
    http_header(r, "Cache-Control", "private, max-age=86400");
    return E_OK;
}
ROUTE("GET", "/api/v1/wishes/{id}/photo", api_wish_photo, NULL, R_API, "wish",
      "心愿实现照片（与心愿同样的可见范围）");

static json_t *pairs(const struct wish_count *c, int n, const char *(*zh)(const char *))
{
    json_t *a = json_array();
    for (int i = 0; i < n; i++) {
        json_t *o = json_object();
        json_set_str(o, "id", c[i].key);
        json_set_str(o, "name", zh(c[i].key));
        json_set_int(o, "count", c[i].count);
        json_array_append_new(a, o);
    }
    return a;
}

static err_code api_wish_stats(req *r)
{
    struct wish_stats st;
    struct svc_result res = svc_wish_stats(r->db, r->a, r->me, req_query(r, "place"),
                                           req_query(r, "from"), req_query(r, "to"), &st);
    if (res.err) return http_fail(r, res.err, res.field, res.message);
    json_t *places = json_array(), *total = NULL;
    for (int i = 0; i < st.nplaces; i++) {
        const struct wish_place_counts *c = &st.places[i];
        json_t *p =
            json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:I}", "place_code", c->code, "place_name",
                      c->name, "total", (json_int_t)c->total, "published", (json_int_t)c->published,
                      "claimed", (json_int_t)c->claimed, "achieved", (json_int_t)c->achieved,
                      "overdue", (json_int_t)c->overdue);
        if (strcmp(c->code, st.place) == 0)
            total = p;
        else
            json_array_append_new(places, p);
    }
    json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o}", "place_code", st.place,
                          "place_name", st.place_name, "from", st.from, "to", st.to, "total",
                          total ? total : json_object(), "by_place", places, "by_kind",
                          pairs(st.kinds, st.nkinds, wish_kind_zh), "by_state",
                          pairs(st.states, st.nstates, wish_state_zh));
    return http_json(r, 200, j);
}
ROUTE("GET", "/api/v1/stats/wishes", api_wish_stats, CAP_WISHES_REVIEW, R_API, NULL,
      "心愿统计：按下级区划（汇总）、类型、状态，可限定日期 from..to");
