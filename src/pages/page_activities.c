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
#include "pages/layout.h"
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
static void activity_card(req *r, const db_rows *s, int i)
{
    buf *o = &r->out;
    buf_puts(o, "<section class=\"card\"><h2><a href=\"/activities/");
    buf_html(o, db_get(s, i, AC_ID));
    buf_puts(o, "\">");
    buf_html(o, db_get(s, i, AC_TITLE));
    buf_puts(o, "</a></h2>\n<p><span class=\"tag\">");
    buf_html(o, activity_kind_zh(db_get(s, i, AC_KIND)));
    buf_puts(o, "</span> ");
    buf_html(o, page_time(r, db_get_int(s, i, AC_STARTS)));
    buf_puts(o, " · ");
    buf_html(o, db_get(s, i, AC_STATION_NAME) ? db_get(s, i, AC_STATION_NAME)
                                              : db_get(s, i, AC_PLACE_NAME));
    buf_puts(o, "</p>\n<p class=\"muted small\">");
    if (!strcmp(db_get(s, i, AC_STATUS), "cancelled"))
        buf_puts(o, "已取消");
    else
        buf_printf(
            o, "已报名 %lld / %lld 人，候补 %lld 人", (long long)db_get_int(s, i, AC_N_SIGNED),
            (long long)db_get_int(s, i, AC_CAPACITY), (long long)db_get_int(s, i, AC_N_WAITING));
    db_rows *m = store_signup_of(r->db, r->a, db_get_int(s, i, AC_ID), r->me->account_id);
    if (m && strcmp(db_get(m, 0, SU_STATUS), "cancelled")) {
        buf_puts(o, " <span class=\"badge\">");
        buf_html(o, status_zh(db_get(m, 0, SU_STATUS)));
        buf_puts(o, "</span>");
    }
    buf_puts(o, "</p></section>\n");
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
    db_rows *s = store_activities_list(r->db, r->a, r->me->account_id, &f);
    if (!s) return E_INTERNAL;
    page_begin(r, "身边的活动");
    buf *o = &r->out;
    list_links(r);
    buf_puts(o, "<form class=\"filters\" method=\"get\" action=\"/activities\"><label "
                "for=\"kind\">类型</label><select id=\"kind\" name=\"kind\"><option "
                "value=\"\">全部</option>");
    for (int i = 0; activity_kinds[i]; i++) {
        buf_printf(o, "<option value=\"%s\"%s>", activity_kinds[i],
                   f.kind && !strcmp(f.kind, activity_kinds[i]) ? " selected" : "");
        buf_html(o, activity_kind_zh(activity_kinds[i]));
        buf_puts(o, "</option>");
    }
    buf_puts(o, "</select><button type=\"submit\">筛选</button></form>\n");
    if (!s->nrows) buf_puts(o, "<p class=\"muted\">近期没有活动</p>\n");
    for (int i = 0; i < s->nrows; i++) activity_card(r, s, i);
    return page_end(r);
}
ROUTE("GET", "/activities", page_activities, CAP_SELF, R_PAGE, NULL, "身边的活动");

static err_code page_my_activities(req *r)
{
    struct activity_filter f = {
        .mine = r->me->account_id, .include_cancelled = 1, .by_start = 1, .limit = 200};
    db_rows *s = store_activities_list(r->db, r->a, r->me->account_id, &f);
    if (!s) return E_INTERNAL;
    page_begin(r, "我的活动");
    buf *o = &r->out;
    list_links(r);
    int64_t minutes = store_account_service_minutes(r->db, r->me->account_id);
    buf_printf(o, "<p>累计志愿服务时长：<strong>%lld.%lld</strong> 小时</p>\n",
               (long long)(minutes / 60), (long long)(minutes % 60 * 10 / 60));
    if (!s->nrows) buf_puts(o, "<p class=\"muted\">还没有报名活动</p>\n");
    for (int i = 0; i < s->nrows; i++) activity_card(r, s, i);
    return page_end(r);
}
ROUTE("GET", "/activities/mine", page_my_activities, CAP_SELF, R_PAGE, NULL,
      "我的活动与志愿服务时长");

