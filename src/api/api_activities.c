/* Activities 活动 over the API: /api/v1/activities…, /api/v1/activity-series…
 * and /api/v1/stats/activities. Reads are scoped in the store (near the
 * caller, or managed by them); writes go through service/svc_activities.c,
 * their input read by the binders the pages share (http/bind_activities.c). */
#include <stdlib.h>
#include <string.h>

#include "core/activity_kind.h"
#include "core/roles.h"
#include "http/bind_activities.h"
#include "http/http.h"
#include "http/json_out.h"
#include "service/svc_activities.h"
#include "service/svc_activity_views.h"
#include "store/store_activities.h"
#include "store/store_places.h"
#include "util/clock.h"

/* checked_in_at, served and hours of a participation. */
static void participation_json(json_t *j, const struct signup_row *su)
{
    if (su->checked_in)
        json_set_time_at(j, "checked_in_at", su->checked_in_at);
    else
        json_object_set_new(j, "checked_in_at", json_null());
    json_set_bool(j, "served", su->served);
    json_object_set_new(j, "hours", json_real((double)su->service_minutes / 60.0));
}

/* The caller's own participation, or null. */
static json_t *my_json(req *r, int64_t id)
{
    struct signup_row su;
    if (!store_signup_of(r->db, r->a, id, r->me->account_id, &su)) return json_null();
    json_t *j = json_object();
    json_object_set_new(j, "signup_id", json_integer(su.id));
    json_set_str(j, "status", su.status);
    json_set_int(j, "position",
                 strcmp(su.status, "waiting") ? 0 : store_signup_position(r->db, id, su.seq));
    participation_json(j, &su);
    return j;
}

/* What an activity and a series both say: what it is, where, who, how many. */
static void what_where_json(json_t *j, const struct activity_row *s, const char *place_name)
{
    json_set_str(j, "kind", s->kind);
    json_set_str(j, "kind_name", activity_kind_zh(s->kind));
    json_set_str(j, "title", s->title);
    json_set_str(j, "description", s->description);
    json_set_str(j, "place_code", s->place_code);
    json_set_str(j, "place_name", place_name);
    json_set_id_nz(j, "station_id", s->station_id);
    json_set_id_nz(j, "org_id", s->org_id);
    json_set_id_nz(j, "organiser_id", s->organiser_id);
    json_set_int(j, "capacity", s->capacity);
}

static json_t *activity_json(req *r, const struct activity_view *v)
{
    json_t *j = json_object();
    json_object_set_new(j, "id", json_integer(v->id));
    json_set_id_nz(j, "series_id", v->series_id);
    json_set_bool(j, "detached", v->detached);
    struct activity_row row = activity_row_of(v);
    what_where_json(j, &row, v->place_name);
    json_set_str(j, "station_name", v->station_name);
    json_set_str(j, "org_name", v->org_name);
    json_set_str(j, "organiser_name", v->organiser_name);
    json_set_time_at(j, "starts_at", v->starts_at);
    json_set_time_at(j, "ends_at", v->ends_at);
    json_set_str(j, "status", v->status);
    json_set_int(j, "signed_up", v->n_signed);
    json_set_int(j, "waiting", v->n_waiting);
    json_set_int(j, "checked_in", v->n_checked);
    json_set_bool(j, "can_manage", store_activity_manageable(r->db, r->me->account_id, v->id));
    json_object_set_new(j, "me", my_json(r, v->id));
    return j;
}

static json_t *activities_json(req *r, const struct activity_view *v, int n)
{
    json_t *items = json_array();
    for (int i = 0; i < n; i++) json_array_append_new(items, activity_json(r, &v[i]));
    return items;
}

/* The filter of GET /api/v1/activities from its query, or a refusal. */
static err_code list_filter(req *r, struct activity_filter *f)
{
    const char *from = req_query(r, "from"), *to = req_query(r, "to"), *mine = req_query(r, "mine");
    const char *series = req_query(r, "series"), *all = req_query(r, "include_cancelled");
    f->place = req_query(r, "place");
    f->kind = req_query(r, "kind");
    if (f->kind && *f->kind && !(f->kind = activity_kind_parse(f->kind)))
        return http_fail(r, E_BAD_INPUT, "kind", "活动类型无效");
    if (from && *from && !activity_day_start(from, 0, &f->from))
        return http_fail(r, E_BAD_INPUT, "from", "from 应为 YYYY-MM-DD");
    if (to && *to && !activity_day_start(to, 1, &f->to))
        return http_fail(r, E_BAD_INPUT, "to", "to 应为 YYYY-MM-DD");
    if (f->place && *f->place && !store_place_level(r->db, r->a, f->place))
        return http_fail(r, E_NOT_FOUND, "place", "区划不存在或不在您的管辖范围内");
    if (series && *series) {
        err_code e = req_int(r, "query", "series", 1, INT64_MAX, 0, &f->series);
        if (e) return e;
    }
    if (mine && !strcmp(mine, "1")) f->mine = r->me->account_id;
    f->include_cancelled = all && !strcmp(all, "1");
    return E_OK;
}

