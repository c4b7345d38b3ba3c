/* Grids in portable SQL; see store_grids.h. Household counts sum, over the
 * grid's places, the 户 places in each place's code range (the service keeps a
 * grid's places from nesting, so nothing is counted twice). */
#include "store/store_grids.h"

#include "core/roles.h"
#include "store/scope.h"
#include "util/clock.h"

/* The columns of enum grid_col for the grid aliased g. */
#define GRID_COLS                                                                                  \
    "g.id, g.code, g.name, g.kind, g.community_code, c.name AS community_name, g.created_at, "     \
    "(SELECT COUNT(*) FROM grid_places gp WHERE gp.grid_id = g.id) AS n_places, "                  \
    "(SELECT COUNT(*) FROM grid_places gp JOIN places h ON h.code >= gp.place_code AND h.code < "  \
    "gp.place_code || ':' WHERE gp.grid_id = g.id AND h.level = 'household') AS n_households, "    \
    "(SELECT COUNT(*) FROM grid_places gp JOIN people pe ON pe.place_code >= gp.place_code AND "   \
    "pe.place_code < gp.place_code || ':' WHERE gp.grid_id = g.id) AS n_residents, "               \
    "(SELECT COUNT(*) FROM grid_workers gw WHERE gw.grid_id = g.id) AS n_workers "                 \
    "FROM grids g JOIN places c ON c.code = g.community_code "

/* Visibility of g; parameters: viewer, viewer, cap, viewer, cap. */
#define GRID_VISIBLE                                                                               \
    " (? = 0 OR " SCOPE_COVERS("g.community_code") " OR EXISTS (SELECT 1 FROM grid_places vp "     \
                                                   "WHERE vp.grid_id = g.id AND " SCOPE_COVERS(    \
                                                       "vp.place_code") ")) "

static struct grid grid_of(const db_rows *r, int i)
{
    return (struct grid){
        .id = db_get_int(r, i, GC_ID),
        .code = db_get(r, i, GC_CODE),
        .name = db_get(r, i, GC_NAME),
        .kind = db_get(r, i, GC_KIND),
        .community_code = db_get(r, i, GC_COMMUNITY),
        .community_name = db_get(r, i, GC_COMMUNITY_NAME),
        .n_places = db_get_int(r, i, GC_N_PLACES),
        .n_households = db_get_int(r, i, GC_N_HOUSEHOLDS),
        .n_residents = db_get_int(r, i, GC_N_RESIDENTS),
        .n_workers = db_get_int(r, i, GC_N_WORKERS),
    };
}

bool store_grid_get(db *d, arena *a, int64_t viewer, const char *cap, int64_t id, struct grid *out)
{
    db_rows *r = DBQ(d, a, "SELECT " GRID_COLS "WHERE g.id = ? AND" GRID_VISIBLE, P_INT(id),
                     P_INT(viewer), P_INT(viewer), P_TEXT(cap), P_INT(viewer), P_TEXT(cap));
    if (!r || !r->nrows) return false;
    if (out) *out = grid_of(r, 0);
    return true;
}

db_rows *store_grids_list(db *d, arena *a, int64_t viewer, const char *cap, const char *place,
                          int64_t after_id, int limit)
{
    return DBQ(d, a,
               "SELECT " GRID_COLS "WHERE (CAST(? AS TEXT) IS NULL OR (g.community_code >= ? AND "
               "g.community_code < CAST(? AS TEXT) || ':') OR EXISTS (SELECT 1 FROM grid_places "
               "fp WHERE fp.grid_id = g.id AND fp.place_code >= ? AND fp.place_code < CAST(? AS "
               "TEXT) || ':')) AND g.id > ? AND" GRID_VISIBLE "ORDER BY g.id LIMIT ?",
               P_OPT(place), P_OPT(place), P_OPT(place), P_OPT(place), P_OPT(place),
               P_INT(after_id), P_INT(viewer), P_INT(viewer), P_TEXT(cap), P_INT(viewer),
               P_TEXT(cap), P_INT(limit));
}

int store_grids_page(db *d, arena *a, int64_t viewer, const char *cap, const char *place,
                     int64_t after_id, int limit, struct grid **out)
{
    db_rows *r = store_grids_list(d, a, viewer, cap, place, after_id, limit);
    if (!r) return -1;
    struct grid *g = arena_alloc(a, sizeof *g * (size_t)(r->nrows + 1));
    for (int i = 0; i < r->nrows; i++) g[i] = grid_of(r, i);
    *out = g;
    return r->nrows;
}

