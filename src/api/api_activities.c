/* Activities 活动 over the API: /api/v1/activities…, /api/v1/activity-series…
 * and /api/v1/stats/activities. Reads are scoped in the store (near the
 * caller, or managed by them); writes go through service/svc_activities.c.
 * The request → input mapping is shared with the pages (activity_input_of). */
#include <stdlib.h>
#include <string.h>

#include "api/api_activities.h"
#include "core/activity_kind.h"
#include "core/recurrence.h"
#include "core/roles.h"
#include "http/http.h"
#include "http/json_out.h"
#include "service/svc_activities.h"
#include "store/store_accounts.h"
#include "store/store_activities.h"
#include "store/store_places.h"
#include "util/clock.h"

/* weekdays: a JSON array of 1–7, or the form's checkboxes, as "1,3,5". */
static const char *weekdays_of(req *r)
{
    if (r->json) {
        json_t *v = json_object_get(r->json, "weekdays");
        if (!v || json_is_null(v)) return NULL;
        if (json_is_string(v)) return json_string_value(v);
        if (!json_is_array(v)) return "x";
        buf b = {0};
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x)
        {
            if (!json_is_integer(x)) {
                buf_free(&b);
                return "x";
            }
            buf_printf(&b, "%s%lld", i ? "," : "", (long long)json_integer_value(x));
        }
        const char *out = arena_strdup(r->a, buf_cstr(&b));
        buf_free(&b);
        return out;
    }
    int n = 0;
    const char **list = req_form_list(r, "weekdays", NULL, &n);
    if (!n) return req_form(r, "weekdays_set") ? "" : NULL;
    buf b = {0};
    for (int i = 0; i < n; i++) buf_printf(&b, "%s%s", i ? "," : "", list[i]);
    const char *out = arena_strdup(r->a, buf_cstr(&b));
    buf_free(&b);
    return out;
}

void activity_input_of(req *r, struct activity_input *in)
{
    *in = (struct activity_input){
        .kind = req_input(r, "kind"),
        .title = req_input(r, "title"),
        .description = req_input(r, "description"),
        .place_code = req_input(r, "place_code"),
        .station_id = req_input(r, "station_id"),
        .org_id = req_input(r, "org_id"),
        .organiser_id = req_input(r, "organiser_id"),
        .capacity = req_input(r, "capacity"),
        .starts_at = req_input(r, "starts_at"),
        .ends_at = req_input(r, "ends_at"),
        .freq = req_input(r, "freq"),
        .weekdays = weekdays_of(r),
        .month_day = req_input(r, "month_day"),
        .from_date = req_input(r, "from"),
        .until_date = req_input(r, "until"),
        .start_time = req_input(r, "start_time"),
        .duration_minutes = req_input(r, "duration_minutes"),
    };
    /* a JSON null clears an optional reference */
    if (r->json) {
        const char *opt[] = {"description", "station_id", "org_id"};
        const char **dst[] = {&in->description, &in->station_id, &in->org_id};
        for (int i = 0; i < 3; i++)
            if (json_is_null(json_object_get(r->json, opt[i]))) *dst[i] = "";
    }
}

/* The caller's own participation, or null. */
static json_t *my_json(req *r, int64_t id)
{
    db_rows *m = store_signup_of(r->db, r->a, id, r->me->account_id);
    if (!m) return json_null();
    json_t *j = json_object();
    const char *st = db_get(m, 0, SU_STATUS);
    json_set_id(j, "signup_id", db_get(m, 0, SU_ID));
    json_set_str(j, "status", st);
    json_set_int(j, "position",
                 strcmp(st, "waiting")
                     ? 0
                     : DBI(r->db, 0,
                           "SELECT COUNT(*) FROM activity_signups WHERE activity_id = ? AND "
                           "status = 'waiting' AND seq <= ?",
                           P_INT(id), P_INT(db_get_int(m, 0, SU_SEQ))));
    if (db_get(m, 0, SU_CHECKED))
        json_set_time_at(j, "checked_in_at", db_get_int(m, 0, SU_CHECKED));
    else
        json_object_set_new(j, "checked_in_at", json_null());
    json_set_bool(j, "served", db_get_int(m, 0, SU_SERVED) != 0);
    json_object_set_new(j, "hours", json_real((double)db_get_int(m, 0, SU_MINUTES) / 60.0));
    return j;
}

