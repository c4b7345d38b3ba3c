/* Selections 评选 pages: the public 公示 of the winners (name and compound
 * only), the resident's phone pages (the selections of their community,
 * nominate self or a neighbour, my nominations) and the staff's desktop pages
 * (create, review the nominations, publish). */
#include <string.h>

#include "core/roles.h"
#include "pages/layout.h"
#include "service/svc_selections.h"
#include "store/store_selections.h"

static const char *day_of(req *r, int64_t t)
{
    const char *s = page_time(r, t);
    return arena_strndup(r->a, s, 10);
}

static err_code page_public(req *r)
{
    int64_t id = req_id(r, "id");
    db_rows *s = store_selection_get(r->db, r->a, 0, id);
    if (!s || strcmp(db_get(s, 0, SC_STATE), "published") != 0) return E_NOT_FOUND;
    db_rows *n = store_nominations(r->db, r->a, id, 0, "approved");
    if (!n) return E_INTERNAL;
    page_begin(r, db_get(s, 0, SC_NAME));
    buf *o = &r->out;
    buf_puts(o, "<section class=\"card\"><h2>");
    buf_html(o, db_get(s, 0, SC_PLACE_NAME));
    buf_printf(o, " %lld年“", (long long)db_get_int(s, 0, SC_YEAR));
    buf_html(o, db_get(s, 0, SC_HONOUR));
    buf_puts(o, "”评选结果公示</h2>\n");
    if (!n->nrows)
        buf_puts(o, "<p class=\"muted\">本次评选没有获评者</p>");
    else
        buf_puts(o, "<ul>");
    bool household = !strcmp(db_get(s, 0, SC_KIND), "household");
    for (int i = 0; i < n->nrows; i++) {
        buf_puts(o, "<li>");
        buf_html(o, db_get(n, i, NC_NAME));
        if (household) buf_puts(o, "家庭");
        if (db_get(n, i, NC_COMPOUND)) {
            buf_puts(o, "（");
            buf_html(o, db_get(n, i, NC_COMPOUND));
            buf_puts(o, "）");
        }
        buf_puts(o, "</li>\n");
    }
    if (n->nrows) buf_puts(o, "</ul>");
    buf_printf(o, "<p class=\"muted\">公示日期：%s</p></section>\n",
               day_of(r, db_get_int(s, 0, SC_PUBLISHED_AT)));
    return page_end(r);
}
ROUTE("GET", "/selections/{id}", page_public, NULL, R_PAGE | R_PUBLIC, NULL,
      "评选结果公示（公开，无需登录）");

static void field(buf *o, const char *id, const char *label, const char *type, const char *extra)
{
    buf_printf(o, "<label for=\"%s\">%s</label><input id=\"%s\" name=\"%s\" type=\"%s\"%s>", id,
               label, id, id, type, extra ? extra : "");
}

