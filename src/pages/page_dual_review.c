/* 双评价 pages: the in-service members an account sees (as their community or
 * their work unit) with the year's figures and both evaluations and the CSV
 * export, and one member's page with the forms of the side(s) the account
 * may evaluate for. Desktop pages for staff and the units' liaison. */
#include <string.h>

#include "core/dual_review_rule.h"
#include "pages/layout.h"
#include "service/svc_dual_review.h"
#include "store/store_dual_review.h"

static void hours(buf *o, int64_t minutes)
{
    buf_printf(o, "%lld.%lld", (long long)(minutes / 60), (long long)(minutes % 60 * 10 / 60));
}

static void grade_cell(buf *o, const char *grade)
{
    buf_html(o, grade ? dual_grade_zh(grade) : "未评价");
}

static void year_field(req *r, int year)
{
    buf_printf(&r->out,
               "<label for=\"year\">年度</label><input id=\"year\" name=\"year\" "
               "inputmode=\"numeric\" size=\"5\" value=\"%d\">",
               year);
}

static err_code page_dual_list(req *r)
{
    const char *place = req_query(r, "place"), *org = req_query(r, "org");
    db_rows *m = NULL;
    int year = 0;
    struct svc_result res =
        svc_dual_list(r->db, r->a, r->me, place, org, req_query(r, "year"), 0, 201, &m, &year);
    if (res.err == E_INTERNAL) return E_INTERNAL;
    page_begin(r, "在职党员双评价");
    buf *o = &r->out;
    if (res.err) {
        page_message(r, "error", res.message);
        return page_end(r);
    }
    buf_puts(o, "<form class=\"filters\" method=\"get\" action=\"/dual-review\">");
    year_field(r, year);
    buf_puts(o, "<label for=\"place\">居住地区划代码</label><input id=\"place\" name=\"place\" "
                "inputmode=\"numeric\" value=\"");
    buf_html(o, place);
    buf_puts(o, "\"><label for=\"org\">工作单位编号</label><input id=\"org\" name=\"org\" "
                "inputmode=\"numeric\" size=\"6\" value=\"");
    buf_html(o, org);
    buf_puts(o, "\"><button type=\"submit\">查询</button></form>\n");
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
    int n = m->nrows > 200 ? 200 : m->nrows;
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
    for (int i = 0; i < n; i++) {
        buf_printf(o, "<tr><td><a href=\"/dual-review/%s?year=%d\">", db_get(m, i, DM_ID), year);
        buf_html(o, db_get(m, i, DM_NAME));
        buf_puts(o, "</a></td><td>");
        buf_html(o, db_get(m, i, DM_PLACE_NAME));
        buf_puts(o, "</td><td>");
        buf_html(o, db_get(m, i, DM_WORK_ORG_NAME) ? db_get(m, i, DM_WORK_ORG_NAME)
                                                   : db_get(m, i, DM_WORK_UNIT));
        buf_printf(o,
                   "</td><td class=\"num\">%lld</td><td class=\"num\">%lld</td>"
                   "<td class=\"num\">%lld</td><td class=\"num\">",
                   (long long)db_get_int(m, i, DM_ORDERS), (long long)db_get_int(m, i, DM_WISHES),
                   (long long)db_get_int(m, i, DM_SERVED));
        hours(o, db_get_int(m, i, DM_SERVICE_MINUTES));
        buf_printf(o, "</td><td class=\"num\">%lld</td><td>",
                   (long long)db_get_int(m, i, DM_POINTS));
        grade_cell(o, db_get(m, i, DM_C_GRADE));
        buf_puts(o, "</td><td>");
        grade_cell(o, db_get(m, i, DM_U_GRADE));
        buf_puts(o, "</td></tr>\n");
    }
    buf_puts(o, "</tbody></table></div>\n");
    if (m->nrows > 200) buf_puts(o, "<p class=\"muted\">只显示前200人，请缩小范围或导出</p>");
    buf_puts(o, "</section>\n");
    return page_end(r);
}
ROUTE("GET", "/dual-review", page_dual_list, NULL, R_PAGE, NULL,
      "在职党员双评价：名单、年度表现与导出");

static void row(buf *o, const char *k, const char *v)
{
    buf_puts(o, "<dt>");
    buf_html(o, k);
    buf_puts(o, "</dt><dd>");
    buf_html(o, v && *v ? v : "—");
    buf_puts(o, "</dd>");
}

static void row_n(buf *o, const char *k, int64_t v)
{
    buf_puts(o, "<dt>");
    buf_html(o, k);
    buf_printf(o, "</dt><dd>%lld</dd>", (long long)v);
}

