/* /api-keys: the Open311 API keys of the places the account administers
 * (accounts.admin): list, create (the new key is shown on the answer page,
 * once), revoke. The rules are in service/svc_api_keys.c. */
#include "core/roles.h"
#include "http/bind_accounts.h"
#include "http/http.h"
#include "pages/layout.h"
#include "pages/ui.h"
#include "service/svc_api_keys.h"
#include "store/store_api_keys.h"

static void key_row(req *r, const struct api_key_row *k)
{
    buf *o = &r->out;
    buf_hprintf(o,
                "<tr><td>%s</td><td>%s<br><small>%s</small></td><td><code>%s…</code></td>"
                "<td>%s<br><small>%s</small></td><td>%s</td><td>",
                k->name, k->place_name, k->place_code, k->prefix, page_time(r, k->created_at),
                k->creator ? k->creator : "命令行",
                k->last_used_at ? page_time(r, k->last_used_at) : "未使用");
    if (k->revoked_at) {
        buf_puts(o, "已停用");
    } else {
        buf_printf(o, "<form method=\"post\" action=\"/api-keys/%lld/revoke\">", (long long)k->id);
        page_csrf_field(r);
        buf_puts(o, "<button type=\"submit\">停用</button></form>");
    }
    buf_puts(o, "</td></tr>\n");
}

static void key_table(req *r)
{
    buf *o = &r->out;
    struct api_key_row *k;
    int n = store_api_keys_find(r->db, r->a, r->me->account_id, CAP_ACCOUNTS, 0, 500, &k);
    if (n <= 0) {
        buf_puts(o, "<p>还没有密钥。</p>\n");
        return;
    }
    buf_puts(o, "<div class=\"table-wrap\"><table class=\"table\"><thead><tr><th>名称</th>"
                "<th>区划</th><th>密钥前缀</th><th>创建</th><th>最近使用</th><th>状态</th>"
                "</tr></thead><tbody>\n");
    for (int i = 0; i < n; i++) key_row(r, &k[i]);
    buf_puts(o, "</tbody></table></div>\n");
}

static err_code keys_page(req *r, const char *new_key, const char *error, int status)
{
    page_begin(r, "Open311 接口密钥");
    buf *o = &r->out;
    buf_puts(o, "<p>12345 热线、政务服务平台等外部系统凭密钥通过 "
                "Open311 GeoReport v2 接口（/open311/v2/）提交诉求；每个密钥只能在其区划内提交。"
                "</p>\n");
    page_message(r, "error", error);
    if (new_key) {
        buf_puts(o, "<section class=\"card\" role=\"status\"><h2>新密钥</h2><p>请立即复制保存，"
                    "离开本页后将无法再次查看：</p><p><code>");
        buf_html(o, new_key);
        buf_puts(o, "</code></p></section>\n");
    }
    if (req_query(r, "revoked")) page_message(r, "notice", "密钥已停用");
    buf_puts(o, "<section class=\"card\"><h2>创建密钥</h2><form method=\"post\" "
                "action=\"/api-keys\">");
    page_csrf_field(r);
    ui_input(o, "name", "名称（接入的系统）", error ? req_form(r, "name") : NULL,
             "required maxlength=\"60\"");
    ui_input(o, "place_code", "适用区划代码", error ? req_form(r, "place_code") : NULL,
             "inputmode=\"numeric\" required placeholder=\"如 140930100010\"");
    buf_puts(o, "<button type=\"submit\" class=\"primary\">创建</button></form></section>\n");
    key_table(r);
    return page_end_status(r, status);
}

static err_code page_keys(req *r)
{
    return keys_page(r, NULL, NULL, 200);
}
ROUTE("GET", "/api-keys", page_keys, CAP_ACCOUNTS, R_PAGE, NULL, "Open311 接口密钥管理");

static err_code page_keys_create(req *r)
{
    struct api_key_input in = {0};
    err_code e = bind_input(r, &api_key_create_bind, &in);
    const char *key = NULL;
    struct svc_result res =
        e ? bind_refused(r, e)
          : svc_api_key_create(r->db, r->a, r->me, in.name, in.place_code, &key);
    if (res.err == E_INTERNAL || res.err == E_UNAVAILABLE) return res.err;
    if (res.err)
        return keys_page(r, NULL, res.message ? res.message : err_message_zh(res.err),
                         err_http_status(res.err));
    /* answered here, not redirected: the key is shown this once */
    return keys_page(r, key, NULL, 200);
}
ROUTE("POST", "/api-keys", page_keys_create, CAP_ACCOUNTS, R_PAGE, NULL, "创建 Open311 接口密钥");

static err_code page_keys_revoke(req *r)
{
    int64_t id = req_id(r, "id");
    struct svc_result res = svc_api_key_revoke(r->db, r->a, r->me, id);
    if (res.err == E_NOT_FOUND) return E_NOT_FOUND;
    if (res.err == E_INTERNAL || res.err == E_UNAVAILABLE) return res.err;
    if (res.err)
        return keys_page(r, NULL, res.message ? res.message : err_message_zh(res.err),
                         err_http_status(res.err));
    return http_redirect(r, "/api-keys?revoked=1");
}
ROUTE("POST", "/api-keys/{id}/revoke", page_keys_revoke, CAP_ACCOUNTS, R_PAGE, "api_key",
      "停用 Open311 接口密钥");