json_t *activity_json(req *r, const db_rows *s, int i)
{
    json_t *j = json_object();
    int64_t id = db_get_int(s, i, AC_ID);
    json_set_id(j, "id", db_get(s, i, AC_ID));
    json_set_id(j, "series_id", db_get(s, i, AC_SERIES));
    json_set_bool(j, "detached", db_get_int(s, i, AC_DETACHED) != 0);
    json_set_str(j, "kind", db_get(s, i, AC_KIND));
    json_set_str(j, "kind_name", activity_kind_zh(db_get(s, i, AC_KIND)));
    json_set_str(j, "title", db_get(s, i, AC_TITLE));
    json_set_str(j, "description", db_get(s, i, AC_DESCRIPTION));
    json_set_str(j, "place_code", db_get(s, i, AC_PLACE));
    json_set_str(j, "place_name", db_get(s, i, AC_PLACE_NAME));
    json_set_id(j, "station_id", db_get(s, i, AC_STATION));
    json_set_str(j, "station_name", db_get(s, i, AC_STATION_NAME));
    json_set_id(j, "org_id", db_get(s, i, AC_ORG));
    json_set_str(j, "org_name", db_get(s, i, AC_ORG_NAME));
    json_set_id(j, "organiser_id", db_get(s, i, AC_ORGANISER));
    json_set_str(j, "organiser_name", db_get(s, i, AC_ORGANISER_NAME));
    json_set_int(j, "capacity", db_get_int(s, i, AC_CAPACITY));
    json_set_time_at(j, "starts_at", db_get_int(s, i, AC_STARTS));
    json_set_time_at(j, "ends_at", db_get_int(s, i, AC_ENDS));
    json_set_str(j, "status", db_get(s, i, AC_STATUS));
    json_set_int(j, "signed_up", db_get_int(s, i, AC_N_SIGNED));
    json_set_int(j, "waiting", db_get_int(s, i, AC_N_WAITING));
    json_set_int(j, "checked_in", db_get_int(s, i, AC_N_CHECKED));
    json_set_bool(j, "can_manage", store_activity_manageable(r->db, r->me->account_id, id));
    json_object_set_new(j, "me", my_json(r, id));
    return j;
}

/* "YYYY-MM-DD" in China time as the instant its day starts; false if malformed. */
static bool day_of(const char *s, int64_t *out, int plus_days)
{
    struct civil_date c;
    if (!civil_parse(s, &c)) return false;
    *out = china_time(civil_from_days(civil_days(c) + plus_days), 0);
    return true;
}

static err_code api_activities_list(req *r)
{
    int64_t limit, cursor;
    err_code e = req_int(r, "query", "limit", 1, 500, 50, &limit);
    if (!e) e = req_int(r, "query", "cursor", 0, INT64_MAX, 0, &cursor);
    if (e) return e;
    struct activity_filter f = {.place = req_query(r, "place"),
                                .kind = req_query(r, "kind"),
                                .after_id = cursor,
                                .limit = (int)limit + 1};
    const char *from = req_query(r, "from"), *to = req_query(r, "to"), *mine = req_query(r, "mine");
    const char *series = req_query(r, "series"), *all = req_query(r, "include_cancelled");
    if (f.kind && *f.kind && !(f.kind = activity_kind_parse(f.kind)))
        return http_fail(r, E_BAD_INPUT, "kind", "活动类型无效");
    if (from && *from && !day_of(from, &f.from, 0))
        return http_fail(r, E_BAD_INPUT, "from", "from 应为 YYYY-MM-DD");
    if (to && *to && !day_of(to, &f.to, 1))
        return http_fail(r, E_BAD_INPUT, "to", "to 应为 YYYY-MM-DD");
    if (f.place && *f.place && !store_place_level(r->db, r->a, f.place))
        return http_fail(r, E_NOT_FOUND, "place", "区划不存在或不在您的管辖范围内");
    if (series && *series) {
        e = req_int(r, "query", "series", 1, INT64_MAX, 0, &f.series);
        if (e) return e;
    }
    if (mine && !strcmp(mine, "1")) f.mine = r->me->account_id;
    f.include_cancelled = all && !strcmp(all, "1");
    db_rows *s = store_activities_list(r->db, r->a, r->me->account_id, &f);
    if (!s) return E_INTERNAL;
    json_t *items = json_array();
    int n = s->nrows > limit ? (int)limit : s->nrows;
    for (int i = 0; i < n; i++) json_array_append_new(items, activity_json(r, s, i));
    return http_json(r, 200, json_page(items, s->nrows > limit ? db_get(s, n - 1, AC_ID) : NULL));
}
ROUTE("GET", "/api/v1/activities", api_activities_list, CAP_SELF, R_API, NULL,
      "活动列表：身边的活动、我的活动（按区划、类型、日期筛选）");

