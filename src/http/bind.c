/* Binders: see bind.h. */
#include "http/bind.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

extern const struct binder *const __start_linli_binders[];
extern const struct binder *const __stop_linli_binders[];

const struct binder *const *binders_begin(void)
{
    return __start_linli_binders;
}

const struct binder *const *binders_end(void)
{
    return __stop_linli_binders;
}

#define AT(in, off, type) ((type *)((char *)(in) + (off)))

static err_code wrong(req *r, const struct bind_field *f, const char *what)
{
    return http_fail(r, E_BAD_INPUT, f->name, arena_printf(r->a, "%s 应为%s", f->name, what));
}

/* A decimal integer, all of s ("-" allowed); false when s is not one. */
static bool parse_int(const char *s, int64_t *out)
{
    if (!s || !*s) return false;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end) return false;
    *out = v;
    return true;
}

static void mark_set(void *in, const struct bind_field *f)
{
    if (f->set_offset) *AT(in, f->set_offset, bool) = true;
}

/* A BIND_LOOSE text given as a number, a boolean or an array of strings. */
static err_code json_loose(req *r, const struct bind_field *f, json_t *v, void *in)
{
    const char **out = AT(in, f->offset, const char *);
    if (json_is_integer(v)) {
        *out = arena_printf(r->a, "%lld", (long long)json_integer_value(v));
        return 0;
    }
    if (json_is_boolean(v)) {
        *out = json_is_true(v) ? "1" : "0";
        return 0;
    }
    if (!json_is_array(v)) return wrong(r, f, "字符串");
    buf b = {0};
    size_t i;
    json_t *e;
    json_array_foreach(v, i, e)
    {
        if (!json_is_string(e)) {
            buf_free(&b);
            return wrong(r, f, "字符串或字符串数组");
        }
        if (i) buf_puts(&b, ",");
        buf_puts(&b, json_string_value(e));
    }
    *out = arena_strdup(r->a, buf_cstr(&b));
    buf_free(&b);
    return 0;
}

static err_code json_scalar(req *r, const struct bind_field *f, json_t *v, void *in)
{
    switch (f->type) {
    case BIND_TEXT:
        if (json_is_null(v)) {
            *AT(in, f->offset, const char *) = (f->flags & BIND_NULL_CLEARS) ? "" : NULL;
            return 0;
        }
        if (!json_is_string(v) && (f->flags & BIND_LOOSE)) return json_loose(r, f, v, in);
        if (!json_is_string(v)) return wrong(r, f, "字符串");
        *AT(in, f->offset, const char *) = json_string_value(v);
        return 0;
    case BIND_ID:
        if (json_is_null(v)) {
            *AT(in, f->offset, const char *) = (f->flags & BIND_NULL_CLEARS) ? "" : NULL;
            return 0;
        }
        if (json_is_integer(v))
            *AT(in, f->offset, const char *) =
                arena_printf(r->a, "%lld", (long long)json_integer_value(v));
        else if (json_is_string(v))
            *AT(in, f->offset, const char *) = json_string_value(v);
        else
            return wrong(r, f, "整数编号");
        return 0;
    case BIND_INT:
        if (json_is_null(v)) return 0;
        if (!json_is_integer(v)) return wrong(r, f, "整数");
        *AT(in, f->offset, int64_t) = json_integer_value(v);
        mark_set(in, f);
        return 0;
    case BIND_NUM:
        if (json_is_null(v)) return 0;
        if (json_is_number(v))
            *AT(in, f->offset, const char *) =
                arena_printf(r->a, "%.*f", f->max, json_number_value(v));
        else if (json_is_string(v) && (f->flags & BIND_NUM_TEXT))
            *AT(in, f->offset, const char *) = json_string_value(v);
        else
            return wrong(r, f, "数字");
        return 0;
    case BIND_BOOL:
        if (json_is_null(v)) return 0;
        if (!json_is_boolean(v)) return wrong(r, f, "true 或 false");
        *AT(in, f->offset, bool) = json_is_true(v);
        mark_set(in, f);
        return 0;
    default:
        return 0;
    }
}

