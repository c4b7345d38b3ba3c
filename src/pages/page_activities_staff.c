/* 活动 for staff, desktop first: /activities/new (one event or a series),
 * the staff sections of /activities/{id} (change this occurrence, cancel it,
 * the sign-up list with the waiting list, hours served), /activity-series/{id}
 * (change the series: future occurrences not changed by themselves) and
 * /activities/stats (counts by place and period). Writes go through
 * svc_activities.c; the request → input mapping is the API's. */
#include <stdlib.h>
#include <string.h>

#include "api/api_activities.h"
#include "core/activity_kind.h"
#include "core/checkin_code.h"
#include "core/roles.h"
#include "pages/layout.h"
#include "pages/page_activities.h"
#include "service/svc_activities.h"
#include "store/store_activities.h"
#include "util/clock.h"

static void field(buf *o, const char *name, const char *label, const char *v, const char *attrs)
{
    buf_printf(o, "<label for=\"%s\">", name);
    buf_html(o, label);
    buf_printf(o, "</label><input id=\"%s\" name=\"%s\" %s value=\"", name, name, attrs);
    buf_html(o, v);
    buf_puts(o, "\">\n");
}

/* The submitted value when re-showing a refused form, else the stored one. */
static const char *val(req *r, const char *name, const char *stored)
{
    return r->form ? req_form(r, name) : stored;
}

static void kind_select(req *r, const char *kind)
{
    buf *o = &r->out;
    buf_puts(o, "<label for=\"kind\">类型</label><select id=\"kind\" name=\"kind\">");
    for (int i = 0; activity_kinds[i]; i++) {
        buf_printf(o, "<option value=\"%s\"%s>", activity_kinds[i],
                   kind && !strcmp(kind, activity_kinds[i]) ? " selected" : "");
        buf_html(o, activity_kind_zh(activity_kinds[i]));
        buf_puts(o, "</option>");
    }
    buf_puts(o, "</select>\n");
}

/* Kind, title, place, station, capacity, description: what all forms share. */
static void common_fields(req *r, const char *kind, const char *title, const char *place,
                          const char *station, const char *capacity, const char *description)
{
    buf *o = &r->out;
    kind_select(r, val(r, "kind", kind));
    field(o, "title", "活动名称", val(r, "title", title), "required maxlength=\"100\"");
    field(o, "place_code", "地点（社区或小区代码）", val(r, "place_code", place),
          "inputmode=\"numeric\"");
    field(o, "station_id", "党群服务阵地编号（可不填）", val(r, "station_id", station),
          "inputmode=\"numeric\"");
    field(o, "capacity", "名额", val(r, "capacity", capacity), "inputmode=\"numeric\" required");
    buf_puts(o, "<label for=\"description\">活动介绍</label><textarea id=\"description\" "
                "name=\"description\" rows=\"3\" maxlength=\"2000\">");
    buf_html(o, val(r, "description", description));
    buf_puts(o, "</textarea>\n");
}