/* The result of a write: the activity as the caller now sees it. */
static err_code answer_activity(req *r, struct svc_result res, int64_t id, int status)
{
    if (res.err) return http_fail(r, res.err, res.field, res.message);
    db_rows *s = store_activity_get(r->db, r->a, r->me->account_id, id);
    if (!s) return E_NOT_FOUND;
    return http_json(r, status, activity_json(r, s, 0));
}

static err_code api_activity_get(req *r)
{
    int64_t id = req_id(r, "id");
    db_rows *s = store_activity_get(r->db, r->a, r->me->account_id, id);
    return s ? http_json(r, 200, activity_json(r, s, 0)) : E_NOT_FOUND;
}
ROUTE("GET", "/api/v1/activities/{id}", api_activity_get, CAP_SELF, R_API, "activity",
      "活动详情（含我的报名状态）");

static err_code api_activity_create(req *r)
{
    if (!json_is_object(r->json)) return http_fail(r, E_BAD_INPUT, NULL, "请求体应为 JSON 对象");
    struct activity_input in;
    activity_input_of(r, &in);
    struct svc_result res = svc_activity_create(r->db, r->a, r->me, &in);
    return answer_activity(r, res, res.id, 201);
}
ROUTE("POST", "/api/v1/activities", api_activity_create, CAP_ACTIVITIES_MANAGE, R_API, NULL,
      "发布活动（单场）");

/* Out of scope is 404 before any complaint about the body. */
static err_code visible_id(req *r, int64_t *id)
{
    *id = req_id(r, "id");
    if (!store_activity_get(r->db, r->a, r->me->account_id, *id)) return E_NOT_FOUND;
    return E_OK;
}

static err_code api_activity_update(req *r)
{
    int64_t id;
    err_code e = visible_id(r, &id);
    if (e) return e;
    if (!json_is_object(r->json)) return http_fail(r, E_BAD_INPUT, NULL, "请求体应为 JSON 对象");
    struct activity_input in;
    activity_input_of(r, &in);
    in.freq = in.weekdays = in.month_day = in.from_date = in.until_date = NULL;
    return answer_activity(r, svc_activity_update(r->db, r->a, r->me, id, &in), id, 200);
}
ROUTE("PATCH", "/api/v1/activities/{id}", api_activity_update, CAP_SELF, R_API, "activity",
      "修改一场活动（周期活动中的单场调整：时间、地点、名额…）");

static err_code api_activity_cancel(req *r)
{
    int64_t id;
    err_code e = visible_id(r, &id);
    if (e) return e;
    return answer_activity(r, svc_activity_cancel(r->db, r->a, r->me, id), id, 200);
}
ROUTE("POST", "/api/v1/activities/{id}/cancel", api_activity_cancel, CAP_SELF, R_API, "activity",
      "取消一场活动（通知已报名和候补的人）");

