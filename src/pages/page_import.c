/* 导入与导出: /import — the template, the upload form (检查 = dry run, 导入 =
 * real run), the error report as a table, and links to the exports. The work
 * is in src/io/people_import.c and people_export.c. */
#include <string.h>

#include "core/roles.h"
#include "io/people_import.h"
#include "pages/layout.h"

enum { SHOWN_ERRORS = 1000 }; /* a page of 50 000 error rows helps nobody */

static void template_card(req *r)
{
    buf *o = &r->out;
    buf_puts(
        o,
        "<section class=\"card\"><h2>1. 下载模板</h2>\n"
        "<p><a href=\"/static/people-template.csv\" download>下载人员导入模板"
        "（people-template.csv）</a></p>\n"
        "<ul class=\"muted\">"
        "<li>必填：姓名、所在地代码（户、楼栋、小区或社区的代码）。</li>"
        "<li>填写身份证号时会检查校验位、省份和出生日期，性别与出生日期可不填。</li>"
        "<li>"
        "党员类别：居民党员、离退休党员、在职党员、流动党员；在职党员可填工作单位和报到日期（双报到"
        "）。</li>"
        "<li>特长用逗号分隔，填写后即登记为志愿者；关怀标签用顿号分隔，如「空巢老人、低保」。</li>"
        "<li>文件可为 UTF-8 或 GB18030（GBK）编码的 CSV，最多 50000 行、16 MiB。</li>"
        "<li>台账中已有的身份证号会报错，不会覆盖原有记录。</li>"
        "</ul></section>\n");
}

static void upload_card(req *r)
{
    buf *o = &r->out;
    buf_puts(o, "<section class=\"card\"><h2>2. 上传并检查</h2>\n"
                "<form method=\"post\" action=\"/import\" enctype=\"multipart/form-data\">");
    page_csrf_field(r);
    buf_puts(o,
             "<label for=\"file\">CSV 文件</label>"
             "<input id=\"file\" name=\"file\" type=\"file\" accept=\".csv,text/csv\" required>\n"
             "<p class=\"muted\">先点「检查」列出全部错误行；没有错误时再点「导入」。"
             "导入时全部成功或全部不导入。</p>\n"
             "<button type=\"submit\" name=\"action\" value=\"check\">检查</button> "
             "<button type=\"submit\" name=\"action\" value=\"import\" class=\"primary\">导入"
             "</button></form></section>\n");
}

static void export_card(req *r)
{
    buf *o = &r->out;
    buf_puts(o, "<section class=\"card\"><h2>导出人员台账</h2>\n"
                "<p>导出您管辖范围内的人员（身份证号、手机号已脱敏）："
                "<a href=\"/api/v1/exports/people?format=csv\">CSV</a> · "
                "<a href=\"/api/v1/exports/people?format=xlsx\">Excel</a></p>\n"
                "<form class=\"filters\" method=\"get\" action=\"/api/v1/exports/people\">"
                "<label for=\"place\">区划代码</label><input id=\"place\" name=\"place\" "
                "inputmode=\"numeric\" placeholder=\"如 140930100010\">"
                "<label for=\"format\">格式</label><select id=\"format\" name=\"format\">"
                "<option value=\"csv\">CSV</option><option value=\"xlsx\">Excel</option>"
                "</select><button type=\"submit\">导出</button></form></section>\n");
}