static err_code list_page(req *r, const char *error, int status)
{
    db_rows *s = store_selections_list(r->db, r->a, r->me->account_id, 0, 100);
    if (!s) return E_INTERNAL;
    page_begin(r, "评选");
    buf *o = &r->out;
    page_message(r, "error", error);
    buf_puts(o, "<section class=\"card\"><h2>评选</h2>\n");
    if (!s->nrows) buf_puts(o, "<p class=\"muted\">暂无评选</p>");
    for (int i = 0; i < s->nrows; i++) {
        const char *id = db_get(s, i, SC_ID);
        bool open = !strcmp(db_get(s, i, SC_STATE), "open");
        buf_puts(o, "<p><strong>");
        buf_html(o, db_get(s, i, SC_NAME));
        buf_printf(o, "</strong>（%lld年，", (long long)db_get_int(s, i, SC_YEAR));
        buf_html(o, db_get(s, i, SC_PLACE_NAME));
        buf_printf(o, "，提名 %s 至 %s）<br>", day_of(r, db_get_int(s, i, SC_OPENS)),
                   day_of(r, db_get_int(s, i, SC_CLOSES) - 86400));
        if (open)
            buf_printf(
                o, "<a class=\"button\" href=\"/selections/%s/nominate\">提名与我的提名</a> ", id);
        else
            buf_printf(o, "<a href=\"/selections/%s\">查看公示</a> ", id);
        if (db_get_int(s, i, SC_CAN_MANAGE))
            buf_printf(o, "<a href=\"/selections/%s/manage\">审核与公示</a>", id);
        buf_puts(o, "</p>\n");
    }
    buf_puts(o, "</section>\n");
    if (principal_has_cap(r->me, CAP_PEOPLE_WRITE)) {
        buf_puts(o, "<section class=\"card\"><h2>新建评选</h2><form method=\"post\" "
                    "action=\"/selections\">");
        page_csrf_field(r);
        field(o, "name", "评选名称", "text", " maxlength=\"50\" required");
        field(o, "honour", "荣誉称号（默认同名称）", "text", " maxlength=\"50\"");
        buf_puts(o, "<label for=\"candidate_kind\">候选类型</label><select id=\"candidate_kind\" "
                    "name=\"candidate_kind\"><option value=\"household\">家庭</option>"
                    "<option value=\"person\">个人</option><option value=\"partner\">新就业群体"
                    "</option></select>");
        field(o, "year", "年度", "text", " inputmode=\"numeric\" maxlength=\"4\"");
        field(o, "place_code", "社区代码", "text", " inputmode=\"numeric\" required");
        field(o, "opens_on", "提名开始", "date", " required");
        field(o, "closes_on", "提名截止", "date", " required");
        field(o, "points", "获评奖励积分", "number", " min=\"0\" max=\"10000\" value=\"0\"");
        buf_puts(o, "<button type=\"submit\" class=\"primary\">创建</button></form></section>\n");
    }
    err_code e = page_end(r);
    r->status = status;
    return e;
}

static err_code page_list(req *r)
{
    return list_page(r, NULL, 200);
}
ROUTE("GET", "/selections", page_list, NULL, R_PAGE, NULL, "评选：提名、我的提名，工作人员新建");

static err_code page_create(req *r)
{
    struct selection_input in = {req_form(r, "name"),           req_form(r, "year"),
                                 req_form(r, "candidate_kind"), req_form(r, "place_code"),
                                 req_form(r, "opens_on"),       req_form(r, "closes_on"),
                                 req_form(r, "honour"),         req_form(r, "points")};
    struct svc_result res = svc_selection_create(r->db, r->a, r->me, &in);
    if (res.err == E_INTERNAL || res.err == E_UNAVAILABLE) return res.err;
    if (res.err)
        return list_page(r, res.message ? res.message : err_message_zh(res.err),
                         err_http_status(res.err));
    return http_redirect(r, arena_printf(r->a, "/selections/%lld/manage", (long long)res.id));
}
ROUTE("POST", "/selections", page_create, NULL, R_PAGE, NULL, "新建评选");

