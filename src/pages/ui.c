/* The small pieces every page is made of; see ui.h. */
#include "pages/ui.h"

#include <string.h>

#include "pages/layout.h"

void ui_row(buf *o, const char *label, const char *value)
{
    buf_hprintf(o, "<dt>%s</dt><dd>%s</dd>\n", label, value && *value ? value : "—");
}

void ui_row_n(buf *o, const char *label, int64_t value)
{
    buf_hprintf(o, "<dt>%s</dt><dd>%lld</dd>\n", label, (long long)value);
}

void ui_kpi(buf *o, const char *value, const char *label)
{
    buf_hprintf(o, "<div><strong>%s</strong><span>%s</span></div>", value, label);
}

void ui_kpi_n(buf *o, long long value, const char *label)
{
    buf_hprintf(o, "<div><strong>%lld</strong><span>%s</span></div>", value, label);
}

void ui_input(buf *o, const char *name, const char *label, const char *value, const char *attrs)
{
    buf_hprintf(o, "<label for=\"%s\">%s</label><input id=\"%s\" name=\"%s\" ", name, label, name,
                name);
    buf_puts(o, attrs); /* trusted: literal markup of the caller */
    buf_hprintf(o, " value=\"%s\">\n", value);
}

void ui_select(buf *o, const char *name, const char *label, const char *const (*options)[2],
               const char *selected)
{
    buf_hprintf(o, "<label for=\"%s\">%s</label><select id=\"%s\" name=\"%s\">", name, label, name,
                name);
    for (int i = 0; options[i][0]; i++)
        buf_hprintf(o, "<option value=\"%s\"%s>%s</option>", options[i][0],
                    selected && !strcmp(selected, options[i][0]) ? " selected" : "", options[i][1]);
    buf_puts(o, "</select>\n");
}

void ui_post_button(req *r, const char *action, const char *label, bool primary)
{
    buf_hprintf(&r->out, "<form class=\"inline\" method=\"post\" action=\"%s\">", action);
    page_csrf_field(r);
    buf_puts(&r->out,
             primary ? "<button type=\"submit\" class=\"primary\">" : "<button type=\"submit\">");
    buf_hprintf(&r->out, "%s</button></form>\n", label);
}

const char *ui_value(req *r, const char *name, const char *stored)
{
    return r->form ? req_form(r, name) : stored;
}
