/* Query rows into an array of structs; see store_rows.h. */
#include "store/store_rows.h"

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
