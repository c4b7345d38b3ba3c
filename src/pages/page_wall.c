/* The public pages of micro-wishes, readable without logging in: the wall
 * 心愿墙 of a community (/wall/{code}: published wishes with the person's
 * identity hidden — a masked surname, no household, no phone) and the
 * volunteer sign-up of 爱心人士 (/volunteer/signup). A logged-in volunteer
 * claims a wish on the wall itself. */
#include <string.h>

#include "core/wish_rule.h"
#include "pages/layout.h"
#include "http/bind.h"
#include "http/bind_activities.h"
#include "service/svc_volunteer_signup.h"
#include "service/svc_wishes.h"
#include "store/store_wishes.h"

static void wall_card(req *r, const struct wish *w, const char *today, const char *code)
{
    buf *o = &r->out;
    buf_hprintf(o, "<li class=\"card wish\" id=\"wish-%lld\"><h2>", (long long)w->id);
    buf_html(o, w->title);
    buf_puts(o, "</h2><p><span class=\"tag\">");
    buf_html(o, wish_kind_zh(w->kind));
    buf_puts(o, "</span> <span class=\"state\">");
    buf_html(o, wish_state_zh(w->state));
    buf_puts(o, "</span>");
    if (wish_overdue(w->wanted_by, today, w->state))
        buf_puts(o, " <span class=\"badge\">已逾期</span>");
    buf_puts(o, "</p>");
    if (w->detail) {
        buf_puts(o, "<p>");
        buf_html(o, w->detail);
        buf_puts(o, "</p>");
    }
    buf_puts(o, "<p class=\"muted\">心愿人：");
    buf_html(o, w->display_name);
    if (w->wanted_by) {
        buf_puts(o, " · 期望 ");
        buf_html(o, w->wanted_by);
        buf_puts(o, " 前实现");
    }
    buf_puts(o, "</p>");
    if (strcmp(w->state, "published") == 0) {
        if (r->me && store_wish_is_volunteer(r->db, r->me->account_id, w->place_code)) {
            buf_hprintf(o, "<form method=\"post\" action=\"/wishes/%lld/claim\">",
                        (long long)w->id);
            page_csrf_field(r);
            buf_puts(o, "<button type=\"submit\" class=\"primary\">我来认领</button></form>");
        } else if (r->me) {
            buf_puts(o, "<p class=\"muted\">志愿者账号可以认领</p>");
        } else {
            buf_puts(o, "<p><a class=\"button primary\" href=\"/login?next=/wall/");
            buf_url(o, code);
            buf_puts(o, "\">登录后认领</a></p>");
        }
    }
    buf_puts(o, "</li>\n");
}

static err_code page_wall(req *r)
{
    const char *code = req_param(r, "code");
    const char *name = store_wish_community_name(r->db, r->a, code);
    if (!name) return E_NOT_FOUND;
    struct wish *w;
    int n = store_wish_wall_items(r->db, r->a, code, 200, &w);
    if (n < 0) return E_INTERNAL;
    page_begin(r, arena_printf(r->a, "%s心愿墙", name));
    buf *o = &r->out;
    const char *done = req_query(r, "done");
    if (done && strcmp(done, "signup") == 0)
        page_message(r, "notice", "注册成功，欢迎成为志愿者！点「我来认领」帮邻居实现心愿");
    buf_puts(o, "<p class=\"muted\">这里是居民和困境儿童、老人的“微心愿”。认领后请尽快帮助实现，"
                "并上传照片。</p>\n");
    if (!r->me) {
        buf_puts(o, "<p><a class=\"button\" href=\"/volunteer/signup?community=");
        buf_url(o, code);
        buf_puts(o, "\">用手机号注册成为志愿者</a></p>\n");
    }
    if (n == 0) {
        buf_puts(o, "<p class=\"muted\">心愿墙上还没有心愿</p>\n");
        return page_end(r);
    }
    const char *today = wish_today(r->a);
    buf_puts(o, "<ul class=\"plain wishes\">\n");
    for (int i = 0; i < n; i++) wall_card(r, &w[i], today, code);
    buf_puts(o, "</ul>\n");
    return page_end(r);
}
ROUTE("GET", "/wall/{code}", page_wall, NULL, R_PAGE | R_PUBLIC, NULL,
      "社区心愿墙（公开，无需登录）");