void activity_staff_sections(req *r, const db_rows *s)
{
    buf *o = &r->out;
    int64_t id = db_get_int(s, 0, AC_ID);
    bool scheduled = !strcmp(db_get(s, 0, AC_STATUS), "scheduled");
    bool window_opened = clock_now() >= db_get_int(s, 0, AC_STARTS) - CHECKIN_EARLY_S;
    buf_puts(o, "<section class=\"card\"><h2>组织者</h2>\n");
    if (scheduled)
        buf_printf(
            o, "<p><a class=\"button primary\" href=\"/activities/%lld/code\">打开签到码</a></p>\n",
            (long long)id);
    /* the sign-up list with the waiting list, and hours for those checked in */
    db_rows *l = store_signups_list(r->db, r->a, id);
    if (!l || !l->nrows)
        buf_puts(o, "<p class=\"muted\">还没有人报名</p>\n");
    else {
        buf_puts(o, "<div class=\"table-wrap\"><table class=\"table\"><thead><tr><th>姓名</th>"
                    "<th>状态</th><th>签到</th><th>服务时长</th></tr></thead><tbody>\n");
        for (int i = 0; i < l->nrows; i++) {
            const char *st = db_get(l, i, 4);
            buf_puts(o, "<tr><td>");
            buf_html(o, db_get(l, i, 2));
            buf_puts(o, "</td><td>");
            if (!strcmp(st, "waiting"))
                buf_printf(o, "候补第 %lld 位", (long long)db_get_int(l, i, 9));
            else
                buf_puts(o, !strcmp(st, "signed") ? "已报名" : "已取消");
            buf_puts(o, "</td><td>");
            buf_html(o, db_get(l, i, 6) ? page_time(r, db_get_int(l, i, 6)) : "—");
            if (!db_get(l, i, 6) && db_get_int(l, i, 10) >= CHECKIN_TRIES_MAX)
                buf_puts(o, " <span class=\"muted small\">签到码输错次数过多</span>");
            /* by hand: for whoever cannot use the code (locked out, no phone) */
            if (scheduled && !strcmp(st, "signed") && !db_get(l, i, 6) && window_opened) {
                buf_printf(o,
                           "<form class=\"inline\" method=\"post\" "
                           "action=\"/activities/%lld/manual-checkin\">",
                           (long long)id);
                page_csrf_field(r);
                buf_printf(o,
                           "<input type=\"hidden\" name=\"signup_id\" value=\"%s\"><button "
                           "type=\"submit\">手工签到</button></form>",
                           db_get(l, i, 0));
            }
            buf_puts(o, "</td><td>");
            if (db_get_int(l, i, 7))
                buf_printf(o, "%.1f 小时 ", (double)db_get_int(l, i, 8) / 60.0);
            if (scheduled && !strcmp(st, "signed") && db_get(l, i, 6)) {
                buf_printf(
                    o,
                    "<form class=\"inline\" method=\"post\" action=\"/activities/%lld/service\">",
                    (long long)id);
                page_csrf_field(r);
                buf_printf(o, "<input type=\"hidden\" name=\"signup_id\" value=\"%s\">",
                           db_get(l, i, 0));
                buf_printf(o, "<label class=\"muted small\" for=\"hours%s\">小时</label>",
                           db_get(l, i, 0));
                buf_printf(o,
                           "<input id=\"hours%s\" name=\"hours\" inputmode=\"decimal\" size=\"4\" "
                           "placeholder=\"默认为活动时长\"><button "
                           "type=\"submit\">登记服务</button></form>",
                           db_get(l, i, 0));
            }
            buf_puts(o, "</td></tr>\n");
        }
        buf_puts(o, "</tbody></table></div>\n");
    }
    buf_puts(o, "</section>\n");
    if (!scheduled) return;
    buf_puts(o, "<section class=\"card\"><h2>");
    buf_puts(o, db_get(s, 0, AC_SERIES) ? "单独调整这一场" : "修改活动");
    buf_printf(o, "</h2>\n<form method=\"post\" action=\"/activities/%lld\">", (long long)id);
    page_csrf_field(r);
    common_fields(r, db_get(s, 0, AC_KIND), db_get(s, 0, AC_TITLE), db_get(s, 0, AC_PLACE),
                  db_get(s, 0, AC_STATION), db_get(s, 0, AC_CAPACITY),
                  db_get(s, 0, AC_DESCRIPTION));
    field(&r->out, "starts_at", "开始时间",
          val(r, "starts_at", activity_local_input(r, db_get_int(s, 0, AC_STARTS))),
          "type=\"datetime-local\" required");
    field(&r->out, "ends_at", "结束时间",
          val(r, "ends_at", activity_local_input(r, db_get_int(s, 0, AC_ENDS))),
          "type=\"datetime-local\" required");
    buf_puts(o, "<button type=\"submit\" class=\"primary\">保存</button></form>\n");
    buf_printf(o, "<form method=\"post\" action=\"/activities/%lld/cancel\">", (long long)id);
    page_csrf_field(r);
    buf_puts(o, "<button type=\"submit\">取消这一场活动</button></form>\n</section>\n");
}

