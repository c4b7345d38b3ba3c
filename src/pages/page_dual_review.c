/* 双评价 pages: the in-service members an account sees (as their community or
 * their work unit) with the year's figures and both evaluations and the CSV
 * export, and one member's page with the forms of the side(s) the account
 * may evaluate for. Desktop pages for staff and the units' liaison. The
 * evaluation form is read by the API's binder (http/bind_evaluation.c). */
#include <string.h>

#include "core/dual_review_rule.h"
#include "http/bind_evaluation.h"
#include "pages/layout.h"
#include "pages/ui.h"
#include "service/svc_dual_review.h"
#include "store/store_dual_review.h"

static const char *hours(arena *a, int64_t minutes)
{
    return arena_printf(a, "%lld.%lld", (long long)(minutes / 60),
                        (long long)(minutes % 60 * 10 / 60));
}

static const char *grade_zh(const char *grade)
{
    return grade ? dual_grade_zh(grade) : "未评价";
}

static const char *unit_of(const struct dual_member_row *m)
{
    return m->work_org_name ? m->work_org_name : m->work_unit;
}

static void year_field(req *r, int year)
{
    buf_printf(&r->out,
               "<label for=\"year\">年度</label><input id=\"year\" name=\"year\" "
               "inputmode=\"numeric\" size=\"5\" value=\"%d\">",
               year);
}

static void list_filters(req *r, const char *place, const char *org, int year)
{
    buf *o = &r->out;
    buf_puts(o, "<form class=\"filters\" method=\"get\" action=\"/dual-review\">");
    year_field(r, year);
    buf_hprintf(o,
                "<label for=\"place\">居住地区划代码</label><input id=\"place\" name=\"place\" "
                "inputmode=\"numeric\" value=\"%s\"><label for=\"org\">工作单位编号</label>"
                "<input id=\"org\" name=\"org\" inputmode=\"numeric\" size=\"6\" value=\"%s\">"
                "<button type=\"submit\">查询</button></form>\n",
                place, org);
    buf_printf(o, "<p><a class=\"button\" href=\"/api/v1/dual-reviews/export?year=%d", year);
    if (place && *place) {
        buf_puts(o, "&amp;place=");
        buf_url(o, place);
    }
    if (org && *org) {
        buf_puts(o, "&amp;org=");
        buf_url(o, org);
    }
    buf_puts(o, "\">导出CSV（供单位党组织）</a></p>\n");
}

static void member_row(req *r, const struct dual_member_row *m, int year)
{
    buf_hprintf(&r->out,
                "<tr><td><a href=\"/dual-review/%lld?year=%d\">%s</a></td><td>%s</td><td>%s</td>"
                "<td class=\"num\">%lld</td><td class=\"num\">%lld</td><td class=\"num\">%lld</td>"
                "<td class=\"num\">%s</td><td class=\"num\">%lld</td><td>%s</td><td>%s</td>"
                "</tr>\n",
                (long long)m->id, year, m->name, m->place_name, unit_of(m), (long long)m->orders,
                (long long)m->wishes, (long long)m->served, hours(r->a, m->service_minutes),
                (long long)m->points, grade_zh(m->community.grade), grade_zh(m->unit.grade));
}

static err_code page_dual_list(req *r)
{
    const char *place = req_query(r, "place"), *org = req_query(r, "org");
    struct dual_member_row *m = NULL;
    int year = 0, n = 0;
    struct svc_result res =
        svc_dual_list(r->db, r->a, r->me, place, org, req_query(r, "year"), 0, 201, &m, &n, &year);
    if (res.err == E_INTERNAL) return E_INTERNAL;
    page_begin(r, "在职党员双评价");
    buf *o = &r->out;
    if (res.err) {
        page_message(r, "error", res.message);
        return page_end(r);
    }
    list_filters(r, place, org, year);
    bool more = n > 200;
    if (more) n = 200;
    buf_puts(o, "<section class=\"card\"><h2>报到的在职党员</h2>\n");
    if (n == 0) {
        buf_puts(o, "<p class=\"muted\">您的范围内没有已报到的在职党员</p></section>\n");
        return page_end(r);
    }
    buf_puts(o, "<div class=\"table-wrap\"><table class=\"table\"><thead><tr><th>姓名</th>"
                "<th>居住地</th><th>工作单位</th><th class=\"num\">工单</th>"
                "<th class=\"num\">心愿</th><th class=\"num\">服务活动</th>"
                "<th class=\"num\">时长</th><th class=\"num\">积分</th><th>社区评价</th>"
                "<th>单位评价</th></tr></thead><tbody>\n");
    for (int i = 0; i < n; i++) member_row(r, &m[i], year);
    buf_puts(o, "</tbody></table></div>\n");
    if (more) buf_puts(o, "<p class=\"muted\">只显示前200人，请缩小范围或导出</p>");
    buf_puts(o, "</section>\n");
    return page_end(r);
}
ROUTE("GET", "/dual-review", page_dual_list, NULL, R_PAGE, NULL,
      "在职党员双评价：名单、年度表现与导出");

