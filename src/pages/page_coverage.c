/* 支部覆盖: /branches/coverage?place=CODE — the compound party-branch coverage
 * report under a place, per level: compounds, compounds covered, branches,
 * standalone (单独组建) and joint (联合组建), and the compounds the branch rule
 * (core/branch_rule.h) says are not yet organised as they should be; the
 * shape of 忻州's "2366 个小区、2057 个支部、其中单独组建 1680 个". Figures are
 * written out and drawn as bars in server-side SVG (no JavaScript). */
#include <string.h>

#include "core/branch_rule.h"
#include "core/roles.h"
#include "core/vocab.h"
#include "pages/layout.h"
#include "service/svc_orgs.h"
#include "store/store_accounts.h"
#include "store/store_places.h"

#define CHART_ROWS_MAX 40 /* more children than this: the table alone */

static void coverage_link(buf *o, const char *code, const char *name)
{
    buf_puts(o, "<a href=\"/branches/coverage?place=");
    buf_url(o, code);
    buf_puts(o, "\">");
    buf_html(o, name);
    buf_puts(o, "</a>");
}

static void kpi(buf *o, long v, const char *label)
{
    buf_printf(o, "<div><strong>%ld</strong><span>", v);
    buf_html(o, label);
    buf_puts(o, "</span></div>");
}

/* One bar: share of the whole, with the figure beside it. */
static void bar_figure(buf *o, const char *label, double pct, long part, long whole,
                       const char *part_label, const char *whole_label)
{
    double w = pct < 0 ? 0 : pct > 100 ? 400 : pct * 4;
    buf_puts(o, "<figure class=\"chart\"><h3>");
    buf_html(o, label);
    buf_printf(o, "</h3><svg viewBox=\"0 0 400 36\" width=\"400\" height=\"36\" role=\"img\" "
                  "aria-label=\"");
    buf_html(o, label);
    buf_printf(o,
               " %.1f%%\"><rect class=\"bar-alt\" x=\"0\" y=\"8\" width=\"400\" height=\"20\" "
               "rx=\"4\"></rect><rect class=\"bar\" x=\"0\" y=\"8\" width=\"%.1f\" height=\"20\" "
               "rx=\"4\"></rect></svg><figcaption class=\"chart-figure\"><strong>%.1f%%</strong>",
               pct, w, pct);
    buf_html(o, part_label);
    buf_printf(o, " %ld / ", part);
    buf_html(o, whole_label);
    buf_printf(o, " %ld</figcaption></figure>\n", whole);
}

/* Per child with compounds: compounds (grey) with the covered ones (red). */
static void rows_chart(buf *o, const struct coverage_report *rep)
{
    long max = 0;
    int n = 0;
    for (int i = 0; i < rep->nrows; i++) {
        if (rep->rows[i].cov.compounds > max) max = rep->rows[i].cov.compounds;
        n += rep->rows[i].cov.compounds > 0;
    }
    /* Compounds are one each: their bars would say nothing the table does not. */
    if (max <= 1 || n > CHART_ROWS_MAX || n < 2) return;
    int h = 26 * n + 8, y = 4;
    buf_printf(o,
               "<figure class=\"chart\"><h3>各下级小区覆盖</h3><svg viewBox=\"0 0 400 %d\" "
               "width=\"400\" height=\"%d\" role=\"img\" aria-label=\"各下级已覆盖小区与小区总数"
               "\">",
               h, h);
    for (int i = 0; i < rep->nrows; i++) {
        const struct coverage_row *c = &rep->rows[i];
        if (!c->cov.compounds) continue;
        double wt = 220.0 * (double)c->cov.compounds / (double)max;
        double wc = 220.0 * (double)c->cov.covered / (double)max;
        buf_printf(o, "<text class=\"label\" x=\"0\" y=\"%d\">", y + 15);
        buf_html(o, c->name);
        buf_printf(o,
                   "</text><rect class=\"bar-alt\" x=\"110\" y=\"%d\" width=\"%.1f\" "
                   "height=\"18\" rx=\"3\"></rect><rect class=\"bar\" x=\"110\" y=\"%d\" "
                   "width=\"%.1f\" height=\"18\" rx=\"3\"></rect><text class=\"value\" x=\"%.1f\" "
                   "y=\"%d\">%ld/%ld</text>",
                   y, wt, y, wc, 110 + wt + 6, y + 15, c->cov.covered, c->cov.compounds);
        y += 26;
    }
    buf_puts(o, "</svg><figcaption class=\"chart-figure\"><strong>");
    buf_printf(o, "%ld/%ld", rep->total.cov.covered, rep->total.cov.compounds);
    buf_puts(o, "</strong>红色为已覆盖小区，灰色为小区总数</figcaption></figure>\n");
}

