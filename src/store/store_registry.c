/* Shared pieces of the registries; see store_registry.h. */
#include "store/store_registry.h"

int store_served_places_of(arena *a, const db_rows *r, struct served_place **out)
{
    *out = NULL;
    if (!r) return -1;
    struct served_place *p = arena_alloc(a, sizeof *p * (size_t)(r->nrows + 1));
    for (int i = 0; i < r->nrows; i++)
        p[i] = (struct served_place){db_get(r, i, 0), db_get(r, i, 1), db_get(r, i, 2)};
    *out = p;
    return r->nrows;
}

int store_flag_of(const char *v)
{
    return v ? v[0] == '1' : -1;
}