static err_code new_page(req *r, const char *error, int status)
{
    page_begin(r, "发布活动");
    buf *o = &r->out;
    buf_puts(o, "<nav class=\"breadcrumbs\" aria-label=\"位置\"><a href=\"/activities\">活动</a> › "
                "发布活动</nav>\n");
    page_message(r, "error", error);
    bool series = r->form && req_form(r, "freq");
    buf_puts(
        o,
        "<section class=\"card\"><h2>单场活动</h2>\n<form method=\"post\" action=\"/activities\">");
    page_csrf_field(r);
    const char *place = req_query(r, "place");
    if (series) r->form = NULL; /* the refused form was the other one */
    common_fields(r, "clinic", NULL, place, NULL, "30", NULL);
    field(o, "starts_at", "开始时间", val(r, "starts_at", NULL),
          "type=\"datetime-local\" required");
    field(o, "ends_at", "结束时间", val(r, "ends_at", NULL), "type=\"datetime-local\" required");
    buf_puts(o, "<button type=\"submit\" class=\"primary\">发布</button></form></section>\n");
    buf_puts(o, "<section class=\"card\"><h2>周期活动（如四点半课堂）</h2>\n<form method=\"post\" "
                "action=\"/activity-series\">");
    page_csrf_field(r);
    common_fields(r, "after_school", NULL, place, NULL, "20", NULL);
    buf_puts(o, "<label for=\"freq\">重复</label><select id=\"freq\" name=\"freq\"><option "
                "value=\"weekly\">每周</option><option value=\"monthly\">每月</option></select>\n"
                "<fieldset><legend>每周的哪几天</legend>");
    static const char *const wd[] = {"周一", "周二", "周三", "周四", "周五", "周六", "周日"};
    for (int i = 0; i < 7; i++) {
        buf_printf(
            o, "<label class=\"check\"><input type=\"checkbox\" name=\"weekdays\" value=\"%d\">",
            i + 1);
        buf_html(o, wd[i]);
        buf_puts(o, "</label>");
    }
    buf_puts(o, "</fieldset>\n");
    field(o, "month_day", "每月几日（小月没有该日时在当月最后一天）", val(r, "month_day", NULL),
          "inputmode=\"numeric\"");
    field(o, "from", "开始日期", val(r, "from", NULL), "type=\"date\" required");
    field(o, "until", "截止日期", val(r, "until", NULL), "type=\"date\" required");
    field(o, "start_time", "开始时刻", val(r, "start_time", "16:30"), "type=\"time\" required");
    field(o, "duration_minutes", "时长（分钟）", val(r, "duration_minutes", "90"),
          "inputmode=\"numeric\" required");
    buf_puts(o,
             "<button type=\"submit\" class=\"primary\">发布周期活动</button></form></section>\n");
    err_code e = page_end(r);
    r->status = status;
    return e;
}

static err_code page_activity_new(req *r)
{
    return new_page(r, NULL, 200);
}
ROUTE("GET", "/activities/new", page_activity_new, CAP_ACTIVITIES_MANAGE, R_PAGE, NULL,
      "发布活动（单场或周期）");

static err_code refused(req *r, struct svc_result res)
{
    if (res.err == E_INTERNAL || res.err == E_UNAVAILABLE) return res.err;
    return new_page(r, res.message ? res.message : err_message_zh(res.err),
                    err_http_status(res.err));
}

static err_code page_activity_create(req *r)
{
    struct activity_input in;
    activity_input_of(r, &in);
    struct svc_result res = svc_activity_create(r->db, r->a, r->me, &in);
    if (res.err) return refused(r, res);
    return http_redirect(r, arena_printf(r->a, "/activities/%lld?done=created", (long long)res.id));
}
ROUTE("POST", "/activities", page_activity_create, CAP_ACTIVITIES_MANAGE, R_PAGE, NULL,
      "发布活动（单场）");

static err_code page_series_create(req *r)
{
    struct activity_input in;
    activity_input_of(r, &in);
    struct svc_result res = svc_series_create(r->db, r->a, r->me, &in);
    if (res.err) return refused(r, res);
    return http_redirect(r, arena_printf(r->a, "/activity-series/%lld", (long long)res.id));
}
ROUTE("POST", "/activity-series", page_series_create, CAP_ACTIVITIES_MANAGE, R_PAGE, NULL,
      "发布周期活动");

static err_code page_activity_update(req *r)
{
    int64_t id = req_id(r, "id");
    struct activity_input in;
    activity_input_of(r, &in);
    in.freq = in.weekdays = in.month_day = in.from_date = in.until_date = NULL;
    return activity_after_form(r, id, svc_activity_update(r->db, r->a, r->me, id, &in), "saved");
}
ROUTE("POST", "/activities/{id}", page_activity_update, CAP_SELF, R_PAGE, "activity",
      "修改一场活动");

static err_code page_activity_cancel(req *r)
{
    int64_t id = req_id(r, "id");
    return activity_after_form(r, id, svc_activity_cancel(r->db, r->a, r->me, id), "cancel");
}
ROUTE("POST", "/activities/{id}/cancel", page_activity_cancel, CAP_SELF, R_PAGE, "activity",
      "取消一场活动");

static err_code page_service(req *r)
{
    int64_t id = req_id(r, "id"), signup;
    err_code e = req_int(r, "form", "signup_id", 1, INT64_MAX, 0, &signup);
    if (e) return e;
    return activity_after_form(
        r, id, svc_serve(r->db, r->a, r->me, id, signup, req_form(r, "hours")), "service");
}
ROUTE("POST", "/activities/{id}/service", page_service, CAP_SELF, R_PAGE, "activity",
      "登记志愿服务时长");