/* A small inline bar for a table cell. */
static void cell_bar(buf *o, double pct)
{
    double w = pct < 0 ? 0 : pct > 100 ? 80 : pct * 0.8;
    buf_printf(o,
               "<svg width=\"80\" height=\"10\" viewBox=\"0 0 80 10\" aria-hidden=\"true\" "
               "style=\"max-width:none\">"
               "<rect width=\"80\" height=\"10\" rx=\"2\" fill=\"#e5e6eb\"></rect><rect "
               "width=\"%.1f\" height=\"10\" rx=\"2\" fill=\"#c8161d\"></rect></svg> %.1f%%",
               w, pct);
}

static void rows_table(req *r, const struct coverage_report *rep)
{
    buf *o = &r->out;
    bool compounds =
        rep->nrows > 0 && rep->rows[0].level && !strcmp(rep->rows[0].level, "compound");
    buf_puts(o,
             "<div class=\"table-wrap\"><table class=\"table\"><thead><tr><th>名称</th>"
             "<th class=\"num\">小区</th><th class=\"num\">已覆盖</th><th>覆盖率</th>"
             "<th class=\"num\">支部</th><th class=\"num\">单独组建</th><th class=\"num\">联合组建"
             "</th><th class=\"num\">党员</th>");
    if (compounds) buf_puts(o, "<th>按规则应</th>");
    buf_puts(o, "<th class=\"num\">≥3人未单独组建</th><th class=\"num\">&lt;3人未联合组建</th>"
                "</tr></thead><tbody>\n");
    for (int i = 0; i < rep->nrows; i++) {
        const struct coverage_row *c = &rep->rows[i];
        buf_puts(o, "<tr><td>");
        if (c->level && (!strcmp(c->level, "compound") || !strcmp(c->level, "building") ||
                         !strcmp(c->level, "unit") || !strcmp(c->level, "household"))) {
            buf_puts(o, "<a href=\"/places/");
            buf_url(o, c->code);
            buf_puts(o, "\">");
            buf_html(o, c->name);
            buf_puts(o, "</a>");
        } else
            coverage_link(o, c->code, c->name);
        buf_printf(o, "</td><td class=\"num\">%ld</td><td class=\"num\">%ld</td><td>",
                   c->cov.compounds, c->cov.covered);
        cell_bar(o, branch_coverage_percent(&c->cov));
        buf_printf(o,
                   "</td><td class=\"num\">%ld</td><td class=\"num\">%ld</td>"
                   "<td class=\"num\">%ld</td><td class=\"num\">%ld</td>",
                   c->cov.branches, c->cov.standalone, c->cov.joint, c->party_members);
        if (compounds) {
            buf_puts(o, "<td>");
            buf_html(o, branch_formation_zh(branch_rule_for((int)c->party_members)));
            buf_puts(o, "</td>");
        }
        buf_printf(o, "<td class=\"num\">%s%ld%s</td><td class=\"num\">%s%ld%s</td></tr>\n",
                   c->standalone_missing ? "<span class=\"badge\">" : "", c->standalone_missing,
                   c->standalone_missing ? "</span>" : "",
                   c->joint_missing ? "<span class=\"badge\">" : "", c->joint_missing,
                   c->joint_missing ? "</span>" : ""); /* trusted: literal markup */
    }
    const struct coverage_row *t = &rep->total;
    buf_printf(o,
               "<tr><td><strong>合计</strong></td><td class=\"num\"><strong>%ld</strong></td>"
               "<td class=\"num\"><strong>%ld</strong></td><td>",
               t->cov.compounds, t->cov.covered);
    cell_bar(o, branch_coverage_percent(&t->cov));
    buf_printf(o,
               "</td><td class=\"num\"><strong>%ld</strong></td><td class=\"num\"><strong>%ld"
               "</strong></td><td class=\"num\"><strong>%ld</strong></td><td class=\"num\">"
               "<strong>%ld</strong></td>%s<td class=\"num\"><strong>%ld</strong></td>"
               "<td class=\"num\"><strong>%ld</strong></td></tr>\n",
               t->cov.branches, t->cov.standalone, t->cov.joint, t->party_members,
               compounds ? "<td></td>" : "", t->standalone_missing,
               t->joint_missing); /* trusted: literal markup */
    buf_puts(o, "</tbody></table></div>\n");
}