static err_code api_signup(req *r)
{
    int64_t id;
    err_code e = visible_id(r, &id);
    if (e) return e;
    return answer_activity(r, svc_signup(r->db, r->a, r->me, id), id, 200);
}
ROUTE("POST", "/api/v1/activities/{id}/signup", api_signup, CAP_SELF, R_API, "activity",
      "报名活动（满员则进入候补）");

static err_code api_withdraw(req *r)
{
    int64_t id;
    err_code e = visible_id(r, &id);
    if (e) return e;
    return answer_activity(r, svc_signup_cancel(r->db, r->a, r->me, id), id, 200);
}
ROUTE("DELETE", "/api/v1/activities/{id}/signup", api_withdraw, CAP_SELF, R_API, "activity",
      "取消报名（候补第一位递补并收到通知）");

static err_code api_checkin(req *r)
{
    int64_t id;
    err_code e = visible_id(r, &id);
    if (e) return e;
    return answer_activity(r, svc_checkin(r->db, r->a, r->me, id, req_input(r, "code")), id, 200);
}
ROUTE("POST", "/api/v1/activities/{id}/checkin", api_checkin, CAP_SELF, R_API, "activity",
      "现场签到（输入组织者手机上的签到码）");

static err_code api_checkin_by_hand(req *r)
{
    int64_t id;
    err_code e = visible_id(r, &id);
    if (e) return e;
    if (!r->json || !json_is_integer(json_object_get(r->json, "signup_id")))
        return http_fail(r, E_BAD_INPUT, "signup_id", "请给出报名记录 signup_id（整数）");
    int64_t signup = json_integer_value(json_object_get(r->json, "signup_id"));
    return answer_activity(r, svc_checkin_by_hand(r->db, r->a, r->me, id, signup), id, 200);
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
    db_rows *s = store_signups_list(r->db, r->a, id);
    if (!s) return E_INTERNAL;
    json_t *items = json_array();
    for (int i = 0; i < s->nrows; i++) {
        json_t *j = json_object();
        json_set_id(j, "id", db_get(s, i, 0));
        json_set_id(j, "account_id", db_get(s, i, 1));
        json_set_str(j, "name", db_get(s, i, 2));
        json_set_str(j, "username", db_get(s, i, 3));
        json_set_str(j, "status", db_get(s, i, 4));
        json_set_int(j, "position", db_get_int(s, i, 9));
        if (db_get(s, i, 6))
            json_set_time_at(j, "checked_in_at", db_get_int(s, i, 6));
        else
            json_object_set_new(j, "checked_in_at", json_null());
        json_set_bool(j, "served", db_get_int(s, i, 7) != 0);
        json_object_set_new(j, "hours", json_real((double)db_get_int(s, i, 8) / 60.0));
        json_set_int(j, "checkin_failures", db_get_int(s, i, 10));
        json_array_append_new(items, j);
    }
    json_t *out = json_object();
    json_object_set_new(out, "items", items);
    return http_json(r, 200, out);
}
ROUTE("GET", "/api/v1/activities/{id}/signups", api_signups, CAP_SELF, R_API, "activity",
      "报名名单与候补名单（组织者、管理人员）");

/* hours: a JSON number (1.5) or string, as text for the service. */
static const char *hours_of(req *r)
{
    json_t *v = r->json ? json_object_get(r->json, "hours") : NULL;
    if (json_is_real(v)) return arena_printf(r->a, "%g", json_real_value(v));
    return req_input(r, "hours");
}

static err_code api_serve(req *r)
{
    int64_t id, signup;
    err_code e = visible_id(r, &id);
    if (e) return e;
    if (!r->json || !json_is_integer(json_object_get(r->json, "signup_id")))
        return http_fail(r, E_BAD_INPUT, "signup_id", "请给出报名记录 signup_id（整数）");
    signup = json_integer_value(json_object_get(r->json, "signup_id"));
    return answer_activity(r, svc_serve(r->db, r->a, r->me, id, signup, hours_of(r)), id, 200);
}
ROUTE("POST", "/api/v1/activities/{id}/service", api_serve, CAP_SELF, R_API, "activity",
      "登记志愿服务时长（已签到的参与者）");

/* ---- series ---- */

