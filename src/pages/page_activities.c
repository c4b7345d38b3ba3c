/* 活动 for residents and volunteers, phone first: /activities (身边的活动),
 * /activities/mine (我的活动 and hours served), /activities/{id} (sign up,
 * withdraw, check in with the code) and the organiser's /activities/{id}/code,
 * whose code web/static/checkin.js refreshes from the API. Reads are scoped
 * in the store; writes go through svc_activities.c. */
#include "pages/page_activities.h"

#include <stdlib.h>
#include <string.h>

#include "core/activity_kind.h"
#include "core/recurrence.h"
#include "core/roles.h"
#include "http/bind.h"
#include "http/bind_activities.h"
#include "pages/layout.h"
#include "pages/ui.h"
#include "service/svc_activities.h"
#include "store/store_activities.h"
#include "util/clock.h"

const char *activity_local_input(req *r, int64_t t)
{
    char s[20];
    clock_format_local((time_t)t, s);
    s[10] = 'T';
    return arena_strdup(r->a, s);
}

static const char *status_zh(const char *st)
{
    return !strcmp(st, "signed") ? "已报名" : !strcmp(st, "waiting") ? "候补中" : "已取消报名";
}

/* One activity as a card in a list. */
static void activity_card(req *r, const struct activity_view *v)
{
    buf *o = &r->out;
    buf_hprintf(o,
                "<section class=\"card\"><h2><a href=\"/activities/%lld\">%s</a></h2>\n<p><span "
                "class=\"tag\">%s</span> %s · %s</p>\n<p class=\"muted small\">",
                (long long)v->id, v->title, activity_kind_zh(v->kind), page_time(r, v->starts_at),
                v->station_name ? v->station_name : v->place_name);
    if (!strcmp(v->status, "cancelled"))
        buf_puts(o, "已取消");
    else
        buf_printf(o, "已报名 %lld / %lld 人，候补 %lld 人", (long long)v->n_signed,
                   (long long)v->capacity, (long long)v->n_waiting);
    struct signup_row m;
    if (store_signup_of(r->db, r->a, v->id, r->me->account_id, &m) && strcmp(m.status, "cancelled"))
        buf_hprintf(o, " <span class=\"badge\">%s</span>", status_zh(m.status));
    buf_puts(o, "</p></section>\n");
}

/* The cards of a list, or `none` when it is empty. */
static void activity_cards(req *r, const struct activity_view *v, int n, const char *none)
{
    if (!n) buf_hprintf(&r->out, "<p class=\"muted\">%s</p>\n", none);
    for (int i = 0; i < n; i++) activity_card(r, &v[i]);
}

static void list_links(req *r)
{
    buf *o = &r->out;
    buf_puts(
        o, "<p><a href=\"/activities\">身边的活动</a> · <a href=\"/activities/mine\">我的活动</a>");
    if (principal_has_cap(r->me, CAP_ACTIVITIES_MANAGE))
        buf_puts(o, " · <a href=\"/activities/new\">发布活动</a> · <a "
                    "href=\"/activities/stats\">活动统计</a>");
    buf_puts(o, "</p>\n");
}

static err_code page_activities(req *r)
{
    struct civil_date today = china_date(clock_now());
    struct activity_filter f = {.from = china_time(today, 0), .by_start = 1, .limit = 50};
    const char *kind = req_query(r, "kind");
    if (kind && *kind) f.kind = activity_kind_parse(kind);
    int n = 0;
    struct activity_view *v = store_activities_list(r->db, r->a, r->me->account_id, &f, &n);
    if (!v) return E_INTERNAL;
    page_begin(r, "身边的活动");
    buf *o = &r->out;
    list_links(r);
    buf_puts(o, "<form class=\"filters\" method=\"get\" action=\"/activities\">");
    activity_kind_select(r, f.kind, true);
    buf_puts(o, "<button type=\"submit\">筛选</button></form>\n");
    activity_cards(r, v, n, "近期没有活动");
    return page_end(r);
}
ROUTE("GET", "/activities", page_activities, CAP_SELF, R_PAGE, NULL, "身边的活动");

static err_code page_my_activities(req *r)
{
    struct activity_filter f = {
        .mine = r->me->account_id, .include_cancelled = 1, .by_start = 1, .limit = 200};
    int n = 0;
    struct activity_view *v = store_activities_list(r->db, r->a, r->me->account_id, &f, &n);
    if (!v) return E_INTERNAL;
    page_begin(r, "我的活动");
    buf *o = &r->out;
    list_links(r);
    int64_t minutes = store_account_service_minutes(r->db, r->me->account_id);
    buf_printf(o, "<p>累计志愿服务时长：<strong>%lld.%lld</strong> 小时</p>\n",
               (long long)(minutes / 60), (long long)(minutes % 60 * 10 / 60));
    activity_cards(r, v, n, "还没有报名活动");
    return page_end(r);
}
ROUTE("GET", "/activities/mine", page_my_activities, CAP_SELF, R_PAGE, NULL,
      "我的活动与志愿服务时长");

