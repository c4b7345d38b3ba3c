/* 活动 for staff, desktop first: /activities/new (one event or a series),
 * the staff sections of /activities/{id} (change this occurrence, cancel it,
 * the sign-up list with the waiting list, hours served), /activity-series/{id}
 * (change the series: future occurrences not changed by themselves) and
 * /activities/stats (counts by place and period). Writes go through
 * svc_activities.c; the request → input mapping is the binders' the API
 * shares (http/bind_activities.c). */
#include <stdlib.h>
#include <string.h>

#include "core/activity_kind.h"
#include "core/checkin_code.h"
#include "core/roles.h"
#include "http/bind.h"
#include "http/bind_activities.h"
#include "pages/layout.h"
#include "pages/page_activities.h"
#include "pages/ui.h"
#include "service/svc_activities.h"
#include "service/svc_activity_views.h"
#include "store/store_activities.h"
#include "util/clock.h"

/* A labelled input showing the submitted value of a refused form, else the stored. */
static void field(req *r, const char *name, const char *label, const char *stored,
                  const char *attrs)
{
    ui_input(&r->out, name, label, ui_value(r, name, stored), attrs);
}

static const char *id_or_empty(req *r, int64_t id)
{
    return id > 0 ? arena_printf(r->a, "%lld", (long long)id) : NULL;
}

/* Kind, title, place, station, capacity, description: what all forms share. */
static void common_fields(req *r, const char *kind, const char *title, const char *place,
                          int64_t station, int64_t capacity, const char *description)
{
    activity_kind_select(r, ui_value(r, "kind", kind), false);
    field(r, "title", "活动名称", title, "required maxlength=\"100\"");
    field(r, "place_code", "地点（社区或小区代码）", place, "inputmode=\"numeric\"");
    field(r, "station_id", "党群服务阵地编号（可不填）", id_or_empty(r, station),
          "inputmode=\"numeric\"");
    field(r, "capacity", "名额", id_or_empty(r, capacity), "inputmode=\"numeric\" required");
    buf_hprintf(&r->out,
                "<label for=\"description\">活动介绍</label><textarea id=\"description\" "
                "name=\"description\" rows=\"3\" maxlength=\"2000\">%s</textarea>\n",
                ui_value(r, "description", description));
}

/* A one-field form posting a participation's signup_id (and more fields,
 * markup this code wrote) to /activities/{id}/{action}. */
static void signup_form(req *r, int64_t id, const char *action, int64_t signup_id, const char *more,
                        const char *button)
{
    buf *o = &r->out;
    buf_printf(o, "<form class=\"inline\" method=\"post\" action=\"/activities/%lld/%s\">",
               (long long)id, action); /* trusted: action is a literal of the callers */
    page_csrf_field(r);
    buf_printf(o, "<input type=\"hidden\" name=\"signup_id\" value=\"%lld\">",
               (long long)signup_id);
    buf_puts(o, more); /* trusted: markup this file wrote */
    buf_hprintf(o, "<button type=\"submit\">%s</button></form>", button);
}

/* One row of the sign-up list: who, status, check-in (by hand), hours. */
static void signup_line(req *r, const struct activity_view *v, const struct signup_entry *e,
                        bool window_opened)
{
    buf *o = &r->out;
    bool scheduled = !strcmp(v->status, "scheduled");
    const struct signup_row *su = &e->su;
    buf_hprintf(o, "<tr><td>%s</td><td>", e->name);
    if (!strcmp(su->status, "waiting"))
        buf_printf(o, "候补第 %lld 位", (long long)e->position);
    else
        buf_puts(o, !strcmp(su->status, "signed") ? "已报名" : "已取消");
    buf_hprintf(o, "</td><td>%s", su->checked_in ? page_time(r, su->checked_in_at) : "—");
    if (!su->checked_in && su->checkin_failures >= CHECKIN_TRIES_MAX)
        buf_puts(o, " <span class=\"muted small\">签到码输错次数过多</span>");
    /* by hand: for whoever cannot use the code (locked out, no phone) */
    if (scheduled && !strcmp(su->status, "signed") && !su->checked_in && window_opened)
        signup_form(r, v->id, "manual-checkin", su->id, "", "手工签到");
    buf_puts(o, "</td><td>");
    if (su->served) buf_printf(o, "%.1f 小时 ", (double)su->service_minutes / 60.0);
    if (scheduled && !strcmp(su->status, "signed") && su->checked_in)
        signup_form(r, v->id, "service", su->id,
                    arena_printf(r->a,
                                 "<label class=\"muted small\" for=\"hours%lld\">小时</label>"
                                 "<input id=\"hours%lld\" name=\"hours\" inputmode=\"decimal\" "
                                 "size=\"4\" placeholder=\"默认为活动时长\">",
                                 (long long)su->id, (long long)su->id),
                    "登记服务");
    buf_puts(o, "</td></tr>\n");
}