static err_code json_list(req *r, const struct bind_field *f, json_t *v, void *in)
{
    if (json_is_null(v)) return 0;
    bool ids = f->type == BIND_ID_LIST;
    if (!json_is_array(v)) return wrong(r, f, ids ? "编号数组" : "字符串数组");
    size_t n = json_array_size(v);
    if (ids) {
        int64_t *out = arena_alloc(r->a, sizeof *out * (n + 1));
        for (size_t i = 0; i < n; i++) {
            json_t *e = json_array_get(v, i);
            if (!json_is_integer(e)) return wrong(r, f, "编号数组");
            out[i] = json_integer_value(e);
        }
        *AT(in, f->offset, int64_t *) = out;
    } else {
        const char **out = arena_alloc(r->a, sizeof *out * (n + 1));
        for (size_t i = 0; i < n; i++)
            if (!(out[i] = json_string_value(json_array_get(v, i))))
                return wrong(r, f, "字符串数组");
        out[n] = NULL;
        *AT(in, f->offset, const char **) = out;
    }
    *AT(in, f->count_offset, int) = (int)n;
    mark_set(in, f);
    return 0;
}

static err_code from_json(req *r, const struct binder *b, void *in)
{
    if (!json_is_object(r->json)) return http_fail(r, E_BAD_INPUT, NULL, "请求体应为 JSON 对象");
    for (const struct bind_field *f = b->fields; f->name; f++) {
        if (f->flags & BIND_PAGE_ONLY) continue;
        json_t *v = json_object_get(r->json, f->name);
        if (!v) continue;
        err_code e = (f->type == BIND_TEXT_LIST || f->type == BIND_ID_LIST)
                         ? json_list(r, f, v, in)
                         : json_scalar(r, f, v, in);
        if (e) return e;
    }
    return 0;
}

static err_code form_list(req *r, const struct bind_field *f, void *in)
{
    const char *extra = arena_printf(r->a, "%s_extra", f->name);
    int n = 0;
    const char **vals = req_form_list(r, f->name, extra, &n);
    /* a list is "given" when the form carries the field or its marker
     * (`name`_set, a hidden input: an empty set of checkboxes sends nothing) */
    if (!n && !req_form(r, arena_printf(r->a, "%s_set", f->name))) return 0;
    if (f->type == BIND_ID_LIST) {
        int64_t *out = arena_alloc(r->a, sizeof *out * (size_t)(n + 1));
        for (int i = 0; i < n; i++)
            if (!parse_int(vals[i], &out[i])) return wrong(r, f, "编号");
        *AT(in, f->offset, int64_t *) = out;
    } else {
        *AT(in, f->offset, const char **) = vals;
    }
    *AT(in, f->count_offset, int) = n;
    mark_set(in, f);
    return 0;
}

static err_code from_form(req *r, const struct binder *b, void *in)
{
    for (const struct bind_field *f = b->fields; f->name; f++) {
        if (f->flags & BIND_API_ONLY) continue;
        if (f->type == BIND_TEXT_LIST || f->type == BIND_ID_LIST) {
            err_code e = form_list(r, f, in);
            if (e) return e;
            continue;
        }
        const char *v = req_form(r, f->name);
        switch (f->type) {
        case BIND_NUM: /* an empty box is no number */
            if (v && *v) *AT(in, f->offset, const char *) = v;
            break;
        case BIND_TEXT:
        case BIND_ID:
            if (v && !(!*v && (f->flags & BIND_EMPTY_KEEPS))) *AT(in, f->offset, const char *) = v;
            break;
        case BIND_INT:
            if (!v || !*v) break;
            if (!parse_int(v, AT(in, f->offset, int64_t))) return wrong(r, f, "整数");
            mark_set(in, f);
            break;
        case BIND_BOOL:
            /* a checkbox sends nothing when unchecked: the page marks the box
             * with a hidden `name`_set so that unchecking is "given, false" */
            if (v || req_form(r, arena_printf(r->a, "%s_set", f->name))) {
                *AT(in, f->offset, bool) = v && *v && strcmp(v, "0") != 0;
                mark_set(in, f);
            }
            break;
        default:
            break;
        }
    }
    return 0;
}

err_code bind_input(req *r, const struct binder *b, void *in)
{
    return r->is_api ? from_json(r, b, in) : from_form(r, b, in);
}