static void proposals(req *r, const struct coverage_report *rep)
{
    buf *o = &r->out;
    buf_puts(o, "<section class=\"card\"><h2>联合组建建议</h2>\n");
    if (rep->ngroups == 0) {
        buf_puts(o, "<p class=\"muted\">没有需要联合组建的小区。</p></section>\n");
        return;
    }
    buf_printf(o,
               "<p class=\"muted\">党员不足%d人且尚无支部的小区，按相邻顺序与周边小区联合组建：</p>"
               "<ol>",
               BRANCH_MIN_MEMBERS);
    for (int g = 0; g < rep->ngroups; g++) {
        buf_puts(o, "<li>");
        for (int k = 0; k < rep->groups[g].ncompounds; k++) {
            if (k) buf_puts(o, "、");
            buf_html(o, rep->groups[g].names[k]);
        }
        buf_printf(o, " <span class=\"tag\">合计党员 %ld 人</span></li>", rep->groups[g].members);
    }
    buf_puts(o, "</ol></section>\n");
}

static err_code page_coverage(req *r)
{
    int64_t me = r->me->account_id;
    const char *place = req_query(r, "place");
    if (!place || !*place) {
        struct place *t;
        if (store_place_rows(r->a, store_place_tops(r->db, r->a, me, CAP_ORGS_READ), &t) < 1)
            return E_NOT_FOUND;
        place = t[0].code;
    }
    struct coverage_report rep;
    err_code e = svc_branch_coverage(r->db, r->a, me, place, &rep);
    if (e == E_NOT_FOUND) return http_fail(r, e, "place", "区划不存在或不在您的管辖范围内");
    if (e) return e;
    page_begin(r, "小区党支部覆盖");
    buf *o = &r->out;
    struct place_step *up;
    int n = store_place_path(r->db, r->a, me, CAP_ORGS_READ, place, &up);
    buf_puts(o, "<nav class=\"breadcrumbs\" aria-label=\"位置\">");
    for (int i = 0; i < n; i++) {
        if (up[i].in_scope)
            coverage_link(o, up[i].code, up[i].name);
        else
            buf_html(o, up[i].name);
        buf_puts(o, " › ");
    }
    buf_html(o, rep.total.name);
    buf_puts(o, "</nav>\n<form class=\"filters\" method=\"get\" action=\"/branches/coverage\">"
                "<label for=\"place\">区划代码</label><input id=\"place\" name=\"place\" "
                "inputmode=\"numeric\" value=\"");
    buf_html(o, place);
    buf_puts(o, "\"><button type=\"submit\">查看</button></form>\n");

    const struct coverage_row *t = &rep.total;
    buf_puts(o, "<p>");
    buf_html(o, t->name);
    buf_printf(o,
               "：共有小区 <strong>%ld</strong> 个，已覆盖 <strong>%ld</strong> 个；"
               "小区党支部 <strong>%ld</strong> 个，其中单独组建 <strong>%ld</strong> 个、"
               "联合组建 <strong>%ld</strong> 个。</p>\n",
               t->cov.compounds, t->cov.covered, t->cov.branches, t->cov.standalone, t->cov.joint);
    buf_puts(o, "<div class=\"kpi\">");
    kpi(o, t->cov.compounds, "小区");
    kpi(o, t->cov.covered, "已覆盖小区");
    kpi(o, t->cov.branches, "小区党支部");
    kpi(o, t->cov.standalone, "单独组建");
    kpi(o, t->cov.joint, "联合组建");
    kpi(o, t->standalone_missing, "党员≥3人未单独组建的小区");
    kpi(o, t->joint_missing, "党员不足3人未联合组建的小区");
    buf_puts(o, "</div>\n");
    bar_figure(o, "小区覆盖率", branch_coverage_percent(&t->cov), t->cov.covered, t->cov.compounds,
               "已覆盖", "小区");
    bar_figure(o, "单独组建占比", branch_coverage_standalone_percent(&t->cov), t->cov.standalone,
               t->cov.branches, "单独组建", "支部");
    rows_chart(o, &rep);
    if (rep.nrows > 0) {
        buf_puts(o, "<h2>逐级明细</h2>\n");
        rows_table(r, &rep);
    }
    if (!strcmp(t->level, "community")) proposals(r, &rep);
    buf_printf(
        o,
        "<p class=\"muted small\">规则：党员%d人以上的小区单独组建党支部，不足%d人的与周边小区"
        "联合组建。支部按其所在区划计入；未记录组建方式的支部，覆盖多个区划的按联合组建计。</p>\n",
        BRANCH_MIN_MEMBERS, BRANCH_MIN_MEMBERS);
    return page_end(r);
}
ROUTE("GET", "/branches/coverage", page_coverage, CAP_ORGS_READ, R_PAGE, NULL,
      "小区党支部覆盖情况（逐级统计与图表）");