static err_code api_activities_list(req *r)
{
    int64_t limit = 0, cursor = 0;
    err_code e = req_page(r, &limit, &cursor);
    struct activity_filter f = {.after_id = cursor, .limit = (int)limit + 1};
    if (!e) e = list_filter(r, &f);
    if (e) return e;
    int n = 0;
    struct activity_view *v = store_activities_list(r->db, r->a, r->me->account_id, &f, &n);
    if (!v) return E_INTERNAL;
    bool more = n > limit;
    if (more) n = (int)limit;
    const char *next = more ? arena_printf(r->a, "%lld", (long long)v[n - 1].id) : NULL;
    return http_json(r, 200, json_page(activities_json(r, v, n), next));
}
ROUTE("GET", "/api/v1/activities", api_activities_list, CAP_SELF, R_API, NULL,
      "活动列表：身边的活动、我的活动（按区划、类型、日期筛选）");

/* The result of a write: the activity as the caller now sees it. */
static err_code answer_activity(req *r, struct svc_result res, int64_t id, int status)
{
    if (res.err) return http_fail(r, res.err, res.field, res.message);
    struct activity_view v;
    if (!store_activity_get(r->db, r->a, r->me->account_id, id, &v)) return E_NOT_FOUND;
    return http_json(r, status, activity_json(r, &v));
}

static err_code api_activity_get(req *r)
{
    return answer_activity(r, (struct svc_result){0}, req_id(r, "id"), 200);
}
ROUTE("GET", "/api/v1/activities/{id}", api_activity_get, CAP_SELF, R_API, "activity",
      "活动详情（含我的报名状态）");

static err_code api_activity_create(req *r)
{
    struct activity_input in;
    err_code e = bind_activity_create(r, &in);
    if (e) return e;
    struct svc_result res = svc_activity_create(r->db, r->a, r->me, &in);
    return answer_activity(r, res, res.id, 201);
}
ROUTE("POST", "/api/v1/activities", api_activity_create, CAP_ACTIVITIES_MANAGE, R_API, NULL,
      "发布活动（单场）");

/* Out of scope is 404 before any complaint about the body. */
static err_code visible_id(req *r, int64_t *id)
{
    *id = req_id(r, "id");
    if (!store_activity_get(r->db, r->a, r->me->account_id, *id, NULL)) return E_NOT_FOUND;
    return E_OK;
}

static err_code api_activity_update(req *r)
{
    int64_t id;
    struct activity_input in;
    err_code e = visible_id(r, &id);
    if (!e) e = bind_activity_update(r, &in);
    if (e) return e;
    return answer_activity(r, svc_activity_update(r->db, r->a, r->me, id, &in), id, 200);
}
ROUTE("PATCH", "/api/v1/activities/{id}", api_activity_update, CAP_SELF, R_API, "activity",
      "修改一场活动（周期活动中的单场调整：时间、地点、名额…）");

/* The operations on an activity that take nothing but its id. */
typedef struct svc_result (*activity_op)(db *d, arena *a, const struct principal *who, int64_t id);

static err_code activity_step(req *r, activity_op op)
{
    int64_t id;
    err_code e = visible_id(r, &id);
    if (e) return e;
    return answer_activity(r, op(r->db, r->a, r->me, id), id, 200);
}

static err_code api_activity_cancel(req *r)
{
    return activity_step(r, svc_activity_cancel);
}
ROUTE("POST", "/api/v1/activities/{id}/cancel", api_activity_cancel, CAP_SELF, R_API, "activity",
      "取消一场活动（通知已报名和候补的人）");

