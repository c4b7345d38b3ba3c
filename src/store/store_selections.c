/* Selections 评选: see store_selections.h. */
#include "store/store_selections.h"

#include "core/roles.h"
#include "store/scope.h"

int64_t store_selection_insert(db *d, const struct selection_new *s, int64_t now)
{
    arena *a = arena_new();
    db_rows *r = DBQ(d, a,
                     "INSERT INTO selections(name, year, candidate_kind, place_code, opens_at, "
                     "closes_at, honour, points, state, created_by, created_at) VALUES (?, ?, ?, "
                     "?, ?, ?, ?, ?, 'open', ?, ?) RETURNING id",
                     P_TEXT(s->name), P_INT(s->year), P_TEXT(s->kind), P_TEXT(s->place_code),
                     P_INT(s->opens_at), P_INT(s->closes_at), P_TEXT(s->honour), P_INT(s->points),
                     P_INT(s->created_by), P_INT(now));
    int64_t id = r && r->nrows ? db_get_int(r, 0, 0) : -1;
    arena_free(a);
    return id;
}

#define SEL_SELECT                                                                                 \
    "SELECT sel.id, sel.name, sel.year, sel.candidate_kind, sel.place_code, pl.name, "             \
    "sel.opens_at, "                                                                               \
    "sel.closes_at, sel.honour, sel.points, sel.state, sel.published_at, "                         \
    "CASE WHEN ? = 0 OR" SCOPE_COVERS(                                                             \
        "sel.place_code") "THEN 1 ELSE 0 END "                                                     \
                          "FROM selections sel JOIN places pl ON pl.code = sel.place_code "
/* Residents see their community's selections through a place grant (not
 * through an organisation's grant: a 共建 unit is not a neighbour). */
#define SEL_VISIBLE                                                                                \
    " (? = 0 OR EXISTS (SELECT 1 FROM grants g JOIN role_caps gc ON gc.role = g.role"              \
    " WHERE g.account_id = ? AND gc.cap = ? AND g.place_code IS NOT NULL AND"                      \
    " sel.place_code >= g.place_code AND sel.place_code < g.place_code || ':') OR" SCOPE_COVERS(   \
        "sel.place_code") ") "
#define SEL_PARAMS(v) P_INT(v), P_INT(v), P_TEXT(CAP_PEOPLE_WRITE)
#define VIS_PARAMS(v) P_INT(v), P_INT(v), P_TEXT(CAP_SELF), P_INT(v), P_TEXT(CAP_PEOPLE_WRITE)

db_rows *store_selection_get(db *d, arena *a, int64_t viewer, int64_t id)
{
    db_rows *r = DBQ(d, a, SEL_SELECT "WHERE sel.id = ? AND" SEL_VISIBLE, SEL_PARAMS(viewer),
                     P_INT(id), VIS_PARAMS(viewer));
    return r && r->nrows ? r : NULL;
}

db_rows *store_selections_list(db *d, arena *a, int64_t viewer, int64_t before_id, int limit)
{
    return DBQ(
        d, a,
        SEL_SELECT "WHERE" SEL_VISIBLE "AND (? = 0 OR sel.id < ?) ORDER BY sel.id DESC LIMIT ?",
        SEL_PARAMS(viewer), VIS_PARAMS(viewer), P_INT(before_id), P_INT(before_id), P_INT(limit));
}

db_rows *store_selection_place(db *d, arena *a, int64_t viewer, const char *cap, const char *code)
{
    db_rows *r = DBQ(d, a,
                     "SELECT p.code, p.level FROM places p WHERE p.code = ? AND "
                     "(? = 0 OR" SCOPE_COVERS("p.code") ")",
                     P_TEXT(code), P_INT(viewer), P_INT(viewer), P_TEXT(cap));
    return r && r->nrows ? r : NULL;
}

#define PERSON_SELECT                                                                              \
    "SELECT p.id, p.place_code, CASE WHEN pt.person_id IS NULL THEN 0 ELSE 1 END FROM people p "   \
    "LEFT JOIN partners pt ON pt.person_id = p.id WHERE p.place_code >= ? AND "                    \
    "p.place_code < CAST(? AS TEXT) || ':' "

