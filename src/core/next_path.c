#include "core/next_path.h"

#include <stddef.h>

static int hex(unsigned char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static bool bad_char(unsigned char c)
{
    return c <= 0x20 || c == 0x7f || c == '\\';
}

bool next_path_ok(const char *next)
{
    if (!next || next[0] != '/') return false;
    const unsigned char *p = (const unsigned char *)next;
    size_t i = 0; /* index in the decoded text */
    while (*p) {
        unsigned char c = *p;
        int h = c == '%' ? hex(p[1]) : -1, l = h >= 0 ? hex(p[2]) : -1;
        if (h >= 0 && l >= 0) {
            c = (unsigned char)(h * 16 + l); /* as a browser might decode it */
            p += 3;
        } else {
            p++;
        }
        if (bad_char(c)) return false;
        if (i == 1 && c == '/') return false; /* "//host": another site */
        i++;
    }
    return true;
}

const char *next_path_safe(const char *next)
{
    return next_path_ok(next) ? next : "/";
}