static void nominations(req *r, const db_rows *n, bool review)
{
    buf *o = &r->out;
    if (!n->nrows) {
        buf_puts(o, "<p class=\"muted\">暂无提名</p>\n");
        return;
    }
    for (int i = 0; i < n->nrows; i++) {
        buf_puts(o, "<div class=\"card\"><p><strong>");
        buf_html(o, db_get(n, i, NC_NAME));
        buf_puts(o, "</strong> ");
        buf_html(o, db_get(n, i, NC_COMPOUND));
        buf_puts(o, db_get_int(n, i, NC_SELF) ? " · 自荐" : " · 邻里推荐");
        buf_puts(o, " · ");
        buf_html(o, nomination_state_zh(db_get(n, i, NC_STATE)));
        buf_puts(o, "</p><p>");
        buf_html(o, db_get(n, i, NC_REASON));
        buf_puts(o, "</p>");
        if (db_get(n, i, NC_REVIEW_REASON)) {
            buf_puts(o, "<p class=\"muted\">审核说明：");
            buf_html(o, db_get(n, i, NC_REVIEW_REASON));
            buf_puts(o, "</p>");
        }
        if (review && !strcmp(db_get(n, i, NC_STATE), "pending")) {
            const char *id = db_get(n, i, NC_ID);
            buf_printf(o, "<form method=\"post\" action=\"/selection-nominations/%s/review\">", id);
            page_csrf_field(r);
            buf_printf(o,
                       "<label for=\"reason-%s\">说明（不通过时必填）</label><input "
                       "id=\"reason-%s\" name=\"reason\" maxlength=\"200\">"
                       "<button type=\"submit\" name=\"decision\" value=\"approve\" "
                       "class=\"primary\">通过</button> <button type=\"submit\" "
                       "name=\"decision\" value=\"reject\">不通过</button></form>",
                       id, id);
        }
        buf_puts(o, "</div>\n");
    }
}

static err_code nominate_page(req *r, int64_t id, const char *error, const char *notice, int status)
{
    db_rows *s = store_selection_get(r->db, r->a, r->me->account_id, id);
    if (!s) return E_NOT_FOUND;
    db_rows *mine = store_nominations(r->db, r->a, id, r->me->account_id, NULL);
    if (!mine) return E_INTERNAL;
    page_begin(r, db_get(s, 0, SC_NAME));
    buf *o = &r->out;
    page_message(r, "error", error);
    page_message(r, "notice", notice);
    bool household = !strcmp(db_get(s, 0, SC_KIND), "household");
    buf_printf(o, "<section class=\"card\"><h2>提名</h2><p>提名时间：%s 至 %s。",
               day_of(r, db_get_int(s, 0, SC_OPENS)),
               day_of(r, db_get_int(s, 0, SC_CLOSES) - 86400));
    if (household) buf_puts(o, "评选对象是家庭：推荐一位家庭成员即推荐其全家。");
    buf_printf(o, "</p><form method=\"post\" action=\"/selections/%lld/nominate\">", (long long)id);
    page_csrf_field(r);
    buf_puts(o, "<label><input type=\"checkbox\" name=\"self\" value=\"1\"> 自荐（推荐我自己"
                "或我家）</label>");
    field(o, "nominee_name", "或推荐本社区的邻居（姓名）", "text", " maxlength=\"20\"");
    buf_puts(o, "<label for=\"reason\">推荐理由</label><textarea id=\"reason\" name=\"reason\" "
                "rows=\"4\" maxlength=\"300\" required></textarea>"
                "<button type=\"submit\" class=\"primary\">提交提名</button></form></section>\n");
    buf_puts(o, "<section><h2>我的提名</h2>\n");
    nominations(r, mine, false);
    buf_puts(o, "</section><p><a href=\"/selections\">全部评选</a></p>\n");
    err_code e = page_end(r);
    r->status = status;
    return e;
}

static err_code page_nominate_form(req *r)
{
    int64_t id = req_id(r, "id");
    const char *done = req_query(r, "done");
    return nominate_page(r, id, NULL, done ? "提名已提交，等待社区审核" : NULL, 200);
}
ROUTE("GET", "/selections/{id}/nominate", page_nominate_form, NULL, R_PAGE, "selection",
      "提名（自荐或推荐邻居）与我的提名");

static err_code page_nominate(req *r)
{
    int64_t id = req_id(r, "id");
    const char *self = req_form(r, "self");
    struct svc_result res =
        svc_selection_nominate(r->db, r->a, r->me, id, self && !strcmp(self, "1"),
                               req_form(r, "nominee_name"), 0, req_form(r, "reason"));
    if (res.err == E_INTERNAL || res.err == E_UNAVAILABLE || res.err == E_NOT_FOUND) return res.err;
    if (res.err)
        return nominate_page(r, id, res.message ? res.message : err_message_zh(res.err), NULL,
                             err_http_status(res.err));
    return http_redirect(r, arena_printf(r->a, "/selections/%lld/nominate?done=1", (long long)id));
}
ROUTE("POST", "/selections/{id}/nominate", page_nominate, NULL, R_PAGE, "selection", "提交提名");