static json_t *series_json_out(req *r, const db_rows *s)
{
    json_t *j = json_object();
    json_set_id(j, "id", db_get(s, 0, SC_ID));
    json_set_str(j, "kind", db_get(s, 0, SC_KIND));
    json_set_str(j, "kind_name", activity_kind_zh(db_get(s, 0, SC_KIND)));
    json_set_str(j, "title", db_get(s, 0, SC_TITLE));
    json_set_str(j, "description", db_get(s, 0, SC_DESCRIPTION));
    json_set_str(j, "place_code", db_get(s, 0, SC_PLACE));
    json_set_str(j, "place_name", db_get(s, 0, SC_PLACE_NAME));
    json_set_id(j, "station_id", db_get(s, 0, SC_STATION));
    json_set_id(j, "org_id", db_get(s, 0, SC_ORG));
    json_set_id(j, "organiser_id", db_get(s, 0, SC_ORGANISER));
    json_set_int(j, "capacity", db_get_int(s, 0, SC_CAPACITY));
    json_set_str(j, "freq", db_get(s, 0, SC_FREQ));
    json_t *wd = json_array();
    int bits = (int)db_get_int(s, 0, SC_WEEKDAYS);
    for (int i = 0; i < 7; i++)
        if (bits & (1 << i)) json_array_append_new(wd, json_integer(i + 1));
    json_object_set_new(j, "weekdays", wd);
    json_set_int(j, "month_day", db_get_int(s, 0, SC_MONTH_DAY));
    json_set_str(j, "from", db_get(s, 0, SC_FROM));
    json_set_str(j, "until", db_get(s, 0, SC_UNTIL));
    int m = (int)db_get_int(s, 0, SC_START_MINUTE);
    json_object_set_new(j, "start_time", json_sprintf("%02d:%02d", m / 60, m % 60));
    json_set_int(j, "duration_minutes", db_get_int(s, 0, SC_DURATION));
    struct activity_filter f = {
        .series = db_get_int(s, 0, SC_ID), .include_cancelled = 1, .by_start = 1, .limit = 500};
    db_rows *o = store_activities_list(r->db, r->a, r->me->account_id, &f);
    json_t *occ = json_array();
    for (int i = 0; o && i < o->nrows; i++) json_array_append_new(occ, activity_json(r, o, i));
    json_object_set_new(j, "occurrences", occ);
    return j;
}

static err_code answer_series(req *r, struct svc_result res, int status)
{
    if (res.err) return http_fail(r, res.err, res.field, res.message);
    db_rows *s = store_series_get(r->db, r->a, r->me->account_id, res.id);
    if (!s) return E_NOT_FOUND;
    return http_json(r, status, series_json_out(r, s));
}

static err_code api_series_create(req *r)
{
    if (!json_is_object(r->json)) return http_fail(r, E_BAD_INPUT, NULL, "请求体应为 JSON 对象");
    struct activity_input in;
    activity_input_of(r, &in);
    return answer_series(r, svc_series_create(r->db, r->a, r->me, &in), 201);
}
ROUTE("POST", "/api/v1/activity-series", api_series_create, CAP_ACTIVITIES_MANAGE, R_API, NULL,
      "发布周期活动（每周几或每月几日，至截止日期），逐场生成");

static err_code api_series_get(req *r)
{
    int64_t id = req_id(r, "id");
    db_rows *s = store_series_get(r->db, r->a, r->me->account_id, id);
    return s ? http_json(r, 200, series_json_out(r, s)) : E_NOT_FOUND;
}
ROUTE("GET", "/api/v1/activity-series/{id}", api_series_get, CAP_SELF, R_API, "activity_series",
      "周期活动详情与各场次");

static err_code api_series_update(req *r)
{
    int64_t id = req_id(r, "id");
    if (!store_series_get(r->db, r->a, r->me->account_id, id)) return E_NOT_FOUND;
    if (!json_is_object(r->json)) return http_fail(r, E_BAD_INPUT, NULL, "请求体应为 JSON 对象");
    struct activity_input in;
    activity_input_of(r, &in);
    return answer_series(r, svc_series_update(r->db, r->a, r->me, id, &in), 200);
}
ROUTE("PATCH", "/api/v1/activity-series/{id}", api_series_update, CAP_SELF, R_API,
      "activity_series", "修改周期活动（只改未单独调整的未来场次）");

