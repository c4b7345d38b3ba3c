/* Place tree reads with per-subtree counts. Codes are materialised paths, so a
 * subtree is the range [code, code || ':') and every count is an index range
 * scan (places by primary key, people by people_place). */
#include "store/store_places.h"
#include "store/store_rows.h"

#include <string.h>

#include "core/roles.h"
#include "store/scope.h"

/* The columns of enum place_col for the place aliased p. */
#define PLACE_COLS                                                                                 \
    "p.code, p.name, p.level, p.kind, p.parent_code, "                                             \
    "(SELECT COUNT(*) FROM places c WHERE c.parent_code = p.code) AS n_children, "                 \
    "(SELECT COUNT(*) FROM places h WHERE h.code >= p.code AND h.code < p.code || ':' "            \
    "AND h.level = 'household') AS n_households, "                                                 \
    "(SELECT COUNT(*) FROM people pe WHERE pe.place_code >= p.code "                               \
    "AND pe.place_code < p.code || ':') AS n_residents, "                                          \
    "(SELECT COUNT(*) FROM people pe JOIN party_members m ON m.person_id = pe.id "                 \
    "WHERE pe.place_code >= p.code AND pe.place_code < p.code || ':') AS n_party_members, "        \
    "(SELECT COUNT(*) FROM organisations o WHERE o.kind = 'branch' AND "                           \
    "((o.place_code >= p.code AND o.place_code < p.code || ':') OR EXISTS (SELECT 1 FROM "         \
    "org_places op WHERE op.org_id = o.id AND op.place_code >= p.code "                            \
    "AND op.place_code < p.code || ':'))) AS n_branches "

/* Scope of the place aliased p; parameters: viewer, viewer, cap. */
#define PLACE_IN_SCOPE " (? = 0 OR " SCOPE_COVERS("p.code") ") "

db_rows *store_place_get(db *d, arena *a, int64_t viewer, const char *cap, const char *code)
{
    if (!code) return NULL;
    db_rows *r = DBQ(d, a, "SELECT " PLACE_COLS "FROM places p WHERE p.code = ? AND" PLACE_IN_SCOPE,
                     P_TEXT(code), P_INT(viewer), P_INT(viewer), P_TEXT(cap));
    return r && r->nrows ? r : NULL;
}

db_rows *store_place_children(db *d, arena *a, int64_t viewer, const char *cap, const char *code,
                              const char *after_code, int limit)
{
    return DBQ(d, a,
               "SELECT " PLACE_COLS "FROM places p WHERE p.parent_code = ? "
               "AND (CAST(? AS TEXT) IS NULL OR p.code > ?) AND" PLACE_IN_SCOPE
               "ORDER BY p.code LIMIT ?",
               P_TEXT(code), P_OPT(after_code), P_OPT(after_code), P_INT(viewer), P_INT(viewer),
               P_TEXT(cap), P_INT(limit));
}

db_rows *store_place_child_names(db *d, arena *a, int64_t viewer, const char *cap, const char *code,
                                 int limit)
{
    return DBQ(d, a,
               "SELECT p.code, p.name, p.level FROM places p WHERE p.parent_code = ? "
               "AND" PLACE_IN_SCOPE "ORDER BY p.code LIMIT ?",
               P_TEXT(code), P_INT(viewer), P_INT(viewer), P_TEXT(cap), P_INT(limit));
}

db_rows *store_place_tops(db *d, arena *a, int64_t viewer, const char *cap)
{
    if (viewer == 0)
        return db_query(d, a,
                        "SELECT " PLACE_COLS "FROM places p WHERE p.parent_code IS NULL "
                        "ORDER BY p.code",
                        0, NULL);
    /* A range is a top scope when no other range of the account contains it.
     * The scope drives the query (a semi-join on the primary key), so the
     * places table is never scanned. */
    return DBQ(
        d, a,
        "SELECT " PLACE_COLS "FROM places p WHERE p.code IN (SELECT s.lo FROM scope_ranges s "
        "JOIN role_caps rc ON rc.role = s.role WHERE s.account_id = ? AND rc.cap = ?) AND NOT "
        "EXISTS (SELECT 1 FROM scope_ranges s JOIN role_caps rc ON rc.role = s.role WHERE "
        "s.account_id = ? AND rc.cap = ? AND s.lo <> p.code AND p.code >= s.lo AND p.code < "
        "s.lo || ':') ORDER BY p.code",
        P_INT(viewer), P_TEXT(cap), P_INT(viewer), P_TEXT(cap));
}

const char *store_place_top_code(db *d, arena *a, int64_t viewer, const char *cap)
{
    db_rows *t = store_place_tops(d, a, viewer, cap);
    return t && t->nrows ? db_get(t, 0, PLC_CODE) : NULL;
}

db_rows *store_place_search(db *d, arena *a, int64_t viewer, const char *cap, const char *q,
                            const char *after_code, int limit)
{
    if (!q || !*q) return NULL;
    return DBQ(d, a,
               "SELECT " PLACE_COLS "FROM places p WHERE p.name LIKE ? ESCAPE '\\' "
               "AND (CAST(? AS TEXT) IS NULL OR p.code > ?) AND" PLACE_IN_SCOPE
               "ORDER BY p.code LIMIT ?",
               P_TEXT(store_like_pattern(a, q, true)), P_OPT(after_code), P_OPT(after_code),
               P_INT(viewer), P_INT(viewer), P_TEXT(cap), P_INT(limit));
}