static err_code api_signup(req *r)
{
    return activity_step(r, svc_signup);
}
ROUTE("POST", "/api/v1/activities/{id}/signup", api_signup, CAP_SELF, R_API, "activity",
      "报名活动（满员则进入候补）");

static err_code api_withdraw(req *r)
{
    return activity_step(r, svc_signup_cancel);
}
ROUTE("DELETE", "/api/v1/activities/{id}/signup", api_withdraw, CAP_SELF, R_API, "activity",
      "取消报名（候补第一位递补并收到通知）");

static err_code api_checkin(req *r)
{
    int64_t id;
    struct checkin_input in;
    err_code e = visible_id(r, &id);
    if (!e) e = bind_checkin(r, &in);
    if (e) return e;
    return answer_activity(r, svc_checkin(r->db, r->a, r->me, id, in.code), id, 200);
}
ROUTE("POST", "/api/v1/activities/{id}/checkin", api_checkin, CAP_SELF, R_API, "activity",
      "现场签到（输入组织者手机上的签到码）");

static err_code api_checkin_by_hand(req *r)
{
    int64_t id;
    struct participation_input in;
    err_code e = visible_id(r, &id);
    if (!e) e = bind_manual_checkin(r, &in);
    if (e) return e;
    return answer_activity(r, svc_checkin_by_hand(r->db, r->a, r->me, id, in.signup_id), id, 200);
}
ROUTE("POST", "/api/v1/activities/{id}/manual-checkin", api_checkin_by_hand, CAP_SELF, R_API,
      "activity", "组织者为参与者手工签到（如签到码输错次数过多）");

static err_code api_code(req *r)
{
    int64_t id;
    err_code e = visible_id(r, &id);
    if (e) return e;
    char code[7];
    time_t changes = 0;
    struct svc_result res = svc_activity_code(r->db, r->a, r->me, id, code, &changes);
    if (res.err) return http_fail(r, res.err, res.field, res.message);
    json_t *j = json_object();
    json_set_str(j, "code", code);
    json_set_time_at(j, "changes_at", changes);
    json_set_int(j, "seconds_left", (long long)(changes - clock_now()));
    return http_json(r, 200, j);
}
ROUTE("GET", "/api/v1/activities/{id}/code", api_code, CAP_SELF, R_API, "activity",
      "组织者的签到码（每30秒更换，仅签到时段内）");

static err_code api_signups(req *r)
{
    int64_t id;
    err_code e = visible_id(r, &id);
    if (e) return e;
    if (!store_activity_manageable(r->db, r->me->account_id, id)) return E_NOT_FOUND;
    int n = 0;
    struct signup_entry *s = store_signups_list(r->db, r->a, id, &n);
    if (!s) return E_INTERNAL;
    json_t *items = json_array();
    for (int i = 0; i < n; i++) {
        json_t *j = json_object();
        json_object_set_new(j, "id", json_integer(s[i].su.id));
        json_object_set_new(j, "account_id", json_integer(s[i].su.account_id));
        json_set_str(j, "name", s[i].name);
        json_set_str(j, "username", s[i].username);
        json_set_str(j, "status", s[i].su.status);
        json_set_int(j, "position", s[i].position);
        participation_json(j, &s[i].su);
        json_set_int(j, "checkin_failures", s[i].su.checkin_failures);
        json_array_append_new(items, j);
    }
    json_t *out = json_object();
    json_object_set_new(out, "items", items);
    return http_json(r, 200, out);
}
ROUTE("GET", "/api/v1/activities/{id}/signups", api_signups, CAP_SELF, R_API, "activity",
      "报名名单与候补名单（组织者、管理人员）");

static err_code api_serve(req *r)
{
    int64_t id;
    struct participation_input in;
    err_code e = visible_id(r, &id);
    if (!e) e = bind_service(r, &in);
    if (e) return e;
    return answer_activity(r, svc_serve(r->db, r->a, r->me, id, in.signup_id, in.hours), id, 200);
}
ROUTE("POST", "/api/v1/activities/{id}/service", api_serve, CAP_SELF, R_API, "activity",
      "登记志愿服务时长（已签到的参与者）");

/* ---- series ---- */

