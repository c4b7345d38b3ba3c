#include "util/text.h"

#include <string.h>

static const char ideographic_space[] = "\xE3\x80\x80"; /* U+3000 */

static int is_ascii_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

char *text_trim(arena *a, const char *s)
{
    if (!s) return NULL;
    for (;;) {
        if (is_ascii_space(*s))
            s++;
        else if (!strncmp(s, ideographic_space, 3))
            s += 3;
        else
            break;
    }
    size_t n = strlen(s);
    for (;;) {
        if (n && is_ascii_space(s[n - 1]))
            n--;
        else if (n >= 3 && !memcmp(s + n - 3, ideographic_space, 3))
            n -= 3;
        else
            break;
    }
    return arena_strndup(a, s, n);
}

size_t text_chars(const char *s)
{
    size_t n = 0;
    for (; s && *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) n++;
    return n;
}

long text_chars_printable(const char *s)
{
    long n = 0;
    for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
        if (*p < 0x20 && *p != '\t') return -1;
        if ((*p & 0xC0) != 0x80) n++;
    }
    return n;
}

bool text_utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    while (p < end) {
        unsigned c = *p;
        if (c == 0) return false;
        if (c < 0x80) {
            p++;
            continue;
        }
        size_t len;
        unsigned cp;
        if (c >= 0xC2 && c <= 0xDF)
            len = 2, cp = c & 0x1F;
        else if (c >= 0xE0 && c <= 0xEF)
            len = 3, cp = c & 0x0F;
        else if (c >= 0xF0 && c <= 0xF4)
            len = 4, cp = c & 0x07;
        else
            return false; /* a continuation byte first, or 0xC0/0xC1/0xF5… that never occur */
        if ((size_t)(end - p) < len) return false;
        for (size_t i = 1; i < len; i++) {
            if ((p[i] & 0xC0) != 0x80) return false;
            cp = cp << 6 | (p[i] & 0x3F);
        }
        /* overlong forms, UTF-16 surrogates, beyond U+10FFFF */
        if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        p += len;
    }
    return true;
}

bool text_optional(arena *a, const char *in, long max, const char **out)
{
    const char *t = text_trim(a, in);
    *out = t && *t ? t : NULL;
    long n = *out ? text_chars_printable(t) : 0;
    return n >= 0 && n <= max;
}