static void evaluate_form(req *r, const struct dual_member_row *m, int year, const char *side,
                          const struct dual_evaluation_row *e)
{
    buf *o = &r->out;
    buf_hprintf(o,
                "<form method=\"post\" action=\"/dual-review/%lld/evaluate\">"
                "<input type=\"hidden\" name=\"year\" value=\"%d\">"
                "<input type=\"hidden\" name=\"side\" value=\"%s\">",
                (long long)m->id, year, side);
    page_csrf_field(r);
    buf_hprintf(o,
                "<label for=\"grade-%s\">评价等次</label><select id=\"grade-%s\" "
                "name=\"grade\">",
                side, side);
    static const char *const ids[] = {"excellent", "competent", "basic", "incompetent"};
    for (int i = 0; i < 4; i++)
        buf_hprintf(o, "<option value=\"%s\"%s>%s</option>", ids[i],
                    e->grade && !strcmp(e->grade, ids[i]) ? " selected" : "",
                    dual_grade_zh(ids[i]));
    buf_hprintf(o,
                "</select><label for=\"comment-%s\">评语</label><textarea id=\"comment-%s\" "
                "name=\"comment\" maxlength=\"500\" rows=\"3\">%s</textarea>"
                "<button type=\"submit\" class=\"primary\">保存评价</button></form>\n",
                side, side, e->comment);
}

static void side_card(req *r, const struct dual_member_row *m, int year, const char *side,
                      const struct dual_evaluation_row *e, bool may)
{
    buf *o = &r->out;
    buf_hprintf(o, "<section class=\"card\"><h2>%s</h2><dl>", dual_side_zh(side));
    ui_row(o, "等次", grade_zh(e->grade));
    ui_row(o, "评语", e->comment);
    if (e->grade) {
        ui_row(o, "评价人", e->by);
        ui_row(o, "时间", page_time(r, e->at));
    }
    buf_puts(o, "</dl>\n");
    if (may) evaluate_form(r, m, year, side, e);
    buf_puts(o, "</section>\n");
}

static void record_cards(req *r, const struct dual_member_row *m, int year)
{
    buf *o = &r->out;
    buf_puts(o, "<section class=\"card\"><h2>基本情况</h2><dl>");
    ui_row(o, "姓名", m->name);
    ui_row(o, "居住地", m->place_name);
    ui_row(o, "工作单位", unit_of(m));
    ui_row(o, "报到日期", m->reported_at);
    ui_row(o, "报到社区", m->reported_community_name);
    buf_printf(o, "</dl></section>\n<section class=\"card\"><h2>%d年在社区的表现</h2><dl>", year);
    ui_row_n(o, "办理的工单（已办结）", m->orders);
    ui_row(o, "群众评价",
           arena_printf(r->a, "满意 %lld，基本满意 %lld，不满意 %lld",
                        (long long)m->rated_satisfied, (long long)m->rated_basic,
                        (long long)m->rated_unsatisfied));
    ui_row_n(o, "完成的微心愿", m->wishes);
    ui_row_n(o, "报名参加的活动", m->activities);
    ui_row_n(o, "服务的活动", m->served);
    ui_row(o, "志愿服务时长（小时）", hours(r->a, m->service_minutes));
    ui_row_n(o, "获得积分", m->points);
    buf_puts(o, "</dl></section>\n");
}

static err_code render(req *r, int64_t id, const char *year_s, const char *error,
                       const char *notice, int status)
{
    struct dual_member_row m;
    int year;
    struct svc_result res = svc_dual_record(r->db, r->a, r->me, id, year_s, &m, &year);
    if (res.err == E_BAD_INPUT) res = svc_dual_record(r->db, r->a, r->me, id, NULL, &m, &year);
    if (res.err) return res.err;
    page_begin(r, arena_printf(r->a, "%s %d年双评价", m.name, year));
    buf *o = &r->out;
    page_message(r, "error", error);
    page_message(r, "notice", notice);
    buf_printf(o, "<form class=\"filters\" method=\"get\" action=\"/dual-review/%lld\">",
               (long long)id);
    year_field(r, year);
    buf_puts(o, "<button type=\"submit\">查看</button></form>\n");
    record_cards(r, &m, year);
    side_card(r, &m, year, "community", &m.community, m.community_write);
    side_card(r, &m, year, "unit", &m.unit, m.unit_side);
    if (m.community_side || m.unit_side)
        buf_printf(o, "<p><a href=\"/dual-review?year=%d\">返回名单</a></p>\n", year);
    else /* the member's own record */
        buf_puts(o, "<p><a href=\"/points\">返回我的积分</a></p>\n");
    return page_end_status(r, status);
}

static err_code page_dual_one(req *r)
{
    int64_t id = req_id(r, "id");
    const char *done = req_query(r, "done");
    return render(r, id, req_query(r, "year"), NULL,
                  done && !strcmp(done, "1") ? "评价已保存" : NULL, 200);
}
ROUTE("GET", "/dual-review/{id}", page_dual_one, NULL, R_PAGE, "dual_review_member",
      "一名在职党员的双评价（社区评价与单位评价同页）");

static err_code page_dual_evaluate(req *r)
{
    int64_t id = req_id(r, "id");
    struct dual_evaluation_input in = {0};
    err_code e = bind_input(r, &dual_evaluate_bind, &in);
    struct svc_result res =
        e ? bind_refused(r, e)
          : svc_dual_evaluate(r->db, r->a, r->me, id, in.year, in.side, in.grade, in.comment);
    if (res.err == E_INTERNAL || res.err == E_UNAVAILABLE || res.err == E_NOT_FOUND) return res.err;
    if (res.err)
        return render(r, id, in.year, res.message ? res.message : err_message_zh(res.err), NULL,
                      err_http_status(res.err));
    struct dual_member_row m;
    int y;
    if (svc_dual_record(r->db, r->a, r->me, id, in.year, &m, &y).err) y = 0;
    return http_redirect(r,
                         arena_printf(r->a, "/dual-review/%lld?year=%d&done=1", (long long)id, y));
}
ROUTE("POST", "/dual-review/{id}/evaluate", page_dual_evaluate, NULL, R_PAGE, "dual_review_member",
      "保存社区评价或单位评价");