static err_code manage_page(req *r, int64_t id, const char *error, int status)
{
    db_rows *s = store_selection_get(r->db, r->a, r->me->account_id, id);
    if (!s || !db_get_int(s, 0, SC_CAN_MANAGE)) return E_NOT_FOUND;
    db_rows *n = store_nominations(r->db, r->a, id, 0, NULL);
    if (!n) return E_INTERNAL;
    page_begin(r, arena_printf(r->a, "%s：审核与公示", db_get(s, 0, SC_NAME)));
    buf *o = &r->out;
    page_message(r, "error", error);
    bool open = !strcmp(db_get(s, 0, SC_STATE), "open");
    buf_printf(o, "<p>%lld年，", (long long)db_get_int(s, 0, SC_YEAR));
    buf_html(o, db_get(s, 0, SC_PLACE_NAME));
    buf_printf(o, "，候选：%s，荣誉：", selection_kind_zh(db_get(s, 0, SC_KIND)));
    buf_html(o, db_get(s, 0, SC_HONOUR));
    buf_printf(o, "，获评奖励 %lld 分。</p>\n", (long long)db_get_int(s, 0, SC_POINTS));
    nominations(r, n, open);
    if (open) {
        buf_printf(o, "<form method=\"post\" action=\"/selections/%lld/publish\">", (long long)id);
        page_csrf_field(r);
        buf_puts(o, "<button type=\"submit\" class=\"primary\">公示评选结果（通过的提名获评）"
                    "</button></form>\n");
    } else
        buf_printf(o, "<p><a href=\"/selections/%lld\">查看公示页</a></p>\n", (long long)id);
    err_code e = page_end(r);
    r->status = status;
    return e;
}

static err_code page_manage(req *r)
{
    int64_t id = req_id(r, "id");
    return manage_page(r, id, NULL, 200);
}
ROUTE("GET", "/selections/{id}/manage", page_manage, NULL, R_PAGE, "selection",
      "评选的提名审核与结果公示");

static err_code page_review(req *r)
{
    int64_t id = req_id(r, "id");
    db_rows *n = store_nomination_get(r->db, r->a, id);
    struct svc_result res = svc_nomination_review(r->db, r->a, r->me, id, req_form(r, "decision"),
                                                  req_form(r, "reason"));
    if (res.err == E_INTERNAL || res.err == E_UNAVAILABLE || res.err == E_NOT_FOUND || !n)
        return res.err ? res.err : E_NOT_FOUND;
    int64_t sel = db_get_int(n, 0, NC_SELECTION);
    if (res.err)
        return manage_page(r, sel, res.message ? res.message : err_message_zh(res.err),
                           err_http_status(res.err));
    return http_redirect(r, arena_printf(r->a, "/selections/%lld/manage", (long long)sel));
}
ROUTE("POST", "/selection-nominations/{id}/review", page_review, NULL, R_PAGE,
      "selection_nomination", "审核提名");

static err_code page_publish(req *r)
{
    int64_t id = req_id(r, "id");
    struct svc_result res = svc_selection_publish(r->db, r->a, r->me, id);
    if (res.err == E_INTERNAL || res.err == E_UNAVAILABLE || res.err == E_NOT_FOUND) return res.err;
    if (res.err)
        return manage_page(r, id, res.message ? res.message : err_message_zh(res.err),
                           err_http_status(res.err));
    return http_redirect(r, arena_printf(r->a, "/selections/%lld", (long long)id));
}
ROUTE("POST", "/selections/{id}/publish", page_publish, NULL, R_PAGE, "selection", "公示评选结果");
