/* Selections 评选 pages: the public 公示 of the winners (name and compound
 * only), the resident's phone pages (the selections of their community,
 * nominate self or a neighbour, my nominations) and the staff's desktop pages
 * (create, review the nominations, publish). Forms are read by the binders of
 * http/bind_evaluation.c, the API's own. */
#include <string.h>

#include "core/roles.h"
#include "http/bind_evaluation.h"
#include "pages/layout.h"
#include "pages/ui.h"
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
    struct selection_row s;
    if (!store_selection_read(r->db, r->a, 0, id, &s) || strcmp(s.state, "published") != 0)
        return E_NOT_FOUND;
    struct nomination_row *n;
    int k = store_nominations_find(r->db, r->a, id, 0, "approved", &n);
    if (k < 0) return E_INTERNAL;
    page_begin(r, s.name);
    buf *o = &r->out;
    buf_hprintf(o, "<section class=\"card\"><h2>%s %lld年“%s”评选结果公示</h2>\n", s.place_name,
                (long long)s.year, s.honour);
    if (!k)
        buf_puts(o, "<p class=\"muted\">本次评选没有获评者</p>");
    else
        buf_puts(o, "<ul>");
    bool household = !strcmp(s.kind, "household");
    for (int i = 0; i < k; i++) {
        buf_hprintf(o, "<li>%s%s", n[i].name, household ? "家庭" : "");
        if (n[i].compound) buf_hprintf(o, "（%s）", n[i].compound);
        buf_puts(o, "</li>\n");
    }
    if (k) buf_puts(o, "</ul>");
    buf_hprintf(o, "<p class=\"muted\">公示日期：%s</p></section>\n", day_of(r, s.published_at));
    return page_end(r);
}
ROUTE("GET", "/selections/{id}", page_public, NULL, R_PAGE | R_PUBLIC, NULL,
      "评选结果公示（公开，无需登录）");

static void selection_item(req *r, const struct selection_row *s)
{
    buf *o = &r->out;
    long long id = (long long)s->id;
    buf_hprintf(o, "<p><strong>%s</strong>（%lld年，%s，提名 %s 至 %s）<br>", s->name,
                (long long)s->year, s->place_name, day_of(r, s->opens_at),
                day_of(r, s->closes_at - 86400));
    if (!strcmp(s->state, "open"))
        buf_printf(o, "<a class=\"button\" href=\"/selections/%lld/nominate\">提名与我的提名</a> ",
                   id);
    else
        buf_printf(o, "<a href=\"/selections/%lld\">查看公示</a> ", id);
    if (s->can_manage) buf_printf(o, "<a href=\"/selections/%lld/manage\">审核与公示</a>", id);
    buf_puts(o, "</p>\n");
}

static void create_form(req *r)
{
    static const char *const kinds[][2] = {
        {"household", "家庭"}, {"person", "个人"}, {"partner", "新就业群体"}, {NULL, NULL}};
    buf *o = &r->out;
    buf_puts(o, "<section class=\"card\"><h2>新建评选</h2><form method=\"post\" "
                "action=\"/selections\">");
    page_csrf_field(r);
    ui_input(o, "name", "评选名称", req_form(r, "name"), "type=\"text\" maxlength=\"50\" required");
    ui_input(o, "honour", "荣誉称号（默认同名称）", req_form(r, "honour"),
             "type=\"text\" maxlength=\"50\"");
    ui_select(o, "candidate_kind", "候选类型", kinds, req_form(r, "candidate_kind"));
    ui_input(o, "year", "年度", req_form(r, "year"),
             "type=\"text\" inputmode=\"numeric\" maxlength=\"4\"");
    ui_input(o, "place_code", "社区代码", req_form(r, "place_code"),
             "type=\"text\" inputmode=\"numeric\" required");
    ui_input(o, "opens_on", "提名开始", req_form(r, "opens_on"), "type=\"date\" required");
    ui_input(o, "closes_on", "提名截止", req_form(r, "closes_on"), "type=\"date\" required");
    const char *points = req_form(r, "points");
    ui_input(o, "points", "获评奖励积分", points ? points : "0",
             "type=\"number\" min=\"0\" max=\"10000\"");
    buf_puts(o, "<button type=\"submit\" class=\"primary\">创建</button></form></section>\n");
}