void activity_staff_sections(req *r, const struct activity_view *v)
{
    buf *o = &r->out;
    int64_t id = v->id;
    bool scheduled = !strcmp(v->status, "scheduled");
    bool window_opened = clock_now() >= v->starts_at - CHECKIN_EARLY_S;
    buf_puts(o, "<section class=\"card\"><h2>组织者</h2>\n");
    if (scheduled)
        buf_printf(
            o, "<p><a class=\"button primary\" href=\"/activities/%lld/code\">打开签到码</a></p>\n",
            (long long)id);
    /* the sign-up list with the waiting list, and hours for those checked in */
    int n = 0;
    struct signup_entry *l = store_signups_list(r->db, r->a, id, &n);
    if (!l || !n)
        buf_puts(o, "<p class=\"muted\">还没有人报名</p>\n");
    else {
        buf_puts(o, "<div class=\"table-wrap\"><table class=\"table\"><thead><tr><th>姓名</th>"
                    "<th>状态</th><th>签到</th><th>服务时长</th></tr></thead><tbody>\n");
        for (int i = 0; i < n; i++) signup_line(r, v, &l[i], window_opened);
        buf_puts(o, "</tbody></table></div>\n");
    }
    buf_puts(o, "</section>\n");
    if (!scheduled) return;
    buf_puts(o, "<section class=\"card\"><h2>");
    buf_puts(o, v->series_id ? "单独调整这一场" : "修改活动");
    buf_printf(o, "</h2>\n<form method=\"post\" action=\"/activities/%lld\">", (long long)id);
    page_csrf_field(r);
    common_fields(r, v->kind, v->title, v->place_code, v->station_id, v->capacity, v->description);
    field(r, "starts_at", "开始时间", activity_local_input(r, v->starts_at),
          "type=\"datetime-local\" required");
    field(r, "ends_at", "结束时间", activity_local_input(r, v->ends_at),
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
    common_fields(r, "clinic", NULL, place, 0, 30, NULL);
    field(r, "starts_at", "开始时间", NULL, "type=\"datetime-local\" required");
    field(r, "ends_at", "结束时间", NULL, "type=\"datetime-local\" required");
    buf_puts(o, "<button type=\"submit\" class=\"primary\">发布</button></form></section>\n");
    buf_puts(o, "<section class=\"card\"><h2>周期活动（如四点半课堂）</h2>\n<form method=\"post\" "
                "action=\"/activity-series\">");
    page_csrf_field(r);
    common_fields(r, "after_school", NULL, place, 0, 20, NULL);
    buf_puts(o, "<label for=\"freq\">重复</label><select id=\"freq\" name=\"freq\"><option "
                "value=\"weekly\">每周</option><option value=\"monthly\">每月</option></select>\n"
                "<fieldset><legend>每周的哪几天</legend>");
    static const char *const wd[] = {"周一", "周二", "周三", "周四", "周五", "周六", "周日"};
    for (int i = 0; i < 7; i++)
        buf_hprintf(o,
                    "<label class=\"check\"><input type=\"checkbox\" name=\"weekdays\" "
                    "value=\"%d\">%s</label>",
                    i + 1, wd[i]);
    buf_puts(o, "</fieldset>\n");
    field(r, "month_day", "每月几日（小月没有该日时在当月最后一天）", NULL,
          "inputmode=\"numeric\"");
    field(r, "from", "开始日期", NULL, "type=\"date\" required");
    field(r, "until", "截止日期", NULL, "type=\"date\" required");
    field(r, "start_time", "开始时刻", "16:30", "type=\"time\" required");
    field(r, "duration_minutes", "时长（分钟）", "90", "inputmode=\"numeric\" required");
    buf_puts(o,
             "<button type=\"submit\" class=\"primary\">发布周期活动</button></form></section>\n");
    return page_end_status(r, status);
}

static err_code page_activity_new(req *r)
{
    return new_page(r, NULL, 200);
}
ROUTE("GET", "/activities/new", page_activity_new, CAP_ACTIVITIES_MANAGE, R_PAGE, NULL,
      "发布活动（单场或周期）");

/* A create form's result: the new page (activity or series), or the form again. */
static err_code created(req *r, struct svc_result res, const char *fmt)
{
    if (res.err == E_INTERNAL || res.err == E_UNAVAILABLE) return res.err;
    if (res.err)
        return new_page(r, res.message ? res.message : err_message_zh(res.err),
                        err_http_status(res.err));
    return http_redirect(r, arena_printf(r->a, fmt, (long long)res.id));
}

static err_code page_activity_create(req *r)
{
    struct activity_input in;
    err_code e = bind_activity_create(r, &in);
    return created(r, e ? bind_refused(r, e) : svc_activity_create(r->db, r->a, r->me, &in),
                   "/activities/%lld?done=created");
}
ROUTE("POST", "/activities", page_activity_create, CAP_ACTIVITIES_MANAGE, R_PAGE, NULL,
      "发布活动（单场）");

static err_code page_series_create(req *r)
{
    struct activity_input in;
    err_code e = bind_series_create(r, &in);
    return created(r, e ? bind_refused(r, e) : svc_series_create(r->db, r->a, r->me, &in),
                   "/activity-series/%lld");
}
ROUTE("POST", "/activity-series", page_series_create, CAP_ACTIVITIES_MANAGE, R_PAGE, NULL,
      "发布周期活动");

static err_code page_activity_update(req *r)
{
    int64_t id = req_id(r, "id");
    struct activity_input in;
    err_code e = bind_activity_update(r, &in);
    return activity_after_form(
        r, id, e ? bind_refused(r, e) : svc_activity_update(r->db, r->a, r->me, id, &in), "saved");
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
    int64_t id = req_id(r, "id");
    struct participation_input in;
    err_code e = bind_service(r, &in);
    if (e) return e;
    return activity_after_form(r, id, svc_serve(r->db, r->a, r->me, id, in.signup_id, in.hours),
                               "service");
}
ROUTE("POST", "/activities/{id}/service", page_service, CAP_SELF, R_PAGE, "activity",
      "登记志愿服务时长");

static err_code page_checkin_by_hand(req *r)
{
    int64_t id = req_id(r, "id");
    struct participation_input in;
    err_code e = bind_manual_checkin(r, &in);
    if (e) return e;
    return activity_after_form(r, id, svc_checkin_by_hand(r->db, r->a, r->me, id, in.signup_id),
                               "manual_checkin");
}
ROUTE("POST", "/activities/{id}/manual-checkin", page_checkin_by_hand, CAP_SELF, R_PAGE, "activity",
      "组织者为参与者手工签到");

/* The rule of a series in words: 每周一、三 16:30，90 分钟；from 至 until. */
static void series_rule(req *r, const struct series_row *s)
{
    buf *o = &r->out;
    buf_puts(o, "<section class=\"card\"><p>");
    if (!strcmp(s->freq, "weekly")) {
        static const char *const wd[] = {"一", "二", "三", "四", "五", "六", "日"};
        buf_puts(o, "每周");
        for (int i = 0, n = 0; i < 7; i++)
            if (s->weekdays & (1 << i)) buf_hprintf(o, "%s%s", n++ ? "、" : "", wd[i]);
    } else
        buf_printf(o, "每月%d日", s->month_day);
    buf_hprintf(o, " %02d:%02d，%d 分钟；%s 至 %s</p></section>\n", s->start_minute / 60,
                s->start_minute % 60, s->duration_min, s->from_date, s->until_date);
}

/* The occurrences of a series as a list. */
static void series_occurrences(req *r, int64_t id)
{
    buf *o = &r->out;
    buf_puts(o, "<section class=\"card\"><h2>各场次</h2>\n<ul class=\"plain\">");
    struct activity_filter f = {.series = id, .include_cancelled = 1, .by_start = 1, .limit = 500};
    int n = 0;
    struct activity_view *occ = store_activities_list(r->db, r->a, r->me->account_id, &f, &n);
    for (int i = 0; occ && i < n; i++) {
        buf_hprintf(o, "<li><a href=\"/activities/%lld\">%s</a> %s 报名 %lld/%lld",
                    (long long)occ[i].id, page_time(r, occ[i].starts_at), occ[i].place_name,
                    (long long)occ[i].n_signed, (long long)occ[i].capacity);
        if (strcmp(occ[i].status, "scheduled"))
            buf_puts(o, " <span class=\"badge\">已取消</span>");
        else if (occ[i].detached)
            buf_puts(o, " <span class=\"tag\">单独调整</span>");
        buf_puts(o, "</li>");
    }
    buf_puts(o, "</ul></section>\n");
}

static err_code series_page(req *r, int64_t id, const char *error, const char *notice, int status)
{
    struct series_view v;
    if (!store_series_get(r->db, r->a, r->me->account_id, id, &v)) return E_NOT_FOUND;
    const struct series_row *s = &v.s;
    page_begin(r, s->title);
    buf *o = &r->out;
    buf_hprintf(o,
                "<nav class=\"breadcrumbs\" aria-label=\"位置\"><a href=\"/activities\">活动</a> › "
                "%s</nav>\n",
                s->title);
    page_message(r, "error", error);
    page_message(r, "notice", notice);
    series_rule(r, s);
    series_occurrences(r, id);
    buf_puts(o, "<section class=\"card\"><h2>修改周期活动</h2>\n<p class=\"muted "
                "small\">只改尚未开始、且没有单独调整过的场次。</p>\n");
    buf_printf(o, "<form method=\"post\" action=\"/activity-series/%lld\">", (long long)id);
    page_csrf_field(r);
    common_fields(r, s->kind, s->title, s->place_code, s->station_id, s->capacity, s->description);
    field(r, "start_time", "开始时刻",
          arena_printf(r->a, "%02d:%02d", s->start_minute / 60, s->start_minute % 60),
          "type=\"time\" required");
    field(r, "duration_minutes", "时长（分钟）", arena_printf(r->a, "%d", s->duration_min),
          "inputmode=\"numeric\" required");
    buf_puts(o, "<button type=\"submit\" class=\"primary\">保存</button></form></section>\n");
    return page_end_status(r, status);
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
    err_code e = bind_series_update(r, &in);
    struct svc_result res = e ? bind_refused(r, e) : svc_series_update(r->db, r->a, r->me, id, &in);
    if (res.err == E_NOT_FOUND && !res.field) return E_NOT_FOUND;
    if (res.err == E_INTERNAL || res.err == E_UNAVAILABLE) return res.err;
    if (!res.err)
        return http_redirect(r, arena_printf(r->a, "/activity-series/%lld?saved=1", (long long)id));
    return series_page(r, id, res.message ? res.message : err_message_zh(res.err), NULL,
                       err_http_status(res.err));
}
ROUTE("POST", "/activity-series/{id}", page_series_update, CAP_SELF, R_PAGE, "activity_series",
      "修改周期活动");

static void count_cells(buf *o, const struct activity_counts *c)
{
    buf_printf(o,
               "<td class=\"num\">%lld</td><td class=\"num\">%lld</td><td class=\"num\">%lld</td>"
               "<td class=\"num\">%lld</td><td class=\"num\">%lld</td><td class=\"num\">%.1f</td>",
               (long long)c->events, (long long)c->cancelled, (long long)c->signups,
               (long long)c->checked_in, (long long)c->volunteers_served,
               (double)c->service_minutes / 60.0);
}

static void stats_table(req *r, const struct activity_stats *st)
{
    buf *o = &r->out;
    buf_puts(o, "<div class=\"table-wrap\"><table class=\"table\"><thead><tr><th>区划</th>"
                "<th class=\"num\">场次</th><th class=\"num\">取消</th><th class=\"num\">报名"
                "</th><th class=\"num\">签到</th><th class=\"num\">服务人次</th><th "
                "class=\"num\">服务时长（小时）</th></tr></thead><tbody>\n<tr><th>合计</th>");
    count_cells(o, &st->all);
    buf_puts(o, "</tr>\n");
    for (int i = 0; i < st->nchildren; i++) {
        buf_puts(o, "<tr><td><a href=\"/activities/stats?place=");
        buf_url(o, st->children[i].place_code);
        buf_puts(o, "&amp;from=");
        buf_url(o, st->from);
        buf_puts(o, "&amp;to=");
        buf_url(o, st->to);
        buf_hprintf(o, "\">%s</a></td>", st->children[i].name);
        count_cells(o, &st->children[i].c);
        buf_puts(o, "</tr>\n");
    }
    buf_puts(o, "</tbody></table></div>\n");
}

static err_code page_stats(req *r)
{
    const char *place = req_query(r, "place"), *from = req_query(r, "from"),
               *to = req_query(r, "to");
    struct activity_stats st;
    struct svc_result res = svc_activity_stats(r->db, r->a, r->me, place, from, to, &st);
    if (res.err == E_INTERNAL) return res.err;
    page_begin(r, "活动统计");
    buf *o = &r->out;
    buf_puts(o, "<form class=\"filters\" method=\"get\" action=\"/activities/stats\">");
    field(r, "place", "区划代码", res.err ? place : st.place_code, "inputmode=\"numeric\"");
    field(r, "from", "从", res.err ? from : st.from, "type=\"date\"");
    field(r, "to", "至", res.err ? to : st.to, "type=\"date\"");
    buf_puts(o, "<button type=\"submit\">查询</button></form>\n");
    if (res.err)
        page_message(r, "error", res.message ? res.message : err_message_zh(res.err));
    else
        stats_table(r, &st);
    return page_end(r);
}
ROUTE("GET", "/activities/stats", page_stats, CAP_ACTIVITIES_MANAGE, R_PAGE, NULL,
      "活动统计：场次、报名、签到、志愿服务时长");