db_rows *store_place_ancestors(db *d, arena *a, int64_t viewer, const char *cap, const char *code)
{
    return DBQ(
        d, a,
        "WITH RECURSIVE up(code, depth) AS (SELECT parent_code, 1 FROM places WHERE code = ? "
        "UNION ALL SELECT q.parent_code, up.depth + 1 FROM places q JOIN up ON q.code = "
        "up.code WHERE q.parent_code IS NOT NULL) "
        "SELECT p.code, p.name, p.level, CASE WHEN" PLACE_IN_SCOPE "THEN 1 ELSE 0 END "
        "AS in_scope FROM up JOIN places p ON p.code = up.code ORDER BY up.depth DESC",
        P_TEXT(code), P_INT(viewer), P_INT(viewer), P_TEXT(cap));
}

db_rows *store_place_residents(db *d, arena *a, int64_t viewer, const char *code)
{
    return DBQ(d, a,
               "SELECT pe.id, pe.name, pe.sex, pe.birth_date, pe.relation, m.kind AS member_kind, "
               "CASE WHEN ? = 0 OR " SCOPE_COVERS(
                   "pe.place_code") " THEN 1 ELSE 0 END AS "
                                    "can_reveal, pe.id_number, pe.phone FROM people pe LEFT JOIN "
                                    "party_members m ON "
                                    "m.person_id = pe.id "
                                    "WHERE pe.place_code = ? AND (? = 0 OR " SCOPE_COVERS(
                                        "pe.place_code") ") "
                                                         "ORDER BY CASE WHEN pe.relation = '户主' "
                                                         "THEN 0 ELSE 1 END, pe.id",
               P_INT(viewer), P_INT(viewer), P_TEXT(CAP_PEOPLE_REVEAL), P_TEXT(code), P_INT(viewer),
               P_INT(viewer), P_TEXT(CAP_PEOPLE_READ));
}

const char *store_place_level(db *d, arena *a, const char *code)
{
    if (!code) return NULL;
    db_rows *r = DBQ(d, a, "SELECT level FROM places WHERE code = ?", P_TEXT(code));
    return r && r->nrows ? db_get(r, 0, 0) : NULL;
}

const char *store_person_place_in_scope(db *d, arena *a, int64_t viewer, const char *cap,
                                        int64_t person_id)
{
    db_rows *r = DBQ(d, a,
                     "SELECT pe.place_code FROM people pe WHERE pe.id = ? AND (? = 0 OR "
                     "(pe.place_code IS NOT NULL AND " SCOPE_COVERS("pe.place_code") "))",
                     P_INT(person_id), P_INT(viewer), P_INT(viewer), P_TEXT(cap));
    return r && r->nrows ? (db_get(r, 0, 0) ? db_get(r, 0, 0) : "") : NULL;
}

int store_place_rows(arena *a, const db_rows *r, struct place **out)
{
    if (!r) return -1;
    struct place *p = arena_alloc(a, sizeof *p * (size_t)(r->nrows + 1));
    for (int i = 0; i < r->nrows; i++)
        p[i] = (struct place){
            .code = db_get(r, i, PLC_CODE),
            .name = db_get(r, i, PLC_NAME),
            .level = db_get(r, i, PLC_LEVEL),
            .kind = db_get(r, i, PLC_KIND),
            .parent_code = db_get(r, i, PLC_PARENT),
            .n_children = db_get_int(r, i, PLC_N_CHILDREN),
            .n_households = db_get_int(r, i, PLC_N_HOUSEHOLDS),
            .n_residents = db_get_int(r, i, PLC_N_RESIDENTS),
            .n_party_members = db_get_int(r, i, PLC_N_PARTY_MEMBERS),
            .n_branches = db_get_int(r, i, PLC_N_BRANCHES),
        };
    *out = p;
    return r->nrows;
}

int store_place_path(db *d, arena *a, int64_t viewer, const char *cap, const char *code,
                     struct place_step **out)
{
    db_rows *r = store_place_ancestors(d, a, viewer, cap, code);
    if (!r) return -1;
    struct place_step *s = arena_alloc(a, sizeof *s * (size_t)(r->nrows + 1));
    for (int i = 0; i < r->nrows; i++)
        s[i] = (struct place_step){db_get(r, i, ANC_CODE), db_get(r, i, ANC_NAME),
                                   db_get(r, i, ANC_LEVEL), db_get_int(r, i, ANC_IN_SCOPE) != 0};
    *out = s;
    return r->nrows;
}

int store_place_residents_of(db *d, arena *a, int64_t viewer, const char *code,
                             struct place_resident **out)
{
    db_rows *r = store_place_residents(d, a, viewer, code);
    if (!r) return -1;
    struct place_resident *m = arena_alloc(a, sizeof *m * (size_t)(r->nrows + 1));
    for (int i = 0; i < r->nrows; i++)
        m[i] = (struct place_resident){.id = db_get_int(r, i, RES_ID),
                                       .name = db_get(r, i, RES_NAME),
                                       .sex = db_get(r, i, RES_SEX),
                                       .birth_date = db_get(r, i, RES_BIRTH),
                                       .relation = db_get(r, i, RES_RELATION),
                                       .member_kind = db_get(r, i, RES_MEMBER_KIND),
                                       .id_number = db_get(r, i, RES_ID_NUMBER),
                                       .phone = db_get(r, i, RES_PHONE),
                                       .reveal = db_get_int(r, i, RES_REVEAL) != 0};
    *out = m;
    return r->nrows;
}
