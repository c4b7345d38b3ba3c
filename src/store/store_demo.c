/* Statements of the demo county. See store_demo.h. */
#include "store/store_demo.h"

#include <string.h>

bool store_demo_db_empty(db *d)
{
    return DBI(d, 1, "SELECT (SELECT COUNT(*) FROM accounts) + (SELECT COUNT(*) FROM people)") == 0;
}

int64_t store_demo_next_id(db *d, const char *table)
{
    /* One literal per table: a table name cannot be a parameter. */
    if (!strcmp(table, "people")) return DBI(d, -1, "SELECT COALESCE(MAX(id), 0) + 1 FROM people");
    if (!strcmp(table, "organisations"))
        return DBI(d, -1, "SELECT COALESCE(MAX(id), 0) + 1 FROM organisations");
    if (!strcmp(table, "grids")) return DBI(d, -1, "SELECT COALESCE(MAX(id), 0) + 1 FROM grids");
    return -1;
}

int store_demo_link_person(db *d, const char *username, int64_t person_id)
{
    return DBX(d, "UPDATE accounts SET person_id = ? WHERE username = ?", P_INT(person_id),
               P_TEXT(username));
}

int store_demo_communities_with_grids(db *d, arena *a, const char *county, const char ***codes)
{
    db_rows *r = DBQ(d, a,
                     "SELECT code FROM places WHERE level = 'community' AND code >= ? AND code "
                     "< CAST(? AS TEXT) || ':' AND EXISTS (SELECT 1 FROM grids g WHERE "
                     "g.community_code = places.code) ORDER BY code",
                     P_TEXT(county), P_TEXT(county));
    if (!r) return -1;
    *codes = arena_alloc(a, (size_t)(r->nrows ? r->nrows : 1) * sizeof **codes);
    for (int i = 0; i < r->nrows; i++) (*codes)[i] = db_get(r, i, 0);
    return r->nrows;
}
