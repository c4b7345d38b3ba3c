#include "util/buf.h"

#include <stdint.h>
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

/* The first n bytes of s, escaped. */
static void html_len(buf *b, const char *s, size_t n)
{
    for (const char *end = s + n; s < end; s++) {
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

void buf_html(buf *b, const char *s)
{
    if (s) html_len(b, s, strlen(s));
}

/* The HTML-escaped text of s, at most n bytes of it (n < 0: all). */
static void html_n(buf *b, const char *s, long n)
{
    if (s) html_len(b, s, n >= 0 ? strnlen(s, (size_t)n) : strlen(s));
}

/* Written by hand: C's printf has no hook for a conversion of our own, and the
 * point is that the caller writes an ordinary format (checked by the compiler's
 * format attribute) and every %s is escaped without a second thought. Each
 * conversion other than %s and %% goes to vsnprintf with its own argument. */
void buf_hprintf(buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    const char *p = fmt;
    while (*p) {
        const char *pct = strchr(p, '%');
        if (!pct) {
            buf_puts(b, p);
            break;
        }
        buf_raw(b, p, (size_t)(pct - p));
        const char *q = pct + 1;
        if (*q == '%') {
            buf_raw(b, "%", 1);
            p = q + 1;
            continue;
        }
        int star[2], nstar = 0;
        while (*q && strchr("-+ #0", *q)) q++;
        if (*q == '*') star[nstar++] = va_arg(ap, int), q++;
        while (*q >= '0' && *q <= '9') q++;
        long prec = -1;
        if (*q == '.') {
            q++;
            if (*q == '*') {
                star[nstar++] = va_arg(ap, int);
                prec = star[nstar - 1];
                q++;
            } else {
                prec = strtol(q, NULL, 10);
                while (*q >= '0' && *q <= '9') q++;
            }
        }
        int lng = 0; /* 1 l, 2 ll, 3 z, 4 h/hh, 5 j */
        if (*q == 'l')
            lng = q[1] == 'l' ? (q += 2, 2) : (q++, 1);
        else if (*q == 'z')
            q++, lng = 3;
        else if (*q == 'j')
            q++, lng = 5;
        else if (*q == 'h')
            lng = 4, q += q[1] == 'h' ? 2 : 1;
        char conv = *q;
        if (!conv) break;
        p = q + 1;
        if (conv == 's') {
            html_n(b, va_arg(ap, const char *), prec);
            continue;
        }
        char spec[32], out[128];
        size_t sl = (size_t)(p - pct);
        if (sl >= sizeof spec) abort(); /* a format this long is a programming error */
        memcpy(spec, pct, sl);
        spec[sl] = 0;
        int n;
        /* width and precision given by '*' are passed on in order */
#define HPF(arg)                                                                                   \
    (nstar == 2   ? snprintf(out, sizeof out, spec, star[0], star[1], arg)                         \
     : nstar == 1 ? snprintf(out, sizeof out, spec, star[0], arg)                                  \
                  : snprintf(out, sizeof out, spec, arg))
        if (strchr("diouxXc", conv)) {
            if (lng == 2)
                n = HPF(va_arg(ap, long long));
            else if (lng == 1)
                n = HPF(va_arg(ap, long));
            else if (lng == 3)
                n = HPF(va_arg(ap, size_t));
            else if (lng == 5)
                n = HPF(va_arg(ap, intmax_t));
            else
                n = HPF(va_arg(ap, int));
        } else if (strchr("fFeEgG", conv)) {
            n = HPF(va_arg(ap, double));
        } else if (conv == 'p') {
            n = HPF(va_arg(ap, void *));
        } else {
            abort(); /* an unsupported conversion is a programming error */
        }
#undef HPF
        if (n > 0) buf_raw(b, out, (size_t)n < sizeof out ? (size_t)n : sizeof out - 1);
    }
    va_end(ap);
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