static err_code page_checkin_by_hand(req *r)
{
    int64_t id = req_id(r, "id"), signup;
    err_code e = req_int(r, "form", "signup_id", 1, INT64_MAX, 0, &signup);
    if (e) return e;
    return activity_after_form(r, id, svc_checkin_by_hand(r->db, r->a, r->me, id, signup),
                               "manual_checkin");
}
ROUTE("POST", "/activities/{id}/manual-checkin", page_checkin_by_hand, CAP_SELF, R_PAGE, "activity",
      "组织者为参与者手工签到");

static err_code series_page(req *r, int64_t id, const char *error, const char *notice, int status)
{
    db_rows *s = store_series_get(r->db, r->a, r->me->account_id, id);
    if (!s) return E_NOT_FOUND;
    const char *title = db_get(s, 0, SC_TITLE);
    page_begin(r, title);
    buf *o = &r->out;
    buf_puts(o,
             "<nav class=\"breadcrumbs\" aria-label=\"位置\"><a href=\"/activities\">活动</a> › ");
    buf_html(o, title);
    buf_puts(o, "</nav>\n");
    page_message(r, "error", error);
    page_message(r, "notice", notice);
    int m = (int)db_get_int(s, 0, SC_START_MINUTE);
    buf_puts(o, "<section class=\"card\"><p>");
    if (!strcmp(db_get(s, 0, SC_FREQ), "weekly")) {
        static const char *const wd[] = {"一", "二", "三", "四", "五", "六", "日"};
        buf_puts(o, "每周");
        int bits = (int)db_get_int(s, 0, SC_WEEKDAYS);
        for (int i = 0, n = 0; i < 7; i++)
            if (bits & (1 << i)) buf_printf(o, "%s%s", n++ ? "、" : "", wd[i]);
    } else
        buf_printf(o, "每月%lld日", (long long)db_get_int(s, 0, SC_MONTH_DAY));
    buf_printf(o, " %02d:%02d，%lld 分钟；", m / 60, m % 60,
               (long long)db_get_int(s, 0, SC_DURATION));
    buf_html(o, db_get(s, 0, SC_FROM));
    buf_puts(o, " 至 ");
    buf_html(o, db_get(s, 0, SC_UNTIL));
    buf_puts(o, "</p></section>\n<section class=\"card\"><h2>各场次</h2>\n<ul class=\"plain\">");
    struct activity_filter f = {.series = id, .include_cancelled = 1, .by_start = 1, .limit = 500};
    db_rows *occ = store_activities_list(r->db, r->a, r->me->account_id, &f);
    for (int i = 0; occ && i < occ->nrows; i++) {
        buf_puts(o, "<li><a href=\"/activities/");
        buf_html(o, db_get(occ, i, AC_ID));
        buf_puts(o, "\">");
        buf_html(o, page_time(r, db_get_int(occ, i, AC_STARTS)));
        buf_puts(o, "</a> ");
        buf_html(o, db_get(occ, i, AC_PLACE_NAME));
        buf_printf(o, " 报名 %lld/%lld", (long long)db_get_int(occ, i, AC_N_SIGNED),
                   (long long)db_get_int(occ, i, AC_CAPACITY));
        if (strcmp(db_get(occ, i, AC_STATUS), "scheduled"))
            buf_puts(o, " <span class=\"badge\">已取消</span>");
        else if (db_get_int(occ, i, AC_DETACHED))
            buf_puts(o, " <span class=\"tag\">单独调整</span>");
        buf_puts(o, "</li>");
    }
    buf_puts(o, "</ul></section>\n<section class=\"card\"><h2>修改周期活动</h2>\n<p class=\"muted "
                "small\">只改尚未开始、且没有单独调整过的场次。</p>\n");
    buf_printf(o, "<form method=\"post\" action=\"/activity-series/%lld\">", (long long)id);
    page_csrf_field(r);
    common_fields(r, db_get(s, 0, SC_KIND), title, db_get(s, 0, SC_PLACE), db_get(s, 0, SC_STATION),
                  db_get(s, 0, SC_CAPACITY), db_get(s, 0, SC_DESCRIPTION));
    field(o, "start_time", "开始时刻",
          val(r, "start_time", arena_printf(r->a, "%02d:%02d", m / 60, m % 60)),
          "type=\"time\" required");
    field(o, "duration_minutes", "时长（分钟）",
          val(r, "duration_minutes", db_get(s, 0, SC_DURATION)), "inputmode=\"numeric\" required");
    buf_puts(o, "<button type=\"submit\" class=\"primary\">保存</button></form></section>\n");
    err_code e = page_end(r);
    r->status = status;
    return e;
}

