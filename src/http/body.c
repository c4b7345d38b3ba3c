#include "http/body.h"

#include <microhttpd.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/text.h"

enum {
    PP_BUFFER = 8192,   /* the post processor's own buffer: a part's headers must fit */
    MAX_FIELDS = 10000, /* far above any form of ours; each field costs a lookup */
};

static _Atomic size_t budget_used;
static size_t budget_max;

void body_budget_set(size_t bytes)
{
    budget_max = bytes;
}

size_t body_budget_in_use(void)
{
    return atomic_load(&budget_used);
}

static void fail(struct body_reader *b, err_code e, const char *field, const char *message)
{
    if (b->err != E_OK) return;
    b->err = e;
    b->err_field = field;
    b->err_message = message;
}

/* Takes n bytes of the budget for b, or fails (503: others hold it now). */
static bool charge(struct body_reader *b, size_t n)
{
    size_t used = atomic_load(&budget_used);
    do {
        if (used + n < used || (budget_max && used + n > budget_max)) {
            fail(b, E_UNAVAILABLE, NULL, "服务器正在接收的上传过多，请稍后再试");
            return false;
        }
    } while (!atomic_compare_exchange_weak(&budget_used, &used, used + n));
    b->charged += n;
    return true;
}

/* The capacity to grow to for need bytes: doubling, but never beyond what
 * Content-Length allows (a known-size upload gets exactly one block). */
static size_t grown(const struct body_reader *b, size_t cap, size_t need)
{
    size_t c = cap ? cap * 2 : 256;
    if (c < need) c = need;
    if (b->expected != UINT64_MAX && need <= b->expected + 1 && c > b->expected + 1)
        c = (size_t)b->expected + 1;
    return c;
}

/* Grows a malloc'd block to hold need bytes, charging the growth. */
static bool grow(struct body_reader *b, char **p, size_t *cap, size_t need)
{
    if (need <= *cap) return true;
    size_t c = grown(b, *cap, need);
    if (!charge(b, c - *cap)) return false;
    char *n = realloc(*p, c);
    if (!n) {
        fail(b, E_UNAVAILABLE, NULL, "服务器内存不足，请稍后再试");
        return false;
    }
    *p = n;
    *cap = c;
    return true;
}

static enum MHD_Result post_iter(void *cls, enum MHD_ValueKind kind, const char *key,
                                 const char *filename, const char *content_type,
                                 const char *transfer_encoding, const char *data, uint64_t off,
                                 size_t size)
{
    (void)kind;
    (void)transfer_encoding;
    struct body_reader *b = cls;
    if (b->err != E_OK) return MHD_NO;
    if (!key) {
        /* every accessor looks fields up by name: a field is never made without one */
        fail(b, E_BAD_INPUT, NULL, "表单中有一部分没有名称（name），无法处理");
        return MHD_NO;
    }
    struct form_field *f = b->tail;
    if (!f || off == 0 || strcmp(f->name, key) != 0) {
        if (f && b->on_field) b->on_field(b, f);
        if (b->nfields >= MAX_FIELDS) {
            fail(b, E_BAD_INPUT, NULL, "表单字段过多");
            return MHD_NO;
        }
        size_t kl = strlen(key), fl = filename ? strlen(filename) : 0,
               cl = content_type ? strlen(content_type) : 0;
        /* the field and its strings live in the arena: charged like the values */
        if (!charge(b, sizeof *f + kl + fl + cl + 48)) return MHD_NO;
        f = arena_alloc(b->a, sizeof *f);
        f->name = arena_strndup(b->a, key, kl);
        f->filename = filename ? arena_strndup(b->a, filename, fl) : NULL;
        f->content_type = content_type ? arena_strndup(b->a, content_type, cl) : NULL;
        f->value = ""; /* cap 0: not malloc'd */
        if (b->tail)
            b->tail->next = f;
        else
            b->form = f;
        b->tail = f;
        b->nfields++;
    }
    if (size > 0) {
        char *v = f->cap ? (char *)(uintptr_t)f->value : NULL; /* owned by this field */
        if (!grow(b, &v, &f->cap, f->len + size + 1)) return MHD_NO;
        memcpy(v + f->len, data, size);
        f->len += size;
        v[f->len] = 0;
        f->value = v;
    }
    return MHD_YES;
}

static bool has_prefix(const char *s, const char *p)
{
    return s && strncasecmp(s, p, strlen(p)) == 0;
}

/* After an error nothing read so far is needed: give its memory back now
 * rather than when the connection's request ends. */
static void drop(struct body_reader *b)
{
    if (b->pp) MHD_destroy_post_processor(b->pp);
    b->pp = NULL;
    for (struct form_field *f = b->form; f; f = f->next)
        if (f->cap) {
            free((char *)(uintptr_t)f->value);
            f->value = "";
            f->cap = f->len = 0;
        }
    free(b->raw);
    b->raw = NULL;
    b->raw_len = b->raw_cap = 0;
    atomic_fetch_sub(&budget_used, b->charged);
    b->charged = 0;
}

