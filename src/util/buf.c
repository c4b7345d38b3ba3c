#include "util/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void buf_grow(buf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap) return;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + extra + 1) cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p) abort();
    b->data = p;
    b->cap = cap;
}

void buf_free(buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

void buf_reset(buf *b)
{
    b->len = 0;
    if (b->data) b->data[0] = 0;
}

void buf_raw(buf *b, const char *s, size_t n)
{
    buf_grow(b, n);
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = 0;
}

void buf_puts(buf *b, const char *s)
{
    if (s) buf_raw(b, s, strlen(s));
}

void buf_vprintf(buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n <= 0) return;
    buf_grow(b, (size_t)n);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void buf_printf(buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(b, fmt, ap);
    va_end(ap);
}

void buf_html(buf *b, const char *s)
{
    if (!s) return;
    for (; *s; s++) {
        switch (*s) {
        case '&':
            buf_raw(b, "&amp;", 5);
            break;
        case '<':
            buf_raw(b, "&lt;", 4);
            break;
        case '>':
            buf_raw(b, "&gt;", 4);
            break;
        case '"':
            buf_raw(b, "&quot;", 6);
            break;
        case '\'':
            buf_raw(b, "&#39;", 5);
            break;
        default:
            buf_raw(b, s, 1);
        }
    }
}

void buf_htmlf(buf *b, const char *fmt, ...)
{
    buf tmp = {0};
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&tmp, fmt, ap);
    va_end(ap);
    buf_html(b, buf_cstr(&tmp));
    buf_free(&tmp);
}

void buf_url(buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    if (!s) return;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '_' || *p == '.' || *p == '~') {
            buf_raw(b, (const char *)p, 1);
        } else {
            char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};
            buf_raw(b, e, 3);
        }
    }
}

void buf_json_str(buf *b, const char *s)
{
    if (!s) {
        buf_raw(b, "null", 4);
        return;
    }
    buf_raw(b, "\"", 1);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"':
            buf_raw(b, "\\\"", 2);
            break;
        case '\\':
            buf_raw(b, "\\\\", 2);
            break;
        case '\n':
            buf_raw(b, "\\n", 2);
            break;
        case '\r':
            buf_raw(b, "\\r", 2);
            break;
        case '\t':
            buf_raw(b, "\\t", 2);
            break;
        case '<':
            buf_raw(b, "\\u003c", 6);
            break; /* safe inside <script> */
        default:
            if (*p < 0x20)
                buf_printf(b, "\\u%04x", *p);
            else
                buf_raw(b, (const char *)p, 1);
        }
    }
    buf_raw(b, "\"", 1);
}

void buf_csv_field(buf *b, const char *s)
{
    if (!s) return;
    /* A leading = + - @ (or a tab or carriage return before one, which spreadsheets skip)
     * would make a spreadsheet run a formula; prefix a quote. */
    int formula = *s && strchr("=+-@\t\r", *s) && s[1];
    if (!formula && !strpbrk(s, ",\"\r\n")) {
        buf_puts(b, s);
        return;
    }
    buf_raw(b, "\"", 1);
    if (formula) buf_raw(b, "'", 1);
    for (; *s; s++) {
        if (*s == '"')
            buf_raw(b, "\"\"", 2);
        else
            buf_raw(b, s, 1);
    }
    buf_raw(b, "\"", 1);
}

const char *buf_cstr(buf *b)
{
    return b->data ? b->data : "";
}