static void side_card(req *r, const db_rows *m, int year, const char *side, int grade, int comment,
                      int by, int at, bool may)
{
    buf *o = &r->out;
    buf_puts(o, "<section class=\"card\"><h2>");
    buf_html(o, dual_side_zh(side));
    buf_puts(o, "</h2><dl>");
    row(o, "等次", db_get(m, 0, grade) ? dual_grade_zh(db_get(m, 0, grade)) : "未评价");
    row(o, "评语", db_get(m, 0, comment));
    if (db_get(m, 0, grade)) {
        row(o, "评价人", db_get(m, 0, by));
        row(o, "时间", page_time(r, db_get_int(m, 0, at)));
    }
    buf_puts(o, "</dl>\n");
    if (may) {
        buf_printf(o,
                   "<form method=\"post\" action=\"/dual-review/%s/evaluate\">"
                   "<input type=\"hidden\" name=\"year\" value=\"%d\">"
                   "<input type=\"hidden\" name=\"side\" value=\"%s\">",
                   db_get(m, 0, DM_ID), year, side);
        page_csrf_field(r);
        buf_printf(o,
                   "<label for=\"grade-%s\">评价等次</label><select id=\"grade-%s\" "
                   "name=\"grade\">",
                   side, side);
        static const char *const ids[] = {"excellent", "competent", "basic", "incompetent"};
        for (int i = 0; i < 4; i++) {
            buf_printf(o, "<option value=\"%s\"%s>", ids[i],
                       db_get(m, 0, grade) && !strcmp(db_get(m, 0, grade), ids[i]) ? " selected"
                                                                                   : "");
            buf_html(o, dual_grade_zh(ids[i]));
            buf_puts(o, "</option>");
        }
        buf_printf(o,
                   "</select><label for=\"comment-%s\">评语</label><textarea id=\"comment-%s\" "
                   "name=\"comment\" maxlength=\"500\" rows=\"3\">",
                   side, side);
        buf_html(o, db_get(m, 0, comment));
        buf_puts(o, "</textarea><button type=\"submit\" class=\"primary\">保存评价</button>"
                    "</form>\n");
    }
    buf_puts(o, "</section>\n");
}

static err_code render(req *r, int64_t id, const char *year_s, const char *error,
                       const char *notice, int status)
{
    db_rows *m;
    int year;
    struct svc_result res = svc_dual_record(r->db, r->a, r->me, id, year_s, &m, &year);
    if (res.err == E_BAD_INPUT) res = svc_dual_record(r->db, r->a, r->me, id, NULL, &m, &year);
    if (res.err) return res.err;
    page_begin(r, arena_printf(r->a, "%s %d年双评价", db_get(m, 0, DM_NAME), year));
    buf *o = &r->out;
    page_message(r, "error", error);
    page_message(r, "notice", notice);
    buf_printf(o, "<form class=\"filters\" method=\"get\" action=\"/dual-review/%lld\">",
               (long long)id);
    year_field(r, year);
    buf_puts(o, "<button type=\"submit\">查看</button></form>\n");
    buf_puts(o, "<section class=\"card\"><h2>基本情况</h2><dl>");
    row(o, "姓名", db_get(m, 0, DM_NAME));
    row(o, "居住地", db_get(m, 0, DM_PLACE_NAME));
    row(o, "工作单位",
        db_get(m, 0, DM_WORK_ORG_NAME) ? db_get(m, 0, DM_WORK_ORG_NAME)
                                       : db_get(m, 0, DM_WORK_UNIT));
    row(o, "报到日期", db_get(m, 0, DM_REPORTED_AT));
    row(o, "报到社区", db_get(m, 0, DM_REPORTED_COMMUNITY_NAME));
    buf_printf(o, "</dl></section>\n<section class=\"card\"><h2>%d年在社区的表现</h2><dl>", year);
    row_n(o, "办理的工单（已办结）", db_get_int(m, 0, DM_ORDERS));
    row(o, "群众评价",
        arena_printf(r->a, "满意 %lld，基本满意 %lld，不满意 %lld",
                     (long long)db_get_int(m, 0, DM_RATED_SATISFIED),
                     (long long)db_get_int(m, 0, DM_RATED_BASIC),
                     (long long)db_get_int(m, 0, DM_RATED_UNSATISFIED)));
    row_n(o, "完成的微心愿", db_get_int(m, 0, DM_WISHES));
    row_n(o, "报名参加的活动", db_get_int(m, 0, DM_ACTIVITIES));
    row_n(o, "服务的活动", db_get_int(m, 0, DM_SERVED));
    buf_puts(o, "<dt>志愿服务时长（小时）</dt><dd>");
    hours(o, db_get_int(m, 0, DM_SERVICE_MINUTES));
    buf_puts(o, "</dd>");
    row_n(o, "获得积分", db_get_int(m, 0, DM_POINTS));
    buf_puts(o, "</dl></section>\n");
    side_card(r, m, year, "community", DM_C_GRADE, DM_C_COMMENT, DM_C_BY, DM_C_AT,
              db_get_int(m, 0, DM_COMMUNITY_WRITE));
    side_card(r, m, year, "unit", DM_U_GRADE, DM_U_COMMENT, DM_U_BY, DM_U_AT,
              db_get_int(m, 0, DM_UNIT_SIDE));
    if (db_get_int(m, 0, DM_COMMUNITY_SIDE) || db_get_int(m, 0, DM_UNIT_SIDE))
        buf_printf(o, "<p><a href=\"/dual-review?year=%d\">返回名单</a></p>\n", year);
    else /* the member's own record */
        buf_puts(o, "<p><a href=\"/points\">返回我的积分</a></p>\n");
    err_code e = page_end(r);
    r->status = status;
    return e;
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
    const char *year = req_form(r, "year");
    struct svc_result res = svc_dual_evaluate(r->db, r->a, r->me, id, year, req_form(r, "side"),
                                              req_form(r, "grade"), req_form(r, "comment"));
    if (res.err == E_INTERNAL || res.err == E_UNAVAILABLE || res.err == E_NOT_FOUND) return res.err;
    if (res.err)
        return render(r, id, year, res.message ? res.message : err_message_zh(res.err), NULL,
                      err_http_status(res.err));
    db_rows *m;
    int y;
    if (svc_dual_record(r->db, r->a, r->me, id, year, &m, &y).err) y = 0;
    return http_redirect(r,
                         arena_printf(r->a, "/dual-review/%lld?year=%d&done=1", (long long)id, y));
}
ROUTE("POST", "/dual-review/{id}/evaluate", page_dual_evaluate, NULL, R_PAGE, "dual_review_member",
      "保存社区评价或单位评价");
