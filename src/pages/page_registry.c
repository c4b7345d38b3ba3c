/* Shared pieces of the registry pages; see page_registry.h. */
#include "pages/page_registry.h"

#include <string.h>

#include "core/roles.h"
#include "pages/layout.h"
#include "pages/ui.h"
#include "store/store_accounts.h"

const char *const (*registry_options(arena *a, const char *const *ids, const char *const *zh, int n,
                                     const char *any))[2]
{
    const char *(*o)[2] = arena_alloc(a, sizeof *o * (size_t)(n + 2));
    int k = 0;
    if (any) {
        o[k][0] = "";
        o[k++][1] = any;
    }
    for (int i = 0; i < n; i++, k++) {
        o[k][0] = ids[i];
        o[k][1] = zh[i];
    }
    return (const char *const(*)[2])o;
}

void registry_new_button(req *r, const char *path, const char *label, const char *cap,
                         const char *place)
{
    if (!principal_has_cap(r->me, cap)) return;
    buf *o = &r->out;
    buf_hprintf(o, "<p><a class=\"button primary\" href=\"%s/new", path);
    if (place && *place) {
        buf_puts(o, "?place=");
        buf_url(o, place);
    }
    buf_hprintf(o, "\">%s</a></p>\n", label);
}

err_code registry_end(req *r, int status)
{
    return page_end_status(r, status);
}

err_code registry_refuse(req *r, const char *message)
{
    page_message(r, "error", message);
    return registry_end(r, 400);
}

void registry_pager(req *r, const char *path, int64_t last_id, const char *const *names,
                    const char *const *values, int n)
{
    buf *o = &r->out;
    buf_hprintf(o, "<nav class=\"pager\"><a href=\"%s?cursor=%lld", path, (long long)last_id);
    for (int i = 0; i < n; i++) {
        if (!values[i] || !*values[i]) continue;
        buf_hprintf(o, "&amp;%s=", names[i]);
        buf_url(o, values[i]);
    }
    buf_puts(o, "\">下一页</a></nav>\n");
}

void registry_form_open(req *r, const char *path, int64_t id)
{
    buf_hprintf(&r->out, "<form method=\"post\" action=\"%s", path);
    if (id) buf_printf(&r->out, "/%lld", (long long)id);
    buf_puts(&r->out, "\">");
    page_csrf_field(r);
}

void registry_form_close(req *r, const char *label)
{
    buf_hprintf(&r->out, "<button type=\"submit\" class=\"primary\">%s</button></form>\n", label);
}

static bool listed(const char *const *v, int n, const char *s)
{
    for (int i = 0; s && i < n; i++)
        if (!strcmp(v[i], s)) return true;
    return false;
}

static bool among(const struct served_place *p, int n, const char *code)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(p[i].code, code)) return true;
    return false;
}

void registry_places_fieldset(req *r, const struct registry_places *f,
                              const struct served_place *children, int nchildren,
                              const struct served_place *cur, int ncur)
{
    buf *o = &r->out;
    int nsel = 0;
    const char *const *sel = NULL;
    if (r->form)
        sel = req_form_list(r, "places", "places_extra", &nsel);
    else if (ncur > 0 || !f->dflt) {
        const char **s = arena_alloc(r->a, sizeof *s * (size_t)(ncur + 1));
        for (int i = 0; i < ncur; i++) s[nsel++] = cur[i].code;
        sel = s;
    } else {
        sel = &f->dflt;
        nsel = 1;
    }
    buf_hprintf(o, "<fieldset><legend>%s</legend>\n", f->legend);
    for (int pass = 0; pass < 2; pass++) {
        const struct served_place *list = pass ? cur : children;
        int n = pass ? ncur : nchildren;
        for (int i = 0; i < n; i++) {
            if (!pass && f->level && strcmp(list[i].level, f->level) != 0) continue;
            if (pass && among(children, nchildren, list[i].code)) continue;
            buf_hprintf(o,
                        "<label class=\"check\"><input type=\"checkbox\" name=\"places\" "
                        "value=\"%s\"%s>%s</label>\n",
                        list[i].code, listed(sel, nsel, list[i].code) ? " checked" : "",
                        list[i].name);
        }
    }
    ui_input(o, "places_extra", f->extra_label, r->form ? req_form(r, "places_extra") : NULL,
             "inputmode=\"numeric\"");
    buf_puts(o, "<input type=\"hidden\" name=\"places_set\" value=\"1\"></fieldset>\n");
}

const char *registry_query_place(req *r, const char *cap)
{
    const char *place = req_query(r, "place");
    return place && store_place_visible(r->db, r->a, r->me->account_id, cap, place) ? place : NULL;
}

err_code registry_new_page(req *r, const struct registry_new *p, const char *error, int status)
{
    page_begin(r, p->title);
    buf *o = &r->out;
    buf_hprintf(o,
                "<nav class=\"breadcrumbs\" aria-label=\"位置\"><a href=\"%s\">%s</a> › %s</nav>\n",
                p->list_path, p->list_label, p->crumb);
    page_message(r, "error", error);
    buf_puts(o, "<section class=\"card\">\n");
    p->form(r, registry_query_place(r, p->cap));
    buf_puts(o, "</section>\n");
    return registry_end(r, status);
}

err_code registry_written(req *r, struct svc_result res, const char *to, const char **message,
                          int *status)
{
    *message = NULL;
    if (!res.err) return http_redirect(r, to);
    if (res.err == E_INTERNAL || res.err == E_UNAVAILABLE) return res.err;
    if (res.err == E_NOT_FOUND && !res.field) return E_NOT_FOUND;
    *message = res.message ? res.message : err_message_zh(res.err);
    *status = err_http_status(res.err);
    return E_OK;
}
