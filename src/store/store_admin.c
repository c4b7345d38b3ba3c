/* The maintenance commands' reads; see store_admin.h. */
#include "store/store_admin.h"

#include "store/store_accounts.h"
#include "store/store_points.h"

int store_ledger_faults(db *d, arena *a, struct ledger_fault **out)
{
    db_rows *r = store_points_check(d, a); /* what, id, expected, found */
    if (!r) return -1;
    *out = arena_alloc(a, (size_t)(r->nrows ? r->nrows : 1) * sizeof **out);
    for (int i = 0; i < r->nrows; i++)
        (*out)[i] = (struct ledger_fault){.movement = db_get(r, i, 0)[0] == 'm',
                                          .id = db_get_int(r, i, 1),
                                          .expected = db_get(r, i, 2),
                                          .found = db_get(r, i, 3)};
    return r->nrows;
}

void store_ledger_size(db *d, int64_t *movements, int64_t *accounts)
{
    *movements = DBI(d, 0, "SELECT COUNT(*) FROM points_movements");
    *accounts = DBI(d, 0, "SELECT COUNT(*) FROM points_accounts");
}

int store_backup_into(db *d, const char *path)
{
    return DBX(d, "VACUUM INTO ?", P_TEXT(path));
}

int store_account_listing(db *d, arena *a, int limit, struct account_listing **out)
{
    /* id, username, display_name, disabled, created_at */
    db_rows *r = store_accounts_list(d, a, 0, NULL, 0, limit);
    if (!r) return -1;
    *out = arena_alloc(a, (size_t)(r->nrows ? r->nrows : 1) * sizeof **out);
    for (int i = 0; i < r->nrows; i++) {
        struct account_listing *o = &(*out)[i];
        *o = (struct account_listing){.id = db_get_int(r, i, 0),
                                      .username = db_get(r, i, 1),
                                      .display_name = db_get(r, i, 2),
                                      .disabled = db_get_int(r, i, 3) != 0};
        /* id, account_id, role, place_code, place_name, grid_id, grid_name, org_id, org_name */
        db_rows *g = store_grants_of(d, a, o->id);
        if (!g) return -1;
        o->ngrants = g->nrows;
        o->grants = arena_alloc(a, (size_t)(g->nrows ? g->nrows : 1) * sizeof *o->grants);
        for (int j = 0; j < g->nrows; j++)
            o->grants[j] = (struct account_grant){.role = db_get(g, j, 2),
                                                  .where = db_get(g, j, 3)   ? db_get(g, j, 3)
                                                           : db_get(g, j, 6) ? db_get(g, j, 6)
                                                                             : db_get(g, j, 8)};
    }
    return r->nrows;
}