static err_code list_page(req *r, const char *error, int status)
{
    struct selection_row *s;
    int n = store_selections_find(r->db, r->a, r->me->account_id, 0, 100, &s);
    if (n < 0) return E_INTERNAL;
    page_begin(r, "评选");
    buf *o = &r->out;
    page_message(r, "error", error);
    buf_puts(o, "<section class=\"card\"><h2>评选</h2>\n");
    if (!n) buf_puts(o, "<p class=\"muted\">暂无评选</p>");
    for (int i = 0; i < n; i++) selection_item(r, &s[i]);
    buf_puts(o, "</section>\n");
    if (principal_has_cap(r->me, CAP_PEOPLE_WRITE)) create_form(r);
    return page_end_status(r, status);
}

static err_code page_list(req *r)
{
    return list_page(r, NULL, 200);
}
ROUTE("GET", "/selections", page_list, NULL, R_PAGE, NULL, "评选：提名、我的提名，工作人员新建");

/* A refusal the page shows (the store failing, or not found, is the error page). */
static bool shown(struct svc_result res)
{
    return res.err && res.err != E_INTERNAL && res.err != E_UNAVAILABLE && res.err != E_NOT_FOUND;
}

static const char *refusal(struct svc_result res)
{
    return res.message ? res.message : err_message_zh(res.err);
}

static err_code page_create(req *r)
{
    struct selection_input in = {0};
    err_code e = bind_input(r, &selection_create_bind, &in);
    struct svc_result res = e ? bind_refused(r, e) : svc_selection_create(r->db, r->a, r->me, &in);
    if (res.err == E_INTERNAL || res.err == E_UNAVAILABLE) return res.err;
    if (res.err) return list_page(r, refusal(res), err_http_status(res.err));
    return http_redirect(r, arena_printf(r->a, "/selections/%lld/manage", (long long)res.id));
}
ROUTE("POST", "/selections", page_create, NULL, R_PAGE, NULL, "新建评选");

static void review_form(req *r, int64_t id)
{
    buf_printf(&r->out, "<form method=\"post\" action=\"/selection-nominations/%lld/review\">",
               (long long)id);
    page_csrf_field(r);
    buf_printf(&r->out,
               "<label for=\"reason-%lld\">说明（不通过时必填）</label><input "
               "id=\"reason-%lld\" name=\"reason\" maxlength=\"200\">"
               "<button type=\"submit\" name=\"decision\" value=\"approve\" "
               "class=\"primary\">通过</button> <button type=\"submit\" "
               "name=\"decision\" value=\"reject\">不通过</button></form>",
               (long long)id, (long long)id);
}

static void nominations(req *r, const struct nomination_row *n, int k, bool review)
{
    buf *o = &r->out;
    if (!k) {
        buf_puts(o, "<p class=\"muted\">暂无提名</p>\n");
        return;
    }
    for (int i = 0; i < k; i++) {
        buf_hprintf(o, "<div class=\"card\"><p><strong>%s</strong> %s%s · %s</p><p>%s</p>",
                    n[i].name, n[i].compound, n[i].self ? " · 自荐" : " · 邻里推荐",
                    nomination_state_zh(n[i].state), n[i].reason);
        if (n[i].review_reason)
            buf_hprintf(o, "<p class=\"muted\">审核说明：%s</p>", n[i].review_reason);
        if (review && !strcmp(n[i].state, "pending")) review_form(r, n[i].id);
        buf_puts(o, "</div>\n");
    }
}