static json_t *series_json(req *r, const struct series_view *v)
{
    const struct series_row *s = &v->s;
    json_t *j = json_object();
    json_object_set_new(j, "id", json_integer(v->id));
    struct activity_row common = activity_row_of_series(s);
    what_where_json(j, &common, v->place_name);
    json_set_str(j, "freq", s->freq);
    json_t *wd = json_array();
    for (int i = 0; i < 7; i++)
        if (s->weekdays & (1 << i)) json_array_append_new(wd, json_integer(i + 1));
    json_object_set_new(j, "weekdays", wd);
    json_set_int(j, "month_day", s->month_day);
    json_set_str(j, "from", s->from_date);
    json_set_str(j, "until", s->until_date);
    json_object_set_new(j, "start_time",
                        json_sprintf("%02d:%02d", s->start_minute / 60, s->start_minute % 60));
    json_set_int(j, "duration_minutes", s->duration_min);
    struct activity_filter f = {
        .series = v->id, .include_cancelled = 1, .by_start = 1, .limit = 500};
    int n = 0;
    struct activity_view *occ = store_activities_list(r->db, r->a, r->me->account_id, &f, &n);
    json_object_set_new(j, "occurrences", activities_json(r, occ, n));
    return j;
}

static err_code answer_series(req *r, struct svc_result res, int64_t id, int status)
{
    if (res.err) return http_fail(r, res.err, res.field, res.message);
    struct series_view v;
    if (!store_series_get(r->db, r->a, r->me->account_id, id, &v)) return E_NOT_FOUND;
    return http_json(r, status, series_json(r, &v));
}

static err_code api_series_create(req *r)
{
    struct activity_input in;
    err_code e = bind_series_create(r, &in);
    if (e) return e;
    struct svc_result res = svc_series_create(r->db, r->a, r->me, &in);
    return answer_series(r, res, res.id, 201);
}
ROUTE("POST", "/api/v1/activity-series", api_series_create, CAP_ACTIVITIES_MANAGE, R_API, NULL,
      "发布周期活动（每周几或每月几日，至截止日期），逐场生成");

static err_code api_series_get(req *r)
{
    return answer_series(r, (struct svc_result){0}, req_id(r, "id"), 200);
}
ROUTE("GET", "/api/v1/activity-series/{id}", api_series_get, CAP_SELF, R_API, "activity_series",
      "周期活动详情与各场次");

static err_code api_series_update(req *r)
{
    int64_t id = req_id(r, "id");
    if (!store_series_get(r->db, r->a, r->me->account_id, id, NULL)) return E_NOT_FOUND;
    struct activity_input in;
    err_code e = bind_series_update(r, &in);
    if (e) return e;
    return answer_series(r, svc_series_update(r->db, r->a, r->me, id, &in), id, 200);
}
ROUTE("PATCH", "/api/v1/activity-series/{id}", api_series_update, CAP_SELF, R_API,
      "activity_series", "修改周期活动（只改未单独调整的未来场次）");

/* ---- counts ---- */

static void counts_json(json_t *j, const struct activity_counts *c)
{
    json_set_int(j, "events", c->events);
    json_set_int(j, "cancelled", c->cancelled);
    json_set_int(j, "signups", c->signups);
    json_set_int(j, "checked_in", c->checked_in);
    json_set_int(j, "volunteers_served", c->volunteers_served);
    json_set_int(j, "service_minutes", c->service_minutes);
    json_object_set_new(j, "hours", json_real((double)c->service_minutes / 60.0));
}

static err_code api_activity_stats(req *r)
{
    struct activity_stats st;
    struct svc_result res = svc_activity_stats(r->db, r->a, r->me, req_query(r, "place"),
                                               req_query(r, "from"), req_query(r, "to"), &st);
    if (res.err) return http_fail(r, res.err, res.field, res.message);
    json_t *j = json_object();
    json_set_str(j, "place_code", st.place_code);
    json_set_str(j, "from", st.from);
    json_set_str(j, "to", st.to);
    counts_json(j, &st.all);
    json_t *items = json_array();
    for (int i = 0; i < st.nchildren; i++) {
        json_t *k = json_object();
        json_set_str(k, "place_code", st.children[i].place_code);
        json_set_str(k, "name", st.children[i].name);
        counts_json(k, &st.children[i].c);
        json_array_append_new(items, k);
    }
    json_object_set_new(j, "children", items);
    return http_json(r, 200, j);
}
ROUTE("GET", "/api/v1/stats/activities", api_activity_stats, CAP_ACTIVITIES_MANAGE, R_API, NULL,
      "活动统计：场次、报名、签到、志愿服务人数与时长（按区划汇总、按下级区划分列）");
