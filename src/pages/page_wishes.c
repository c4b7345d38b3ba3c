/* Micro-wish pages for residents, volunteers and the staff who post for a
 * child or an elder (phone-first): my wishes (/wishes), post a wish
 * (/wishes/new), one wish with what its viewer may do next (/wishes/{id}:
 * review, claim, fulfil with a photo, confirm 达成). Reads are scoped in the
 * store; every change goes through service/svc_wishes.c. */
#include <stdlib.h>
#include <string.h>

#include "core/roles.h"
#include "core/wish_rule.h"
#include "http/bind.h"
#include "http/bind_points.h"
#include "pages/layout.h"
#include "pages/ui.h"
#include "service/svc_wishes.h"
#include "store/store_accounts.h"
#include "store/store_wishes.h"

/* One line of a wish list: title (linked), kind, state, overdue. */
static void wish_item(req *r, const struct wish *w, const char *today)
{
    buf *o = &r->out;
    buf_hprintf(o,
                "<li><a href=\"/wishes/%lld\">%s</a> <span class=\"tag\">%s</span> "
                "<span class=\"state\">%s</span>",
                (long long)w->id, w->title, wish_kind_zh(w->kind), wish_state_zh(w->state));
    if (wish_overdue(w->wanted_by, today, w->state))
        buf_puts(o, " <span class=\"badge\">已逾期</span>");
    buf_puts(o, "</li>\n");
}

static err_code page_my_wishes(req *r)
{
    struct wish_filter f = {.mine = true, .limit = 200};
    struct wish *w;
    int nw = store_wishes_list(r->db, r->a, r->me->account_id, &f, &w);
    if (nw < 0) return E_INTERNAL;
    page_begin(r, "我的心愿");
    buf *o = &r->out;
    buf_puts(o, "<p><a class=\"button primary\" href=\"/wishes/new\">发布心愿</a>");
    const char *home = store_account_home_place(r->db, r->a, r->me->account_id);
    const char *community = home ? store_place_community(r->db, r->a, home) : NULL;
    if (community) {
        buf_puts(o, " <a class=\"button\" href=\"/wall/");
        buf_url(o, community);
        buf_puts(o, "\">心愿墙</a>");
    }
    if (principal_has_cap(r->me, CAP_WISHES_REVIEW))
        buf_puts(o, " <a class=\"button\" href=\"/wishes/admin\">心愿管理</a>");
    buf_puts(o, "</p>\n");
    const char *today = wish_today(r->a);
    int64_t me = r->me->account_id;
    for (int pass = 0; pass < 2; pass++) {
        buf_puts(o, pass ? "<section class=\"card\"><h2>我认领的</h2>"
                         : "<section class=\"card\"><h2>我发布的</h2>");
        int n = 0;
        for (int i = 0; i < nw; i++) {
            bool mine = pass ? w[i].claimed_by && w[i].claimed_by == me : w[i].posted_by == me;
            if (!mine) continue;
            if (n++ == 0) buf_puts(o, "<ul class=\"plain\">\n");
            wish_item(r, &w[i], today);
        }
        buf_puts(o, n ? "</ul>" : "<p class=\"muted\">暂无</p>");
        buf_puts(o, "</section>\n");
    }
    return page_end(r);
}
ROUTE("GET", "/wishes", page_my_wishes, CAP_SELF, R_PAGE, NULL, "我的心愿（发布的与认领的）");

static void new_form(req *r, const char *error)
{
    page_begin(r, "发布心愿");
    buf *o = &r->out;
    page_message(r, "error", error);
    bool staff = principal_has_cap(r->me, CAP_WISHES_REVIEW);
    buf_puts(o, "<form class=\"card narrow\" method=\"post\" action=\"/wishes\">\n");
    page_csrf_field(r);
    if (staff) {
        const char *kind = req_form(r, "kind");
        buf_puts(o, "<label for=\"kind\">为谁发布</label><select id=\"kind\" name=\"kind\">");
        static const char *const kinds[] = {"child", "elder", "resident"};
        for (int i = 0; i < 3; i++)
            buf_hprintf(o, "<option value=\"%s\"%s>%s</option>", kinds[i],
                        kind && !strcmp(kind, kinds[i]) ? " selected" : "", wish_kind_zh(kinds[i]));
        buf_puts(o, "</select>\n");
        ui_input(o, "person_id", "居民编号（可不填）", req_form(r, "person_id"),
                 "inputmode=\"numeric\"");
        ui_input(o, "place_code", "所属区划代码（不填则按居民住址）", req_form(r, "place_code"),
                 "inputmode=\"numeric\"");
    } else {
        /* for oneself: only where one lives or registered by 双报到 */
        int n;
        const char **mine = svc_wish_home_communities(r->db, r->a, r->me->account_id, &n);
        const char *chosen = req_form(r, "place_code");
        if (n == 0)
            buf_puts(o, "<p class=\"muted\">您的账号还没有登记住址，暂不能发布心愿，"
                        "请联系所在社区。</p>\n");
        else if (n > 1) {
            buf_puts(o, "<label for=\"place_code\">社区</label><select id=\"place_code\" "
                        "name=\"place_code\">");
            for (int i = 0; i < n; i++)
                buf_hprintf(o, "<option value=\"%s\"%s>%s</option>", mine[i],
                            chosen && !strcmp(chosen, mine[i]) ? " selected" : "",
                            store_wish_place_name(r->db, r->a, mine[i]));
            buf_puts(o, "</select>\n");
        }
    }
    ui_input(o, "title", "心愿（2到60字）", req_form(r, "title"), "required maxlength=\"60\"");
    buf_puts(o, "<label for=\"detail\">说明（可不填）</label><textarea id=\"detail\" "
                "name=\"detail\" maxlength=\"500\">");
    buf_html(o, req_form(r, "detail"));
    buf_puts(o, "</textarea>\n");
    ui_input(o, "wanted_by", "期望实现日期（可不填）", req_form(r, "wanted_by"), "type=\"date\"");
    buf_puts(o, "<p class=\"muted\">心愿审核通过后发布到社区心愿墙，只显示姓氏（如 王**）。</p>\n"
                "<button type=\"submit\" class=\"primary\">提交审核</button>\n</form>\n");
}

