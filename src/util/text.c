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