static void row(buf *o, const char *label, const char *v)
{
    buf_puts(o, "<dt>");
    buf_html(o, label);
    buf_puts(o, "</dt><dd>");
    buf_html(o, v && *v ? v : "—");
    buf_puts(o, "</dd>\n");
}

static void post_button(req *r, int64_t id, const char *action, const char *label, bool primary)
{
    buf *o = &r->out;
    buf_printf(o, "<form class=\"inline\" method=\"post\" action=\"/activities/%lld/%s\">",
               (long long)id, action);
    page_csrf_field(r);
    buf_printf(o, "<button type=\"submit\"%s>", primary ? " class=\"primary\"" : "");
    buf_html(o, label);
    buf_puts(o, "</button></form>\n");
}

err_code activity_page(req *r, int64_t id, const char *error, const char *notice, int status)
{
    db_rows *s = store_activity_get(r->db, r->a, r->me->account_id, id);
    if (!s) return E_NOT_FOUND;
    const char *title = db_get(s, 0, AC_TITLE);
    bool scheduled = !strcmp(db_get(s, 0, AC_STATUS), "scheduled");
    int64_t starts = db_get_int(s, 0, AC_STARTS), ends = db_get_int(s, 0, AC_ENDS);
    time_t now = clock_now();
    page_begin(r, title);
    buf *o = &r->out;
    buf_puts(o,
             "<nav class=\"breadcrumbs\" aria-label=\"位置\"><a href=\"/activities\">活动</a> › ");
    buf_html(o, title);
    buf_puts(o, "</nav>\n");
    page_message(r, "error", error);
    page_message(r, "notice", notice);
    buf_puts(o, "<section class=\"card\"><dl>\n");
    row(o, "类型", activity_kind_zh(db_get(s, 0, AC_KIND)));
    row(o, "状态", scheduled ? "正常" : "已取消");
    row(o, "开始", page_time(r, starts));
    row(o, "结束", page_time(r, ends));
    row(o, "地点", db_get(s, 0, AC_PLACE_NAME));
    row(o, "阵地", db_get(s, 0, AC_STATION_NAME));
    row(o, "组织单位", db_get(s, 0, AC_ORG_NAME));
    row(o, "组织者", db_get(s, 0, AC_ORGANISER_NAME));
    row(o, "名额",
        arena_printf(
            r->a, "%lld 人（已报名 %lld，候补 %lld，已签到 %lld）",
            (long long)db_get_int(s, 0, AC_CAPACITY), (long long)db_get_int(s, 0, AC_N_SIGNED),
            (long long)db_get_int(s, 0, AC_N_WAITING), (long long)db_get_int(s, 0, AC_N_CHECKED)));
    row(o, "介绍", db_get(s, 0, AC_DESCRIPTION));
    if (db_get(s, 0, AC_SERIES)) {
        buf_puts(o, "<dt>周期活动</dt><dd>");
        if (store_series_get(r->db, r->a, r->me->account_id, db_get_int(s, 0, AC_SERIES))) {
            buf_puts(o, "<a href=\"/activity-series/");
            buf_html(o, db_get(s, 0, AC_SERIES));
            buf_puts(o, "\">查看全部场次</a>");
        } else
            buf_puts(o, "是");
        buf_puts(o, db_get_int(s, 0, AC_DETACHED) ? "（本场已单独调整）" : "");
        buf_puts(o, "</dd>\n");
    }
    buf_puts(o, "</dl></section>\n<section class=\"card\"><h2>我的报名</h2>\n");
    db_rows *m = store_signup_of(r->db, r->a, id, r->me->account_id);
    const char *st = m ? db_get(m, 0, SU_STATUS) : "cancelled";
    if (strcmp(st, "cancelled")) {
        buf_puts(o, "<p>");
        buf_html(o, status_zh(st));
        if (db_get(m, 0, SU_CHECKED)) buf_puts(o, "，已签到");
        if (db_get_int(m, 0, SU_SERVED))
            buf_printf(o, "，志愿服务 %.1f 小时", (double)db_get_int(m, 0, SU_MINUTES) / 60.0);
        buf_puts(o, "</p>\n");
    } else
        buf_puts(o, "<p class=\"muted\">未报名</p>\n");
    if (scheduled && now < starts) {
        if (!strcmp(st, "cancelled"))
            post_button(r, id, "signup",
                        db_get_int(s, 0, AC_N_SIGNED) < db_get_int(s, 0, AC_CAPACITY)
                            ? "报名"
                            : "名额已满，加入候补",
                        true);
        else
            post_button(r, id, "withdraw", "取消报名", false);
    }
    if (scheduled && !strcmp(st, "signed") && !db_get(m, 0, SU_CHECKED) && now <= ends &&
        db_get_int(m, 0, SU_FAILURES) >= CHECKIN_TRIES_MAX)
        buf_puts(o, "<p class=\"muted\">签到码输错次数过多，请找活动组织者为您签到</p>\n");
    else if (scheduled && !strcmp(st, "signed") && !db_get(m, 0, SU_CHECKED) && now <= ends) {
        buf_printf(o, "<form method=\"post\" action=\"/activities/%lld/checkin\">", (long long)id);
        page_csrf_field(r);
        buf_puts(o, "<label for=\"code\">签到码（看组织者手机）</label><input id=\"code\" "
                    "name=\"code\" inputmode=\"numeric\" autocomplete=\"off\" maxlength=\"6\" "
                    "pattern=\"[0-9]{6}\" required><button type=\"submit\" "
                    "class=\"primary\">签到</button></form>\n");
    }
    buf_puts(o, "</section>\n");
    if (store_activity_manageable(r->db, r->me->account_id, id)) activity_staff_sections(r, s);
    err_code e = page_end(r);
    r->status = status;
    return e;
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
    return activity_after_form(r, id, svc_checkin(r->db, r->a, r->me, id, req_form(r, "code")),
                               "checkin");
}
ROUTE("POST", "/activities/{id}/checkin", page_checkin, CAP_SELF, R_PAGE, "activity", "现场签到");