static err_code page_wish_new(req *r)
{
    new_form(r, NULL);
    return page_end(r);
}
ROUTE("GET", "/wishes/new", page_wish_new, CAP_SELF, R_PAGE, NULL, "发布心愿页");

static err_code page_wish_post(req *r)
{
    struct wish_input in;
    err_code e = bind_wish_post(r, &in);
    struct svc_result res =
        e ? svc_fail(e, "person_id", "居民编号应为正整数") : svc_wish_post(r->db, r->a, r->me, &in);
    if (res.err == E_INTERNAL || res.err == E_UNAVAILABLE) return res.err;
    if (res.err) {
        new_form(r, res.message ? res.message : err_message_zh(res.err));
        page_end(r);
        r->status = err_http_status(res.err);
        return E_OK;
    }
    return http_redirect(r, arena_printf(r->a, "/wishes/%lld?done=post", (long long)res.id));
}
ROUTE("POST", "/wishes", page_wish_post, CAP_SELF, R_PAGE, NULL, "提交心愿");

/* A definition row only when there is something to say. */
static void row(buf *o, const char *k, const char *v)
{
    if (v) ui_row(o, k, v);
}

static void action_form(req *r, int64_t id, const char *what, bool multipart)
{
    buf_hprintf(&r->out, "<form class=\"action card\" method=\"post\" action=\"/wishes/%lld/%s\"",
                (long long)id, what);
    buf_puts(&r->out, multipart ? " enctype=\"multipart/form-data\">" : ">");
    page_csrf_field(r);
}

/* What the viewer may do next, by state and by who they are. */
static void actions(req *r, const struct wish *w)
{
    buf *o = &r->out;
    int64_t id = w->id, me = r->me->account_id;
    const char *state = w->state;
    bool poster = w->posted_by == me;
    bool claimer = w->claimed_by && w->claimed_by == me;
    if (!strcmp(state, "pending") &&
        store_wish_covers(r->db, me, CAP_WISHES_REVIEW, w->place_code)) {
        action_form(r, id, "review", false);
        buf_puts(o, "<h2>审核</h2><input type=\"hidden\" name=\"decision\" value=\"approve\">"
                    "<button type=\"submit\" class=\"primary\">通过并发布到心愿墙</button>"
                    "</form>\n");
        action_form(r, id, "review", false);
        buf_puts(o, "<input type=\"hidden\" name=\"decision\" value=\"reject\">"
                    "<label for=\"reason\">不通过的原因</label><textarea id=\"reason\" "
                    "name=\"reason\" maxlength=\"200\" required></textarea>"
                    "<button type=\"submit\">不通过</button></form>\n");
    }
    if (!strcmp(state, "published") && !poster &&
        store_wish_is_volunteer(r->db, me, w->place_code)) {
        action_form(r, id, "claim", false);
        buf_puts(o, "<button type=\"submit\" class=\"primary\">我来认领</button></form>\n");
    }
    if (!strcmp(state, "claimed") && claimer) {
        action_form(r, id, "fulfil", true);
        buf_puts(o, "<h2>心愿已实现</h2><label for=\"photo\">照片（JPEG、PNG 或 WebP，5MB以内）"
                    "</label><input id=\"photo\" name=\"photo\" type=\"file\" "
                    "accept=\"image/jpeg,image/png,image/webp\" required>"
                    "<label for=\"note\">说明</label><textarea id=\"note\" name=\"note\" "
                    "maxlength=\"500\" required></textarea>"
                    "<button type=\"submit\" class=\"primary\">上传照片并提交</button></form>\n");
    }
    if (!strcmp(state, "fulfilled") && poster) {
        action_form(r, id, "confirm", false);
        buf_puts(o, "<button type=\"submit\" class=\"primary\">确认达成</button></form>\n");
    }
}