void activity_kind_select(req *r, const char *selected, bool with_all)
{
    int n = 0;
    while (activity_kinds[n]) n++;
    const char *(*opts)[2] = arena_alloc(r->a, sizeof *opts * (size_t)(n + 2));
    int k = 0;
    if (with_all) opts[k][0] = "", opts[k++][1] = "全部";
    for (int i = 0; i < n; i++, k++)
        opts[k][0] = activity_kinds[i], opts[k][1] = activity_kind_zh(activity_kinds[i]);
    ui_select(&r->out, "kind", "类型", (const char *const(*)[2])opts, selected);
}

static void post_button(req *r, int64_t id, const char *action, const char *label, bool primary)
{
    ui_post_button(r, arena_printf(r->a, "/activities/%lld/%s", (long long)id, action), label,
                   primary);
}

/* The facts of an activity as a definition list. */
static void activity_facts(req *r, const struct activity_view *v)
{
    buf *o = &r->out;
    buf_puts(o, "<section class=\"card\"><dl>\n");
    ui_row(o, "类型", activity_kind_zh(v->kind));
    ui_row(o, "状态", !strcmp(v->status, "scheduled") ? "正常" : "已取消");
    ui_row(o, "开始", page_time(r, v->starts_at));
    ui_row(o, "结束", page_time(r, v->ends_at));
    ui_row(o, "地点", v->place_name);
    ui_row(o, "阵地", v->station_name);
    ui_row(o, "组织单位", v->org_name);
    ui_row(o, "组织者", v->organiser_name);
    ui_row(o, "名额",
           arena_printf(r->a, "%lld 人（已报名 %lld，候补 %lld，已签到 %lld）",
                        (long long)v->capacity, (long long)v->n_signed, (long long)v->n_waiting,
                        (long long)v->n_checked));
    ui_row(o, "介绍", v->description);
    if (v->series_id) {
        buf_puts(o, "<dt>周期活动</dt><dd>");
        if (store_series_get(r->db, r->a, r->me->account_id, v->series_id, NULL))
            buf_printf(o, "<a href=\"/activity-series/%lld\">查看全部场次</a>",
                       (long long)v->series_id);
        else
            buf_puts(o, "是");
        buf_puts(o, v->detached ? "（本场已单独调整）" : "");
        buf_puts(o, "</dd>\n");
    }
    buf_puts(o, "</dl></section>\n");
}

/* 我的报名: the viewer's participation and what they may do next. */
static void my_participation(req *r, const struct activity_view *v)
{
    buf *o = &r->out;
    bool scheduled = !strcmp(v->status, "scheduled");
    time_t now = clock_now();
    buf_puts(o, "<section class=\"card\"><h2>我的报名</h2>\n");
    struct signup_row m = {.status = "cancelled"};
    store_signup_of(r->db, r->a, v->id, r->me->account_id, &m);
    if (strcmp(m.status, "cancelled")) {
        buf_hprintf(o, "<p>%s", status_zh(m.status));
        if (m.checked_in) buf_puts(o, "，已签到");
        if (m.served) buf_printf(o, "，志愿服务 %.1f 小时", (double)m.service_minutes / 60.0);
        buf_puts(o, "</p>\n");
    } else
        buf_puts(o, "<p class=\"muted\">未报名</p>\n");
    if (scheduled && now < v->starts_at) {
        if (!strcmp(m.status, "cancelled"))
            post_button(r, v->id, "signup",
                        v->n_signed < v->capacity ? "报名" : "名额已满，加入候补", true);
        else
            post_button(r, v->id, "withdraw", "取消报名", false);
    }
    bool may_check_in =
        scheduled && !strcmp(m.status, "signed") && !m.checked_in && now <= v->ends_at;
    if (may_check_in && m.checkin_failures >= CHECKIN_TRIES_MAX)
        buf_puts(o, "<p class=\"muted\">签到码输错次数过多，请找活动组织者为您签到</p>\n");
    else if (may_check_in) {
        buf_printf(o, "<form method=\"post\" action=\"/activities/%lld/checkin\">",
                   (long long)v->id);
        page_csrf_field(r);
        buf_puts(o, "<label for=\"code\">签到码（看组织者手机）</label><input id=\"code\" "
                    "name=\"code\" inputmode=\"numeric\" autocomplete=\"off\" maxlength=\"6\" "
                    "pattern=\"[0-9]{6}\" required><button type=\"submit\" "
                    "class=\"primary\">签到</button></form>\n");
    }
    buf_puts(o, "</section>\n");
}