int store_grid_places(db *d, arena *a, int64_t grid_id, struct grid_place **out)
{
    db_rows *r =
        DBQ(d, a,
            "SELECT p.code, p.name, p.level, (SELECT COUNT(*) FROM places h WHERE h.code >= "
            "p.code AND h.code < p.code || ':' AND h.level = 'household') AS n_households "
            "FROM grid_places gp JOIN places p ON p.code = gp.place_code WHERE gp.grid_id = ? "
            "ORDER BY p.code",
            P_INT(grid_id));
    if (!r) return -1;
    struct grid_place *p = arena_alloc(a, sizeof *p * (size_t)(r->nrows + 1));
    for (int i = 0; i < r->nrows; i++)
        p[i] = (struct grid_place){db_get(r, i, 0), db_get(r, i, 1), db_get(r, i, 2),
                                   db_get_int(r, i, 3)};
    *out = p;
    return r->nrows;
}

/* Rows of (id, name, [phone,] can_reveal) as grid workers. */
static int workers_of(arena *a, const db_rows *r, bool phone, struct grid_worker **out)
{
    if (!r) return -1;
    struct grid_worker *w = arena_alloc(a, sizeof *w * (size_t)(r->nrows + 1));
    for (int i = 0; i < r->nrows; i++)
        w[i] = (struct grid_worker){.id = db_get_int(r, i, 0),
                                    .name = db_get(r, i, 1),
                                    .phone = phone ? db_get(r, i, 2) : NULL,
                                    .reveal = db_get_int(r, i, phone ? 3 : 2) != 0};
    *out = w;
    return r->nrows;
}

int store_grid_workers(db *d, arena *a, int64_t viewer, int64_t grid_id, struct grid_worker **out)
{
    db_rows *r =
        DBQ(d, a,
            "SELECT pe.id, pe.name, pe.phone, CASE WHEN ? = 0 OR (pe.place_code IS NOT NULL "
            "AND " SCOPE_COVERS(
                "pe.place_code") ") THEN 1 ELSE 0 END AS can_reveal "
                                 "FROM grid_workers gw JOIN people pe ON pe.id = gw.person_id "
                                 "WHERE gw.grid_id = ? "
                                 "AND (? = 0 OR (pe.place_code IS NOT NULL AND " SCOPE_COVERS(
                                     "pe.place_code") ")) "
                                                      "ORDER BY pe.id",
            P_INT(viewer), P_INT(viewer), P_TEXT(CAP_PEOPLE_REVEAL), P_INT(grid_id), P_INT(viewer),
            P_INT(viewer), P_TEXT(CAP_PEOPLE_READ));
    return workers_of(a, r, true, out);
}

int store_grid_accounts(db *d, arena *a, int64_t grid_id, struct grid_account **out)
{
    db_rows *r =
        DBQ(d, a,
            "SELECT ac.id, ac.username, ac.display_name, g.role FROM grants g JOIN accounts "
            "ac ON ac.id = g.account_id WHERE g.grid_id = ? AND ac.disabled = 0 ORDER BY ac.id",
            P_INT(grid_id));
    if (!r) return -1;
    struct grid_account *ac = arena_alloc(a, sizeof *ac * (size_t)(r->nrows + 1));
    for (int i = 0; i < r->nrows; i++)
        ac[i] = (struct grid_account){db_get_int(r, i, 0), db_get(r, i, 1), db_get(r, i, 2),
                                      db_get(r, i, 3)};
    *out = ac;
    return r->nrows;
}

const char *store_grid_overlapping(db *d, arena *a, const char *place_code, int64_t except_id)
{
    db_rows *r =
        DBQ(d, a,
            "SELECT DISTINCT g.id, g.name FROM grid_places gp JOIN grids g ON g.id = "
            "gp.grid_id WHERE g.kind = 'basic' AND g.id <> ? AND ((gp.place_code >= ? AND "
            "gp.place_code < CAST(? AS TEXT) || ':') OR (CAST(? AS TEXT) >= gp.place_code AND "
            "CAST(? AS TEXT) < gp.place_code || ':')) ORDER BY g.id",
            P_INT(except_id), P_TEXT(place_code), P_TEXT(place_code), P_TEXT(place_code),
            P_TEXT(place_code));
    return r && r->nrows ? db_get(r, 0, 1) : NULL;
}