/* ---- counts ---- */

static void counts_json(json_t *j, const db_rows *c, int i, int off)
{
    json_set_int(j, "events", db_get_int(c, i, off));
    json_set_int(j, "cancelled", db_get_int(c, i, off + 1));
    json_set_int(j, "signups", db_get_int(c, i, off + 2));
    json_set_int(j, "checked_in", db_get_int(c, i, off + 3));
    json_set_int(j, "volunteers_served", db_get_int(c, i, off + 4));
    json_set_int(j, "service_minutes", db_get_int(c, i, off + 5));
    json_object_set_new(j, "hours", json_real((double)db_get_int(c, i, off + 5) / 60.0));
}

err_code activity_stats_of(req *r, const char *place, const char *from, const char *to,
                           json_t **out)
{
    if (!place || !*place) {
        db_rows *t = store_place_tops(r->db, r->a, r->me->account_id, CAP_ACTIVITIES_MANAGE);
        if (!t || !t->nrows) return E_NOT_FOUND;
        place = db_get(t, 0, PLC_CODE);
    }
    if (!store_place_level(r->db, r->a, place) ||
        !store_place_in_scope(r->db, r->me->account_id, CAP_ACTIVITIES_MANAGE, place))
        return http_fail(r, E_NOT_FOUND, "place", "区划不存在或不在您的管辖范围内");
    struct civil_date today = china_date(clock_now());
    const char *dfrom = arena_printf(r->a, "%04d-%02d-01", today.y, today.m);
    const char *dto = arena_printf(r->a, "%04d-%02d-%02d", today.y, today.m,
                                   civil_month_length(today.y, today.m));
    if (!from || !*from) from = dfrom;
    if (!to || !*to) to = dto;
    int64_t lo, hi;
    if (!day_of(from, &lo, 0)) return http_fail(r, E_BAD_INPUT, "from", "from 应为 YYYY-MM-DD");
    if (!day_of(to, &hi, 1)) return http_fail(r, E_BAD_INPUT, "to", "to 应为 YYYY-MM-DD");
    if (hi <= lo) return http_fail(r, E_BAD_INPUT, "to", "截止日期不能早于开始日期");
    db_rows *all = store_activity_counts(r->db, r->a, r->me->account_id, place, lo, hi, 0);
    db_rows *kids = store_activity_counts(r->db, r->a, r->me->account_id, place, lo, hi, 1);
    if (!all || !kids) return E_INTERNAL;
    json_t *j = json_object();
    json_set_str(j, "place_code", place);
    json_set_str(j, "from", from);
    json_set_str(j, "to", to);
    counts_json(j, all, 0, 0);
    json_t *items = json_array();
    for (int i = 0; i < kids->nrows; i++) {
        if (!store_place_in_scope(r->db, r->me->account_id, CAP_ACTIVITIES_MANAGE,
                                  db_get(kids, i, 0)))
            continue;
        json_t *k = json_object();
        json_set_str(k, "place_code", db_get(kids, i, 0));
        json_set_str(k, "name", db_get(kids, i, 1));
        counts_json(k, kids, i, 2);
        json_array_append_new(items, k);
    }
    json_object_set_new(j, "children", items);
    *out = j;
    return E_OK;
}

static err_code api_activity_stats(req *r)
{
    json_t *j = NULL;
    err_code e =
        activity_stats_of(r, req_query(r, "place"), req_query(r, "from"), req_query(r, "to"), &j);
    return e ? e : http_json(r, 200, j);
}
ROUTE("GET", "/api/v1/stats/activities", api_activity_stats, CAP_ACTIVITIES_MANAGE, R_API, NULL,
      "活动统计：场次、报名、签到、志愿服务人数与时长（按区划汇总、按下级区划分列）");