err_code body_begin(struct body_reader *b, struct MHD_Connection *c, arena *a, size_t limit)
{
    b->a = a;
    b->limit = limit;
    b->expected = UINT64_MAX;
    const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
    if (cl && *cl && strspn(cl, "0123456789") == strlen(cl) && strlen(cl) < 20)
        b->expected = strtoull(cl, NULL, 10);
    bool has_body =
        b->expected == UINT64_MAX
            ? MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Transfer-Encoding") != NULL
            : b->expected > 0;
    if (!has_body) return E_OK;
    /* known too large from the headers, unless a field read first may allow it */
    if (b->expected != UINT64_MAX && b->expected > limit && !b->on_field) {
        fail(b, E_TOO_LARGE, NULL, b->limit_message);
        return b->err;
    }
    /* what cannot fit in what is left of the budget is refused before it is read */
    size_t used = atomic_load(&budget_used);
    if (b->expected != UINT64_MAX && budget_max &&
        b->expected > (used < budget_max ? budget_max - used : 0)) {
        fail(b, E_UNAVAILABLE, NULL, "服务器正在接收的上传过多，请稍后再试");
        return b->err;
    }
    const char *ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
    if (has_prefix(ct, MHD_HTTP_POST_ENCODING_FORM_URLENCODED) ||
        has_prefix(ct, MHD_HTTP_POST_ENCODING_MULTIPART_FORMDATA)) {
        b->is_form = true;
        if (!charge(b, PP_BUFFER + 512)) return b->err;
        b->pp = MHD_create_post_processor(c, PP_BUFFER, post_iter, b);
        if (!b->pp) fail(b, E_BAD_INPUT, NULL, "表单格式有误（multipart 缺少 boundary）");
    } else if (b->expected != UINT64_MAX) {
        grow(b, &b->raw, &b->raw_cap, (size_t)b->expected + 1);
    }
    if (b->err != E_OK) drop(b);
    return b->err;
}

err_code body_feed(struct body_reader *b, const char *data, size_t n)
{
    if (b->err != E_OK) return b->err;
    /* in pieces that fit the limit: a field read on the way (an api_key) may
     * raise it for the rest */
    while (n > 0 && b->err == E_OK) {
        size_t k = b->limit - b->received;
        if (k == 0) {
            fail(b, E_TOO_LARGE, NULL, b->limit_message);
            break;
        }
        if (k > n) k = n;
        b->received += k;
        if (b->is_form) {
            if (b->pp && MHD_post_process(b->pp, data, k) != MHD_YES)
                fail(b, E_BAD_INPUT, NULL, "表单格式有误");
        } else if (grow(b, &b->raw, &b->raw_cap, b->raw_len + k + 1)) {
            memcpy(b->raw + b->raw_len, data, k);
            b->raw_len += k;
            b->raw[b->raw_len] = 0;
        }
        data += k;
        n -= k;
    }
    if (b->err != E_OK) drop(b);
    return b->err;
}

/* A file part (a photo, a CSV in GB18030, an xlsx) is bytes; anything else
 * in a form is text. */
static bool is_file(const struct form_field *f)
{
    return f->filename || (f->content_type && !has_prefix(f->content_type, "text/plain"));
}

err_code body_end(struct body_reader *b)
{
    if (b->pp) {
        /* flushes the last urlencoded value; NO: a body cut short or malformed */
        enum MHD_Result ok = MHD_destroy_post_processor(b->pp);
        b->pp = NULL;
        if (ok != MHD_YES) fail(b, E_BAD_INPUT, NULL, "表单格式有误或不完整");
    }
    if (b->err != E_OK) return b->err;
    for (const struct form_field *f = b->form; f; f = f->next) {
        if (!text_utf8_valid(f->name, strlen(f->name))) {
            fail(b, E_BAD_INPUT, NULL, "表单字段名不是有效的 UTF-8 文本");
            break;
        }
        if (!is_file(f) && !text_utf8_valid(f->value, f->len)) {
            fail(b, E_BAD_INPUT, f->name,
                 arena_printf(b->a, "“%s”的内容含有无效字符（应为 UTF-8 文本，不能含 NUL）",
                              f->name));
            break;
        }
    }
    return b->err;
}

void body_release(struct body_reader *b)
{
    if (b->pp) MHD_destroy_post_processor(b->pp);
    b->pp = NULL;
    for (struct form_field *f = b->form; f; f = f->next)
        if (f->cap) free((char *)(uintptr_t)f->value);
    b->form = b->tail = NULL;
    free(b->raw);
    b->raw = NULL;
    atomic_fetch_sub(&budget_used, b->charged);
    b->charged = 0;
}