static err_code page_series(req *r)
{
    int64_t id = req_id(r, "id");
    const char *saved = req_query(r, "saved");
    return series_page(r, id, NULL, saved && *saved == '1' ? "已保存" : NULL, 200);
}
ROUTE("GET", "/activity-series/{id}", page_series, CAP_SELF, R_PAGE, "activity_series",
      "周期活动：各场次与修改");

static err_code page_series_update(req *r)
{
    int64_t id = req_id(r, "id");
    struct activity_input in;
    activity_input_of(r, &in);
    in.freq = in.weekdays = in.month_day = in.from_date = in.until_date = NULL;
    in.starts_at = in.ends_at = in.organiser_id = NULL;
    struct svc_result res = svc_series_update(r->db, r->a, r->me, id, &in);
    if (res.err == E_NOT_FOUND && !res.field) return E_NOT_FOUND;
    if (res.err == E_INTERNAL || res.err == E_UNAVAILABLE) return res.err;
    if (!res.err)
        return http_redirect(r, arena_printf(r->a, "/activity-series/%lld?saved=1", (long long)id));
    return series_page(r, id, res.message ? res.message : err_message_zh(res.err), NULL,
                       err_http_status(res.err));
}
ROUTE("POST", "/activity-series/{id}", page_series_update, CAP_SELF, R_PAGE, "activity_series",
      "修改周期活动");

static void count_cells(buf *o, json_t *j)
{
    static const char *const keys[] = {"events", "cancelled", "signups", "checked_in",
                                       "volunteers_served"};
    for (int i = 0; i < 5; i++)
        buf_printf(o, "<td class=\"num\">%lld</td>",
                   (long long)json_integer_value(json_object_get(j, keys[i])));
    buf_printf(o, "<td class=\"num\">%.1f</td>", json_real_value(json_object_get(j, "hours")));
}

static err_code page_stats(req *r)
{
    const char *place = req_query(r, "place"), *from = req_query(r, "from"),
               *to = req_query(r, "to");
    json_t *j = NULL;
    err_code e = activity_stats_of(r, place, from, to, &j);
    if (e == E_INTERNAL) return e;
    page_begin(r, "活动统计");
    buf *o = &r->out;
    buf_puts(o, "<form class=\"filters\" method=\"get\" action=\"/activities/stats\">");
    field(o, "place", "区划代码", j ? json_string_value(json_object_get(j, "place_code")) : place,
          "inputmode=\"numeric\"");
    field(o, "from", "从", j ? json_string_value(json_object_get(j, "from")) : from,
          "type=\"date\"");
    field(o, "to", "至", j ? json_string_value(json_object_get(j, "to")) : to, "type=\"date\"");
    buf_puts(o, "<button type=\"submit\">查询</button></form>\n");
    if (e) {
        page_message(r, "error", r->err_message ? r->err_message : err_message_zh(e));
        r->err_message = NULL;
        r->err_field = NULL;
    } else {
        buf_puts(o, "<div class=\"table-wrap\"><table class=\"table\"><thead><tr><th>区划</th>"
                    "<th class=\"num\">场次</th><th class=\"num\">取消</th><th class=\"num\">报名"
                    "</th><th class=\"num\">签到</th><th class=\"num\">服务人次</th><th "
                    "class=\"num\">服务时长（小时）</th></tr></thead><tbody>\n<tr><th>合计</th>");
        count_cells(o, j);
        buf_puts(o, "</tr>\n");
        json_t *kids = json_object_get(j, "children");
        size_t i;
        json_t *k;
        json_array_foreach(kids, i, k)
        {
            buf_puts(o, "<tr><td><a href=\"/activities/stats?place=");
            buf_url(o, json_string_value(json_object_get(k, "place_code")));
            buf_puts(o, "&amp;from=");
            buf_url(o, json_string_value(json_object_get(j, "from")));
            buf_puts(o, "&amp;to=");
            buf_url(o, json_string_value(json_object_get(j, "to")));
            buf_puts(o, "\">");
            buf_html(o, json_string_value(json_object_get(k, "name")));
            buf_puts(o, "</a></td>");
            count_cells(o, k);
            buf_puts(o, "</tr>\n");
        }
        buf_puts(o, "</tbody></table></div>\n");
        json_decref(j);
    }
    return page_end(r);
}
ROUTE("GET", "/activities/stats", page_stats, CAP_ACTIVITIES_MANAGE, R_PAGE, NULL,
      "活动统计：场次、报名、签到、志愿服务时长");
