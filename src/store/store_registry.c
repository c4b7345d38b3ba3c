/* Shared pieces of the registries; see store_registry.h. */
#include "store/store_registry.h"

#include "store/store_rows.h"

#include "store/store_places.h"

static void served_of(const db_rows *r, int i, void *out)
{
    *(struct served_place *)out =
        (struct served_place){db_get(r, i, 0), db_get(r, i, 1), db_get(r, i, 2)};
}

int store_served_places_of(arena *a, const db_rows *r, struct served_place **out)
{
    int n;
    *out = store_rows(a, r, sizeof **out, served_of, &n);
    return n;
}

int store_flag_of(const char *v)
{
    return v ? v[0] == '1' : -1;
}

bool store_registry_place(db *d, arena *a, int64_t viewer, const char *cap, const char *code,
                          struct served_place *out)
{
    db_rows *p = store_place_get(d, a, viewer, cap, code);
    if (p)
        *out = (struct served_place){db_get(p, 0, PLC_CODE), db_get(p, 0, PLC_NAME),
                                     db_get(p, 0, PLC_LEVEL)};
    return p != NULL;
}

const char *store_registry_top_place(db *d, arena *a, int64_t viewer, const char *cap)
{
    db_rows *t = store_place_tops(d, a, viewer, cap);
    return t && t->nrows ? db_get(t, 0, PLC_CODE) : NULL;
}