static void signup_form(req *r, const char *error)
{
    const char *community = req_form(r, "community");
    if (!community) community = req_query(r, "community");
    const char *cname = community ? store_wish_community_name(r->db, r->a, community) : NULL;
    page_begin(r, "志愿者注册");
    buf *o = &r->out;
    page_message(r, "error", error);
    buf_puts(o, "<form class=\"card narrow\" method=\"post\" action=\"/volunteer/signup\">\n"
                "<p class=\"muted\">爱心人士用手机号注册后即可认领心愿墙上的心愿。</p>\n");
    if (cname) {
        buf_puts(o, "<input type=\"hidden\" name=\"community\" value=\"");
        buf_html(o, community);
        buf_puts(o, "\"><p>所在社区：<strong>");
        buf_html(o, cname);
        buf_puts(o, "</strong></p>\n");
    } else {
        buf_puts(o, "<label for=\"community\">社区代码</label><input id=\"community\" "
                    "name=\"community\" inputmode=\"numeric\" required placeholder=\"如 "
                    "140930100010\" value=\"");
        buf_html(o, community);
        buf_puts(o, "\">\n");
    }
    buf_puts(o, "<label for=\"name\">姓名</label><input id=\"name\" name=\"name\" required "
                "maxlength=\"30\" autocomplete=\"name\" value=\"");
    buf_html(o, req_form(r, "name"));
    buf_puts(o, "\">\n<label for=\"phone\">手机号（登录用户名）</label><input id=\"phone\" "
                "name=\"phone\" type=\"tel\" inputmode=\"numeric\" required maxlength=\"11\" "
                "autocomplete=\"tel\" value=\"");
    buf_html(o, req_form(r, "phone"));
    buf_puts(o, "\">\n<label for=\"password\">密码（至少8位）</label><input id=\"password\" "
                "name=\"password\" type=\"password\" required autocomplete=\"new-password\">\n"
                "<button type=\"submit\" class=\"primary\">注册</button>\n</form>\n"
                "<p><a href=\"/login\">已有账号，去登录</a></p>\n");
}

static err_code page_signup_get(req *r)
{
    signup_form(r, NULL);
    return page_end(r);
}
ROUTE("GET", "/volunteer/signup", page_signup_get, NULL, R_PAGE | R_PUBLIC, NULL,
      "志愿者注册页（公开）");

static err_code page_signup_post(req *r)
{
    struct volunteer_signup_input in;
    err_code e = bind_volunteer_signup(r, &in);
    struct svc_result res =
        e ? bind_refused(r, e) : svc_volunteer_signup(r->db, r->a, r->client_ip, &in);
    const char *phone = in.phone, *password = in.password, *community = in.community;
    if (res.err == E_INTERNAL || res.err == E_UNAVAILABLE) return res.err;
    if (res.err) {
        signup_form(r, res.message ? res.message : err_message_zh(res.err));
        page_end(r);
        r->status = err_http_status(res.err);
        return E_OK;
    }
    /* signed up: logged in at once, back on the wall to claim */
    char *token = NULL;
    if (session_login(r, phone, password, &token) != E_OK) return http_redirect(r, "/login");
    buf loc = {0};
    buf_puts(&loc, "/wall/");
    buf_url(&loc, community);
    buf_puts(&loc, "?done=signup");
    const char *to = arena_strdup(r->a, buf_cstr(&loc));
    buf_free(&loc);
    return http_redirect(r, to);
}
ROUTE("POST", "/volunteer/signup", page_signup_post, NULL, R_PAGE | R_PUBLIC | R_NO_CSRF, NULL,
      "提交志愿者注册（公开）");