err_code activity_page(req *r, int64_t id, const char *error, const char *notice, int status)
{
    struct activity_view v;
    if (!store_activity_get(r->db, r->a, r->me->account_id, id, &v)) return E_NOT_FOUND;
    page_begin(r, v.title);
    buf_hprintf(&r->out,
                "<nav class=\"breadcrumbs\" aria-label=\"位置\"><a href=\"/activities\">活动</a> › "
                "%s</nav>\n",
                v.title);
    page_message(r, "error", error);
    page_message(r, "notice", notice);
    activity_facts(r, &v);
    my_participation(r, &v);
    if (store_activity_manageable(r->db, r->me->account_id, id)) activity_staff_sections(r, &v);
    return page_end_status(r, status);
}

static const char *done_zh(const char *done)
{
    static const struct {
        const char *key, *zh;
    } msgs[] = {{"signup", "已提交报名"},      {"withdraw", "已取消报名"},
                {"checkin", "签到成功"},       {"manual_checkin", "已为参与者签到"},
                {"saved", "已保存"},           {"cancel", "活动已取消，已通知报名的人"},
                {"service", "已登记服务时长"}, {"created", "活动已发布"}};
    for (size_t i = 0; done && i < sizeof msgs / sizeof msgs[0]; i++)
        if (!strcmp(done, msgs[i].key)) return msgs[i].zh;
    return NULL;
}

static err_code page_activity(req *r)
{
    int64_t id = req_id(r, "id");
    return activity_page(r, id, NULL, done_zh(req_query(r, "done")), 200);
}
ROUTE("GET", "/activities/{id}", page_activity, CAP_SELF, R_PAGE, "activity",
      "活动详情：报名、候补、签到");

err_code activity_after_form(req *r, int64_t id, struct svc_result res, const char *done)
{
    if (res.err == E_NOT_FOUND && !res.field) return E_NOT_FOUND;
    if (res.err == E_INTERNAL || res.err == E_UNAVAILABLE) return res.err;
    if (!res.err)
        return http_redirect(r,
                             arena_printf(r->a, "/activities/%lld?done=%s", (long long)id, done));
    return activity_page(r, id, res.message ? res.message : err_message_zh(res.err), NULL,
                         err_http_status(res.err));
}

static err_code page_signup(req *r)
{
    int64_t id = req_id(r, "id");
    return activity_after_form(r, id, svc_signup(r->db, r->a, r->me, id), "signup");
}
ROUTE("POST", "/activities/{id}/signup", page_signup, CAP_SELF, R_PAGE, "activity", "报名活动");

static err_code page_withdraw(req *r)
{
    int64_t id = req_id(r, "id");
    return activity_after_form(r, id, svc_signup_cancel(r->db, r->a, r->me, id), "withdraw");
}
ROUTE("POST", "/activities/{id}/withdraw", page_withdraw, CAP_SELF, R_PAGE, "activity", "取消报名");

static err_code page_checkin(req *r)
{
    int64_t id = req_id(r, "id");
    struct checkin_input in;
    err_code e = bind_checkin(r, &in);
    return activity_after_form(
        r, id, e ? bind_refused(r, e) : svc_checkin(r->db, r->a, r->me, id, in.code), "checkin");
}
ROUTE("POST", "/activities/{id}/checkin", page_checkin, CAP_SELF, R_PAGE, "activity", "现场签到");

static err_code page_code(req *r)
{
    int64_t id = req_id(r, "id");
    struct activity_view v;
    if (!store_activity_get(r->db, r->a, r->me->account_id, id, &v) ||
        !store_activity_manageable(r->db, r->me->account_id, id))
        return E_NOT_FOUND;
    char code[7] = "";
    time_t changes = 0;
    struct svc_result res = svc_activity_code(r->db, r->a, r->me, id, code, &changes);
    if (res.err == E_INTERNAL) return res.err;
    page_begin(r, "签到码");
    buf *o = &r->out;
    buf_hprintf(
        o,
        "<nav class=\"breadcrumbs\" aria-label=\"位置\"><a href=\"/activities/%lld\">%s</a> › "
        "签到码</nav>\n",
        (long long)id, v.title);
    buf_printf(o, "<section class=\"card\" id=\"checkin-code\" data-activity=\"%lld\">\n",
               (long long)id);
    if (res.err) {
        page_message(r, "error", res.message);
        buf_puts(o, "<p class=\"value\" data-code hidden></p>\n");
    } else
        buf_hprintf(o, "<p class=\"value\" data-code>%s</p>\n", code);
    buf_puts(
        o,
        "<p class=\"muted small\" data-status>签到码每30秒更换，请参与者在自己手机的活动页面输入。"
        "</p>\n</section>\n<script src=\"/static/checkin.js\" defer></script>\n");
    return page_end(r);
}
ROUTE("GET", "/activities/{id}/code", page_code, CAP_SELF, R_PAGE, "activity",
      "组织者手机上的签到码（自动刷新）");