static err_code nominate_page(req *r, int64_t id, const char *error, const char *notice, int status)
{
    struct selection_row s;
    if (!store_selection_read(r->db, r->a, r->me->account_id, id, &s)) return E_NOT_FOUND;
    struct nomination_row *mine;
    int k = store_nominations_find(r->db, r->a, id, r->me->account_id, NULL, &mine);
    if (k < 0) return E_INTERNAL;
    page_begin(r, s.name);
    buf *o = &r->out;
    page_message(r, "error", error);
    page_message(r, "notice", notice);
    buf_hprintf(o, "<section class=\"card\"><h2>提名</h2><p>提名时间：%s 至 %s。",
                day_of(r, s.opens_at), day_of(r, s.closes_at - 86400));
    if (!strcmp(s.kind, "household")) buf_puts(o, "评选对象是家庭：推荐一位家庭成员即推荐其全家。");
    buf_printf(o, "</p><form method=\"post\" action=\"/selections/%lld/nominate\">", (long long)id);
    page_csrf_field(r);
    buf_puts(o, "<label><input type=\"checkbox\" name=\"self\" value=\"1\"> 自荐（推荐我自己"
                "或我家）</label>");
    ui_input(o, "nominee_name", "或推荐本社区的邻居（姓名）", req_form(r, "nominee_name"),
             "type=\"text\" maxlength=\"20\"");
    buf_puts(o, "<label for=\"reason\">推荐理由</label><textarea id=\"reason\" name=\"reason\" "
                "rows=\"4\" maxlength=\"300\" required></textarea>"
                "<button type=\"submit\" class=\"primary\">提交提名</button></form></section>\n");
    buf_puts(o, "<section><h2>我的提名</h2>\n");
    nominations(r, mine, k, false);
    buf_puts(o, "</section><p><a href=\"/selections\">全部评选</a></p>\n");
    return page_end_status(r, status);
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
    struct nomination_input in = {0};
    err_code e = bind_input(r, &nominate_bind, &in);
    struct svc_result res =
        e ? bind_refused(r, e)
          : svc_selection_nominate(r->db, r->a, r->me, id, in.self, in.nominee_name, 0, in.reason);
    if (shown(res)) return nominate_page(r, id, refusal(res), NULL, err_http_status(res.err));
    if (res.err) return res.err;
    return http_redirect(r, arena_printf(r->a, "/selections/%lld/nominate?done=1", (long long)id));
}
ROUTE("POST", "/selections/{id}/nominate", page_nominate, NULL, R_PAGE, "selection", "提交提名");

static err_code manage_page(req *r, int64_t id, const char *error, int status)
{
    struct selection_row s;
    if (!store_selection_read(r->db, r->a, r->me->account_id, id, &s) || !s.can_manage)
        return E_NOT_FOUND;
    struct nomination_row *n;
    int k = store_nominations_find(r->db, r->a, id, 0, NULL, &n);
    if (k < 0) return E_INTERNAL;
    page_begin(r, arena_printf(r->a, "%s：审核与公示", s.name));
    buf *o = &r->out;
    page_message(r, "error", error);
    bool open = !strcmp(s.state, "open");
    buf_hprintf(o, "<p>%lld年，%s，候选：%s，荣誉：%s，获评奖励 %lld 分。</p>\n", (long long)s.year,
                s.place_name, selection_kind_zh(s.kind), s.honour, (long long)s.points);
    nominations(r, n, k, open);
    if (open) {
        buf_printf(o, "<form method=\"post\" action=\"/selections/%lld/publish\">", (long long)id);
        page_csrf_field(r);
        buf_puts(o, "<button type=\"submit\" class=\"primary\">公示评选结果（通过的提名获评）"
                    "</button></form>\n");
    } else
        buf_printf(o, "<p><a href=\"/selections/%lld\">查看公示页</a></p>\n", (long long)id);
    return page_end_status(r, status);
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
    struct nomination_row n;
    bool found = store_nomination_read(r->db, r->a, id, &n);
    struct nomination_review_input in = {0};
    err_code e = bind_input(r, &nomination_review_bind, &in);
    struct svc_result res =
        e ? bind_refused(r, e)
          : svc_nomination_review(r->db, r->a, r->me, id, in.decision, in.reason);
    if (!found) return res.err ? res.err : E_NOT_FOUND;
    if (shown(res)) return manage_page(r, n.selection_id, refusal(res), err_http_status(res.err));
    if (res.err) return res.err;
    return http_redirect(r,
                         arena_printf(r->a, "/selections/%lld/manage", (long long)n.selection_id));
}
ROUTE("POST", "/selection-nominations/{id}/review", page_review, NULL, R_PAGE,
      "selection_nomination", "审核提名");

static err_code page_publish(req *r)
{
    int64_t id = req_id(r, "id");
    struct svc_result res = svc_selection_publish(r->db, r->a, r->me, id);
    if (shown(res)) return manage_page(r, id, refusal(res), err_http_status(res.err));
    if (res.err) return res.err;
    return http_redirect(r, arena_printf(r->a, "/selections/%lld", (long long)id));
}
ROUTE("POST", "/selections/{id}/publish", page_publish, NULL, R_PAGE, "selection", "公示评选结果");
