/* linli binders — prints every binder (http/bind.h) as JSON: its fields with
 * their types and limits and the routes that use it, for the test that checks
 * the OpenAPI request schemas against them. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "http/bind.h"

static const char *type_name(enum bind_type t)
{
    switch (t) {
    case BIND_TEXT:
        return "text";
    case BIND_ID:
        return "id";
    case BIND_INT:
        return "int";
    case BIND_BOOL:
        return "bool";
    case BIND_TEXT_LIST:
        return "text_list";
    case BIND_ID_LIST:
        return "id_list";
    case BIND_NUM:
        return "num";
    case BIND_OBJECT:
        return "object";
    }
    return "?";
}

static json_t *field_json(const struct bind_field *f)
{
    json_t *o = json_pack(
        "{s:s, s:s, s:i, s:b, s:b, s:b, s:b, s:b}", "name", f->name, "type", type_name(f->type),
        "max", f->max, "required", (f->flags & BIND_REQUIRED) != 0, "null_clears",
        (f->flags & BIND_NULL_CLEARS) != 0, "multiline", (f->flags & BIND_MULTILINE) != 0, "api",
        !(f->flags & BIND_PAGE_ONLY), "page", !(f->flags & BIND_API_ONLY));
    json_object_set_new(o, "format", f->format ? json_string(f->format) : json_null());
    return o;
}

static int cmd_binders(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    json_t *all = json_array();
    for (const struct binder *const *b = binders_begin(); b < binders_end(); b++) {
        json_t *fields = json_array(), *routes = json_array();
        for (const struct bind_field *f = (*b)->fields; f->name; f++)
            json_array_append_new(fields, field_json(f));
        for (const char *const *rt = (*b)->routes; *rt; rt++)
            json_array_append_new(routes, json_string(*rt));
        json_array_append_new(all, json_pack("{s:s, s:o, s:o}", "name", (*b)->name, "fields",
                                             fields, "routes", routes));
    }
    char *s = json_dumps(all, JSON_INDENT(1));
    puts(s);
    free(s);
    json_decref(all);
    return 0;
}
COMMAND(
    "binders", cmd_binders, "列出全部绑定器（测试用）/ print the request binders as JSON",
    "用法 usage: linli binders\n\n以 JSON 列出每个操作的请求字段（名称、类型、上限）及其路由。\n"
    "Prints every operation's request fields (name, type, limit) and its routes as JSON.\n");