db_rows *store_selection_people_named(db *d, arena *a, const char *community, const char *name)
{
    return DBQ(d, a, PERSON_SELECT "AND p.name = ? ORDER BY p.id LIMIT 5", P_TEXT(community),
               P_TEXT(community), P_TEXT(name));
}

db_rows *store_selection_person(db *d, arena *a, const char *community, int64_t person)
{
    db_rows *r = DBQ(d, a, PERSON_SELECT "AND p.id = ?", P_TEXT(community), P_TEXT(community),
                     P_INT(person));
    return r && r->nrows ? r : NULL;
}

db_rows *store_selection_person_accounts(db *d, arena *a, int64_t person)
{
    return DBQ(d, a, "SELECT id FROM accounts WHERE person_id = ? AND disabled = 0 ORDER BY id",
               P_INT(person));
}

int64_t store_selection_household_head(db *d, const char *household)
{
    return DBI(d, 0,
               "SELECT id FROM people WHERE place_code = ? AND relation = '户主' ORDER BY id "
               "LIMIT 1",
               P_TEXT(household));
}

int64_t store_nomination_insert(db *d, int64_t selection, int64_t person, const char *household,
                                const char *reason, int self, int64_t by, int64_t now)
{
    arena *a = arena_new();
    db_rows *r = DBQ(d, a,
                     "INSERT INTO selection_nominations(selection_id, person_id, household_code, "
                     "reason, self, nominated_by, state, created_at) VALUES (?, ?, ?, ?, ?, ?, "
                     "'pending', ?) RETURNING id",
                     P_INT(selection), P_INT(person), P_NTEXT(household), P_TEXT(reason),
                     P_INT(self), P_INT(by), P_INT(now));
    int64_t id = r && r->nrows ? db_get_int(r, 0, 0)
                               : (db_last_code(d) == DB_CONSTRAINT ? DB_CONSTRAINT : -1);
    arena_free(a);
    return id;
}

#define NOM_SELECT                                                                                 \
    "SELECT n.id, n.selection_id, n.person_id, p.name, n.household_code, "                         \
    "(SELECT c.name FROM places c WHERE c.level = 'compound' AND p.place_code >= c.code AND "      \
    "p.place_code < c.code || ':' ORDER BY c.code DESC LIMIT 1), "                                 \
    "n.reason, n.self, n.nominated_by, n.state, n.review_reason, n.honoured_at, n.created_at "     \
    "FROM selection_nominations n JOIN people p ON p.id = n.person_id "

db_rows *store_nominations(db *d, arena *a, int64_t selection, int64_t by, const char *state)
{
    return DBQ(d, a,
               NOM_SELECT "WHERE n.selection_id = ? AND (? = 0 OR n.nominated_by = ?) AND "
                          "(CAST(? AS TEXT) = '' OR n.state = ?) ORDER BY n.id",
               P_INT(selection), P_INT(by), P_INT(by), P_TEXT(state ? state : ""),
               P_TEXT(state ? state : ""));
}

db_rows *store_nomination_get(db *d, arena *a, int64_t id)
{
    db_rows *r = DBQ(d, a, NOM_SELECT "WHERE n.id = ?", P_INT(id));
    return r && r->nrows ? r : NULL;
}

int store_nomination_review(db *d, int64_t id, int approve, const char *reason, int64_t by,
                            int64_t now)
{
    return DBX(d,
               "UPDATE selection_nominations SET state = ?, review_reason = ?, reviewed_by = ?, "
               "reviewed_at = ? WHERE id = ? AND state = 'pending'",
               P_TEXT(approve ? "approved" : "rejected"), P_OPT(reason), P_INT(by), P_INT(now),
               P_INT(id));
}

int store_selection_publish(db *d, int64_t id, int64_t now)
{
    int n = DBX(d,
                "UPDATE selections SET state = 'published', published_at = ? WHERE id = ? AND "
                "state = 'open'",
                P_INT(now), P_INT(id));
    if (n <= 0) return n;
    if (DBX(d,
            "UPDATE selection_nominations SET honoured_at = ? WHERE selection_id = ? AND "
            "state = 'approved'",
            P_INT(now), P_INT(id)) < 0)
        return -1;
    return n;
}
