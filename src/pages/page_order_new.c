/* 群众点单: GET /orders/new, the intake form, and POST /orders. A resident
 * files for their own household (the place is fixed); staff who may dispatch
 * file for any place in their scope and choose the channel (网格员上报,
 * 隐患上报, 心愿墙/意见箱, 热线/12345, 未诉先办). Up to six photos ride along in
 * the same multipart form and the same transaction as the order. */
#include <stdlib.h>
#include <string.h>

#include "core/roles.h"
#include "http/bind_orders.h"
#include "pages/layout.h"
#include "pages/page_orders.h"
#include "pages/ui.h"
#include "service/svc_categories.h"
#include "service/svc_order_photos.h"
#include "service/svc_orders.h"
#include "store/store_orders.h"
#include "store/store_people.h"

static const char *val(req *r, const char *name)
{
    return r->form ? req_form(r, name) : req_query(r, name);
}

static const char *const urgency_opts[][2] = {
    {"normal", "一般"}, {"urgent", "紧急"}, {"critical", "特急"}, {NULL, NULL}};
static const char *const scope_opts[][2] = {{"household", "本户"},  {"building", "本楼栋"},
                                            {"compound", "本小区"}, {"community", "全社区"},
                                            {"wider", "跨社区"},    {NULL, NULL}};

/* The household of the account's person, or NULL. */
static const char *own_household(req *r)
{
    struct order_account me;
    store_order_account(r->db, r->me->account_id, &me);
    return me.person_id ? store_person_place_code(r->db, r->a, me.person_id) : NULL;
}