static err_code page_code(req *r)
{
    int64_t id = req_id(r, "id");
    db_rows *s = store_activity_get(r->db, r->a, r->me->account_id, id);
    if (!s || !store_activity_manageable(r->db, r->me->account_id, id)) return E_NOT_FOUND;
    char code[7] = "";
    time_t changes = 0;
    struct svc_result res = svc_activity_code(r->db, r->a, r->me, id, code, &changes);
    if (res.err == E_INTERNAL) return res.err;
    page_begin(r, "签到码");
    buf *o = &r->out;
    buf_puts(o, "<nav class=\"breadcrumbs\" aria-label=\"位置\"><a href=\"/activities/");
    buf_printf(o, "%lld\">", (long long)id);
    buf_html(o, db_get(s, 0, AC_TITLE));
    buf_puts(o, "</a> › 签到码</nav>\n");
    buf_printf(o, "<section class=\"card\" id=\"checkin-code\" data-activity=\"%lld\">\n",
               (long long)id);
    if (res.err) {
        page_message(r, "error", res.message);
        buf_puts(o, "<p class=\"value\" data-code hidden></p>\n");
    } else
        buf_printf(o, "<p class=\"value\" data-code>%s</p>\n", code);
    buf_puts(
        o,
        "<p class=\"muted small\" data-status>签到码每30秒更换，请参与者在自己手机的活动页面输入。"
        "</p>\n</section>\n<script src=\"/static/checkin.js\" defer></script>\n");
    return page_end(r);
}
ROUTE("GET", "/activities/{id}/code", page_code, CAP_SELF, R_PAGE, "activity",
      "组织者手机上的签到码（自动刷新）");