static void report(req *r, const struct import_report *rep, bool dry_run, const char *filename)
{
    buf *o = &r->out;
    if (rep->nerrors) {
        buf_printf(o,
                   "<p class=\"error\" role=\"alert\">发现 %d 处错误（共 %d 行数据），"
                   "未导入任何数据。请改正后重新上传。</p>\n",
                   rep->nerrors, rep->rows);
        buf_puts(o, "<section class=\"card\"><h2>错误报告");
        if (filename) {
            buf_puts(o, "：");
            buf_html(o, filename);
        }
        buf_puts(o, "</h2>\n<div class=\"table-wrap\"><table class=\"table\"><thead><tr>"
                    "<th>行</th><th>列</th><th>原因</th></tr></thead><tbody>\n");
        int n = rep->nerrors < SHOWN_ERRORS ? rep->nerrors : SHOWN_ERRORS;
        for (int i = 0; i < n; i++) {
            const struct import_error *e = &rep->errors[i];
            buf_puts(o, "<tr><td>");
            if (e->line > 0)
                buf_printf(o, "第%d行", e->line);
            else
                buf_puts(o, "整个文件");
            buf_puts(o, "</td><td>");
            buf_html(o, e->column ? e->column : "");
            buf_puts(o, "</td><td>");
            buf_html(o, e->message);
            buf_puts(o, "</td></tr>\n");
        }
        buf_puts(o, "</tbody></table></div>\n");
        if (rep->nerrors > n)
            buf_printf(o,
                       "<p class=\"muted\">仅显示前 %d 处错误；完整列表可用命令行"
                       " <code>linli import people 文件 --dry-run</code> 或 API 获取。</p>\n",
                       n);
        buf_puts(o, "</section>\n");
    } else if (dry_run) {
        buf_printf(o, "<p class=\"notice\" role=\"status\">检查通过：共 %d 行数据（编码 ",
                   rep->rows);
        buf_html(o, rep->encoding);
        buf_puts(o, "），没有错误。请再次选择该文件并点「导入」。</p>\n");
    } else {
        buf_puts(o, "<p class=\"notice\" role=\"status\">导入成功。</p>\n"
                    "<section class=\"card\"><h2>导入结果</h2><div class=\"kpi\">");
        buf_printf(o,
                   "<p><strong>%d</strong> 人已导入</p><p><strong>%d</strong> 名党员</p>"
                   "<p><strong>%d</strong> 名志愿者</p>",
                   rep->imported, rep->party_members, rep->volunteers);
        buf_puts(o, "</div><p><a href=\"/residents\">查看居民台账</a></p></section>\n");
    }
}

static void import_page(req *r, const struct import_report *rep, bool dry_run, const char *filename,
                        const char *error)
{
    page_begin(r, "导入与导出");
    buf_puts(&r->out, "<nav class=\"breadcrumbs\"><a href=\"/\">首页</a> › 导入与导出</nav>\n");
    if (error) {
        buf_puts(&r->out, "<p class=\"error\" role=\"alert\">");
        buf_html(&r->out, error);
        buf_puts(&r->out, "</p>\n");
    }
    if (rep) report(r, rep, dry_run, filename);
    template_card(r);
    upload_card(r);
    if (principal_has_cap(r->me, CAP_PEOPLE_READ)) export_card(r);
}

/* After an import the page is reached by a redirect (a reload does not import
 * again), the counts in its query: ?done=1&imported=N&party=N&volunteers=N. */
static const struct import_report *done_report(req *r)
{
    if (!req_query(r, "done")) return NULL;
    struct import_report *rep = arena_alloc(r->a, sizeof *rep);
    memset(rep, 0, sizeof *rep);
    int64_t v;
    if (req_int(r, "query", "imported", 0, INT32_MAX, 0, &v) == E_OK) rep->imported = (int)v;
    if (req_int(r, "query", "party", 0, INT32_MAX, 0, &v) == E_OK) rep->party_members = (int)v;
    if (req_int(r, "query", "volunteers", 0, INT32_MAX, 0, &v) == E_OK) rep->volunteers = (int)v;
    r->err_field = NULL;
    r->err_message = NULL;
    return rep;
}

static err_code page_import(req *r)
{
    import_page(r, done_report(r), false, NULL, NULL);
    return page_end(r);
}
ROUTE("GET", "/import", page_import, CAP_PEOPLE_IMPORT, R_PAGE, NULL, "人员导入与导出");

static err_code page_import_post(req *r)
{
    const struct form_field *f = req_file(r, "file");
    const char *action = req_form(r, "action");
    bool dry_run = !action || strcmp(action, "import") != 0;
    if (!f || f->len == 0) {
        import_page(r, NULL, dry_run, NULL, "请选择要上传的 CSV 文件");
        page_end(r);
        r->status = 400;
        return E_OK;
    }
    struct import_report rep;
    int rc = people_import(r->db, r->a, r->me, f->filename, f->value, f->len, dry_run, &rep);
    if (rc == IMPORT_FAILED) return E_INTERNAL;
    if (rc == IMPORT_OK && !dry_run)
        return http_redirect(r,
                             arena_printf(r->a, "/import?done=1&imported=%d&party=%d&volunteers=%d",
                                          rep.imported, rep.party_members, rep.volunteers));
    import_page(r, &rep, dry_run, f->filename, NULL);
    page_end(r);
    if (rc == IMPORT_INVALID) r->status = 422;
    return E_OK;
}
ROUTE("POST", "/import", page_import_post, CAP_PEOPLE_IMPORT, R_PAGE, NULL,
      "上传人员文件：检查或导入");