int store_grid_worker_candidates(db *d, arena *a, int64_t viewer, const char *community,
                                 struct grid_worker **out)
{
    db_rows *r =
        DBQ(d, a,
            "SELECT pe.id, pe.name, CASE WHEN ? = 0 OR " SCOPE_COVERS(
                "pe.place_code") " THEN 1 ELSE 0 END AS can_reveal FROM people pe WHERE pe.id "
                                 "IN (SELECT w.person_id "
                                 "FROM community_workers w WHERE w.community_code = ? UNION "
                                 "SELECT gw.person_id "
                                 "FROM grid_workers gw JOIN grids g ON g.id = gw.grid_id WHERE "
                                 "g.community_code = ?) "
                                 "AND (? = 0 OR (pe.place_code IS "
                                 "NOT NULL AND " SCOPE_COVERS(
                                     "pe.place_code") ")) ORDER BY pe.id LIMIT 200",
            P_INT(viewer), P_INT(viewer), P_TEXT(CAP_PEOPLE_REVEAL), P_TEXT(community),
            P_TEXT(community), P_INT(viewer), P_INT(viewer), P_TEXT(CAP_PEOPLE_READ));
    return workers_of(a, r, false, out);
}

int64_t store_grid_insert(db *d, const char *code, const char *name, const char *kind,
                          const char *community)
{
    arena *a = arena_new();
    db_rows *r =
        DBQ(d, a,
            "INSERT INTO grids(code, name, kind, community_code, created_at) "
            "VALUES (?, ?, ?, ?, ?) RETURNING id",
            P_TEXT(code), P_TEXT(name), P_TEXT(kind), P_TEXT(community), P_INT(clock_now()));
    int64_t id = r && r->nrows ? db_get_int(r, 0, 0) : (db_last_code(d) ? db_last_code(d) : -1);
    arena_free(a);
    return id;
}

int store_grid_update(db *d, int64_t id, const char *name, const char *kind)
{
    return DBX(d, "UPDATE grids SET name = ?, kind = ? WHERE id = ?", P_TEXT(name), P_TEXT(kind),
               P_INT(id));
}

int store_grid_places_set(db *d, int64_t id, const char *const *codes, int n)
{
    int rc = DBX(d, "DELETE FROM grid_places WHERE grid_id = ?", P_INT(id));
    for (int i = 0; rc >= 0 && i < n; i++)
        rc = DBX(d, "INSERT INTO grid_places(grid_id, place_code) VALUES (?, ?)", P_INT(id),
                 P_TEXT(codes[i]));
    return rc < 0 ? rc : 0;
}

int store_grid_workers_set(db *d, int64_t id, const int64_t *people, int n)
{
    int rc = DBX(d, "DELETE FROM grid_workers WHERE grid_id = ?", P_INT(id));
    for (int i = 0; rc >= 0 && i < n; i++)
        rc = DBX(d, "INSERT INTO grid_workers(grid_id, person_id) VALUES (?, ?)", P_INT(id),
                 P_INT(people[i]));
    return rc < 0 ? rc : 0;
}

int64_t store_grids_in_community(db *d, const char *community)
{
    return DBI(d, 0, "SELECT COUNT(*) FROM grids WHERE community_code = ?", P_TEXT(community));
}

int store_grid_worker_ids(db *d, arena *a, int64_t grid_id, int64_t **out)
{
    db_rows *r =
        DBQ(d, a, "SELECT person_id FROM grid_workers WHERE grid_id = ? ORDER BY person_id",
            P_INT(grid_id));
    if (!r) return -1;
    int64_t *ids = arena_alloc(a, sizeof *ids * (size_t)(r->nrows + 1));
    for (int i = 0; i < r->nrows; i++) ids[i] = db_get_int(r, i, 0);
    *out = ids;
    return r->nrows;
}

bool store_grid_code_taken(db *d, const char *code)
{
    return DBI(d, 0, "SELECT COUNT(*) FROM grids WHERE code = ?", P_TEXT(code)) > 0;
}