static err_code new_order_page(req *r, const char *error, int status)
{
    bool staff = principal_has_cap(r->me, CAP_ORDERS_FILE);
    const char *home = staff ? NULL : own_household(r);
    struct order_account me = {0};
    if (!staff) store_order_account(r->db, r->me->account_id, &me);
    bool partner = me.partner;
    page_begin(r, staff ? "代录诉求" : "我要点单");
    buf *o = &r->out;
    buf_puts(o, "<nav class=\"breadcrumbs\" aria-label=\"位置\"><a href=\"/orders\">工单</a> › "
                "提交诉求</nav>\n");
    page_message(r, "error", error);
    if (!staff && !home) {
        page_message(r, "error", "您的账号尚未关联住户，暂不能提交诉求，请联系社区工作人员");
        err_code e = page_end(r);
        r->status = status;
        return e;
    }
    buf_puts(o, "<form class=\"card\" method=\"post\" action=\"/orders\" "
                "enctype=\"multipart/form-data\">");
    page_csrf_field(r);
    /* the category tree: groups as optgroups, the items below them */
    const char *cat = val(r, "category_code");
    buf_puts(o, "<label for=\"category_code\">事项分类</label>"
                "<select id=\"category_code\" name=\"category_code\" required>"
                "<option value=\"\">请选择</option>");
    struct category_eff *cats;
    int nc = 0;
    if (svc_categories_tree(r->db, r->a, 0, NULL, &cats, &nc) != E_OK) nc = 0;
    bool open = false;
    for (int i = 0; i < nc; i++) {
        if (!cats[i].active) continue;
        if (cats[i].depth == 0) {
            if (open) buf_puts(o, "</optgroup>");
            buf_puts(o, "<optgroup label=\"");
            buf_html(o, cats[i].name);
            buf_puts(o, "\">");
            open = true;
            continue;
        }
        buf_puts(o, "<option value=\"");
        buf_html(o, cats[i].code);
        buf_puts(o, cat && !strcmp(cat, cats[i].code) ? "\" selected>" : "\">");
        buf_html(o, cats[i].name);
        buf_puts(o, "</option>");
    }
    if (open) buf_puts(o, "</optgroup>");
    buf_puts(o, "</select>\n<label for=\"title\">标题</label><input id=\"title\" name=\"title\" "
                "maxlength=\"60\" required placeholder=\"一句话说明问题\" value=\"");
    buf_html(o, val(r, "title"));
    buf_puts(o, "\">\n<label for=\"description\">诉求内容</label><textarea id=\"description\" "
                "name=\"description\" maxlength=\"2000\" required>");
    buf_html(o, val(r, "description"));
    buf_puts(o, "</textarea>\n");
    if (staff) {
        buf_puts(o, "<label for=\"place_code\">地点（区划代码）</label><input id=\"place_code\" "
                    "name=\"place_code\" inputmode=\"numeric\" required "
                    "placeholder=\"住户、楼栋、小区或社区代码\" value=\"");
        buf_html(o, val(r, "place_code"));
        buf_puts(o, "\">\n");
        ui_select(o, "channel", "来源渠道", order_staff_channels, val(r, "channel"));
        buf_puts(o, "\n<label for=\"requester_person_id\">诉求人编号（可选）</label>"
                    "<input id=\"requester_person_id\" name=\"requester_person_id\" "
                    "inputmode=\"numeric\" value=\"");
        buf_html(o, val(r, "requester_person_id"));
        buf_puts(o, "\">\n");
    } else if (partner) {
        /* 隐患上报 anywhere on the rounds, or a request for one's own home */
        static const char *const partner_channels[][2] = {
            {"partner", "隐患上报（民情信息员）"}, {"web", "我家的诉求"}, {NULL, NULL}};
        ui_select(o, "channel", "上报类型", partner_channels, val(r, "channel"));
        buf_puts(o, "\n<label for=\"place_code\">地点（区划代码，默认本户）</label><input "
                    "id=\"place_code\" name=\"place_code\" inputmode=\"numeric\" required "
                    "value=\"");
        const char *pc = val(r, "place_code");
        buf_html(o, pc && *pc ? pc : home);
        buf_puts(o, "\">\n");
    } else {
        buf_puts(o, "<p class=\"muted\">地点：本户（");
        buf_html(o, home);
        buf_puts(o, "）</p><input type=\"hidden\" name=\"place_code\" value=\"");
        buf_html(o, home);
        buf_puts(o, "\">\n");
    }
    ui_select(o, "urgency", "紧急程度", urgency_opts, val(r, "urgency"));
    ui_select(o, "scope_size", "涉及范围", scope_opts, val(r, "scope_size"));
    buf_puts(o, "\n<label for=\"contact_phone\">联系电话（仅承办人可见）</label>"
                "<input id=\"contact_phone\" name=\"contact_phone\" type=\"tel\" "
                "inputmode=\"tel\" value=\"");
    buf_html(o, val(r, "contact_phone"));
    buf_puts(o, "\">\n<fieldset><legend>位置坐标（可选）</legend><label for=\"lat\">纬度</label>"
                "<input id=\"lat\" name=\"lat\" inputmode=\"decimal\" value=\"");
    buf_html(o, val(r, "lat"));
    buf_puts(o, "\"><label for=\"lon\">经度</label><input id=\"lon\" name=\"lon\" "
                "inputmode=\"decimal\" value=\"");
    buf_html(o, val(r, "lon"));
    buf_puts(o, "\"></fieldset>\n<label for=\"photos\">照片（最多6张，JPEG/PNG/WebP，每张不超过"
                "5MB）</label><input id=\"photos\" name=\"photos\" type=\"file\" multiple "
                "accept=\"image/jpeg,image/png,image/webp\">\n"
                "<button type=\"submit\" class=\"primary\">提交诉求</button></form>\n");
    return page_end_status(r, status);
}

static err_code page_order_new(req *r)
{
    return new_order_page(r, NULL, 200);
}
ROUTE("GET", "/orders/new", page_order_new, CAP_SELF, R_PAGE, NULL, "群众点单：提交诉求");

static err_code page_order_create(req *r)
{
    struct order_intake in = {0};
    err_code e = bind_order_intake(r, &in);
    if (e) return new_order_page(r, r->err_message, 400);
    struct order_photo_upload *photos;
    int n = bind_order_photos(r, "photos", &photos);
    struct svc_result res = svc_order_create_with_photos(r->db, r->a, r->me, &in, photos, n);
    if (res.err == E_INTERNAL || res.err == E_UNAVAILABLE) return res.err;
    if (res.err)
        return new_order_page(r, res.message ? res.message : err_message_zh(res.err),
                              err_http_status(res.err));
    return http_redirect(r, arena_printf(r->a, "/orders/%lld?done=submit", (long long)res.id));
}
ROUTE("POST", "/orders", page_order_create, CAP_SELF, R_PAGE, NULL, "群众点单：提交诉求");
