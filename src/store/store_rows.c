/* Query rows into an array of structs; see store_rows.h. */
#include "store/store_rows.h"

#include <string.h>

void *store_rows(arena *a, const db_rows *r, size_t size, store_row_fn fn, int *n)
{
    if (!r) {
        *n = -1;
        return NULL;
    }
    char *v = arena_alloc(a, size * (size_t)(r->nrows + 1));
    for (int i = 0; i < r->nrows; i++) fn(r, i, v + size * (size_t)i);
    *n = r->nrows;
    return v;
}

const char *store_like_pattern(arena *a, const char *s, bool contains)
{
    if (!s || !*s) return NULL;
    size_t n = strlen(s);
    char *out = arena_alloc(a, 2 * n + 3), *o = out;
    if (contains) *o++ = '%';
    for (; *s; s++) {
        if (*s == '%' || *s == '_' || *s == '\\') *o++ = '\\';
        *o++ = *s;
    }
    *o++ = '%';
    *o = 0;
    return out;
}