static err_code wish_render(req *r, int64_t id, const char *error, const char *notice, int status)
{
    struct wish w;
    if (!store_wish_get(r->db, r->a, r->me->account_id, id, &w)) return E_NOT_FOUND;
    const char *today = wish_today(r->a);
    page_begin(r, w.title);
    buf *o = &r->out;
    page_message(r, "error", error);
    page_message(r, "notice", notice);
    buf_puts(o, "<section class=\"card\"><dl>");
    row(o, "类型", wish_kind_zh(w.kind));
    row(o, "状态",
        wish_overdue(w.wanted_by, today, w.state)
            ? arena_printf(r->a, "%s（已逾期）", wish_state_zh(w.state))
            : wish_state_zh(w.state));
    row(o, "心愿人", w.display_name);
    row(o, "所在", w.place_name);
    row(o, "说明", w.detail);
    row(o, "期望实现日期", w.wanted_by);
    row(o, "未通过原因", w.reject_reason);
    row(o, "认领人", w.claimer_name);
    row(o, "实现说明", w.fulfil_note);
    if (w.achieved_at) row(o, "达成时间", page_time(r, w.achieved_at));
    buf_puts(o, "</dl>");
    if (w.has_photo)
        buf_printf(
            o,
            "<p class=\"photos\"><img src=\"/api/v1/wishes/%lld/photo\" alt=\"心愿实现照片\" "
            "width=\"320\"></p>",
            (long long)id);
    buf_puts(o, "</section>\n");
    actions(r, &w);
    buf_puts(o, "<p><a href=\"/wishes\">我的心愿</a> · <a href=\"/wall/");
    buf_url(o, w.community_code);
    buf_hprintf(o, "\">%s心愿墙</a></p>\n", w.community_name);
    return page_end_status(r, status);
}

static const char *done_notice(const char *done)
{
    static const char *const m[][2] = {{"post", "心愿已提交，社区审核后发布到心愿墙"},
                                       {"review", "审核已完成"},
                                       {"claim", "认领成功，请尽快帮助实现心愿"},
                                       {"fulfil", "已提交，等待发布人确认达成"},
                                       {"confirm", "心愿已达成，感谢爱心人士！"}};
    for (size_t i = 0; done && i < sizeof m / sizeof m[0]; i++)
        if (!strcmp(done, m[i][0])) return m[i][1];
    return NULL;
}

static err_code page_wish(req *r)
{
    int64_t id = req_id(r, "id");
    return wish_render(r, id, NULL, done_notice(req_query(r, "done")), 200);
}
ROUTE("GET", "/wishes/{id}", page_wish, CAP_SELF, R_PAGE, "wish", "一个心愿与可办理的操作");

/* Runs one change and shows the wish again: with the error, or after a redirect. */
static err_code after(req *r, int64_t id, const char *what, struct svc_result res)
{
    if (res.err == E_INTERNAL || res.err == E_UNAVAILABLE || res.err == E_NOT_FOUND) return res.err;
    if (res.err)
        return wish_render(r, id, res.message ? res.message : err_message_zh(res.err), NULL,
                           err_http_status(res.err));
    return http_redirect(r, arena_printf(r->a, "/wishes/%lld?done=%s", (long long)id, what));
}

static err_code page_wish_review(req *r)
{
    int64_t id = req_id(r, "id");
    struct wish_review_input in;
    err_code e = bind_wish_review(r, &in);
    return after(r, id, "review",
                 e ? bind_refused(r, e) : svc_wish_review(r->db, r->a, r->me, id, &in));
}
ROUTE("POST", "/wishes/{id}/review", page_wish_review, CAP_SELF, R_PAGE, "wish", "审核心愿");

static err_code page_wish_claim(req *r)
{
    int64_t id = req_id(r, "id");
    return after(r, id, "claim", svc_wish_claim(r->db, r->a, r->me, id));
}
ROUTE("POST", "/wishes/{id}/claim", page_wish_claim, CAP_SELF, R_PAGE, "wish", "认领心愿");

static err_code page_wish_fulfil(req *r)
{
    int64_t id = req_id(r, "id");
    const struct form_field *f = req_file(r, "photo");
    return after(r, id, "fulfil",
                 svc_wish_fulfil(r->db, r->a, r->me, id, req_form(r, "note"),
                                 f ? f->content_type : NULL, f ? f->value : NULL, f ? f->len : 0));
}
ROUTE("POST", "/wishes/{id}/fulfil", page_wish_fulfil, CAP_SELF, R_PAGE, "wish",
      "上传心愿实现照片");

static err_code page_wish_confirm(req *r)
{
    int64_t id = req_id(r, "id");
    return after(r, id, "confirm", svc_wish_confirm(r->db, r->a, r->me, id));
}
ROUTE("POST", "/wishes/{id}/confirm", page_wish_confirm, CAP_SELF, R_PAGE, "wish", "确认心愿达成");
