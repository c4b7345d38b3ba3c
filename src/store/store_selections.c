/* Selections 评选: see store_selections.h. */
#include "store/store_selections.h"

#include "core/roles.h"
#include "store/scope.h"
#include "store/store_rows.h"

/* Columns of the rows read below. */
enum nomination_col {
    NC_ID,
    NC_SELECTION,
    NC_PERSON,
    NC_NAME,
    NC_HOUSEHOLD,
    NC_COMPOUND, /* the compound's name, for the 公示 */
    NC_REASON,
    NC_SELF,
    NC_BY,
    NC_STATE,
    NC_REVIEW_REASON,
    NC_HONOURED_AT,
    NC_CREATED_AT,
    NC__COUNT
};

/* Columns of the rows read below. */
enum selection_col {
    SC_ID,
    SC_NAME,
    SC_YEAR,
    SC_KIND,
    SC_PLACE,
    SC_PLACE_NAME,
    SC_OPENS,
    SC_CLOSES,
    SC_HONOUR,
    SC_POINTS,
    SC_STATE,
    SC_PUBLISHED_AT,
    SC_CAN_MANAGE, /* 1: people.write over the community */
    SC__COUNT
};

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

static db_rows *store_selection_get(db *d, arena *a, int64_t viewer, int64_t id)
{
    db_rows *r = DBQ(d, a, SEL_SELECT "WHERE sel.id = ? AND" SEL_VISIBLE, SEL_PARAMS(viewer),
                     P_INT(id), VIS_PARAMS(viewer));
    return r && r->nrows ? r : NULL;
}

static db_rows *store_selections_list(db *d, arena *a, int64_t viewer, int64_t before_id, int limit)
{
    return DBQ(
        d, a,
        SEL_SELECT "WHERE" SEL_VISIBLE "AND (? = 0 OR sel.id < ?) ORDER BY sel.id DESC LIMIT ?",
        SEL_PARAMS(viewer), VIS_PARAMS(viewer), P_INT(before_id), P_INT(before_id), P_INT(limit));
}

#define PERSON_SELECT                                                                              \
    "SELECT p.id, p.place_code, CASE WHEN pt.person_id IS NULL THEN 0 ELSE 1 END FROM people p "   \
    "LEFT JOIN partners pt ON pt.person_id = p.id WHERE p.place_code >= ? AND "                    \
    "p.place_code < CAST(? AS TEXT) || ':' "

static db_rows *store_selection_people_named(db *d, arena *a, const char *community,
                                             const char *name)
{
    return DBQ(d, a, PERSON_SELECT "AND p.name = ? ORDER BY p.id LIMIT 5", P_TEXT(community),
               P_TEXT(community), P_TEXT(name));
}

static db_rows *store_selection_person(db *d, arena *a, const char *community, int64_t person)
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

static db_rows *store_nominations(db *d, arena *a, int64_t selection, int64_t by, const char *state)
{
    return DBQ(d, a,
               NOM_SELECT "WHERE n.selection_id = ? AND (? = 0 OR n.nominated_by = ?) AND "
                          "(CAST(? AS TEXT) = '' OR n.state = ?) ORDER BY n.id",
               P_INT(selection), P_INT(by), P_INT(by), P_TEXT(state ? state : ""),
               P_TEXT(state ? state : ""));
}

static db_rows *store_nomination_get(db *d, arena *a, int64_t id)
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

static void selection_fill(const db_rows *r, int i, void *out)
{
    *(struct selection_row *)out =
        (struct selection_row){.id = db_get_int(r, i, SC_ID),
                               .name = db_get(r, i, SC_NAME),
                               .year = db_get_int(r, i, SC_YEAR),
                               .kind = db_get(r, i, SC_KIND),
                               .place_code = db_get(r, i, SC_PLACE),
                               .place_name = db_get(r, i, SC_PLACE_NAME),
                               .opens_at = db_get_int(r, i, SC_OPENS),
                               .closes_at = db_get_int(r, i, SC_CLOSES),
                               .honour = db_get(r, i, SC_HONOUR),
                               .points = db_get_int(r, i, SC_POINTS),
                               .state = db_get(r, i, SC_STATE),
                               .published_at = db_get_int(r, i, SC_PUBLISHED_AT),
                               .can_manage = db_get_int(r, i, SC_CAN_MANAGE) != 0};
}

bool store_selection_read(db *d, arena *a, int64_t viewer, int64_t id, struct selection_row *out)
{
    db_rows *r = store_selection_get(d, a, viewer, id);
    if (r) selection_fill(r, 0, out);
    return r != NULL;
}

int store_selections_find(db *d, arena *a, int64_t viewer, int64_t before_id, int limit,
                          struct selection_row **out)
{
    int n;
    *out = store_rows(a, store_selections_list(d, a, viewer, before_id, limit), sizeof **out,
                      selection_fill, &n);
    return n;
}

static void nominee_fill(const db_rows *r, int i, void *out)
{
    *(struct nominee_row *)out = (struct nominee_row){.id = db_get_int(r, i, 0),
                                                      .place_code = db_get(r, i, 1),
                                                      .is_partner = db_get_int(r, i, 2) != 0};
}

bool store_selection_nominee(db *d, arena *a, const char *community, int64_t person,
                             struct nominee_row *out)
{
    db_rows *r = store_selection_person(d, a, community, person);
    if (r) nominee_fill(r, 0, out);
    return r != NULL;
}

int store_selection_nominee_named(db *d, arena *a, const char *community, const char *name,
                                  struct nominee_row *out)
{
    db_rows *r = store_selection_people_named(d, a, community, name);
    if (!r) return -1;
    if (r->nrows == 1) nominee_fill(r, 0, out);
    return r->nrows;
}

static void nomination_fill(const db_rows *r, int i, void *out)
{
    *(struct nomination_row *)out =
        (struct nomination_row){.id = db_get_int(r, i, NC_ID),
                                .selection_id = db_get_int(r, i, NC_SELECTION),
                                .person_id = db_get_int(r, i, NC_PERSON),
                                .name = db_get(r, i, NC_NAME),
                                .household = db_get(r, i, NC_HOUSEHOLD),
                                .compound = db_get(r, i, NC_COMPOUND),
                                .reason = db_get(r, i, NC_REASON),
                                .self = db_get_int(r, i, NC_SELF) != 0,
                                .by = db_get_int(r, i, NC_BY),
                                .state = db_get(r, i, NC_STATE),
                                .review_reason = db_get(r, i, NC_REVIEW_REASON),
                                .honoured_at = db_get_int(r, i, NC_HONOURED_AT),
                                .created_at = db_get_int(r, i, NC_CREATED_AT)};
}

int store_nominations_find(db *d, arena *a, int64_t selection, int64_t by, const char *state,
                           struct nomination_row **out)
{
    int n;
    *out = store_rows(a, store_nominations(d, a, selection, by, state), sizeof **out,
                      nomination_fill, &n);
    return n;
}

bool store_nomination_read(db *d, arena *a, int64_t id, struct nomination_row *out)
{
    db_rows *r = store_nomination_get(d, a, id);
    if (r) nomination_fill(r, 0, out);
    return r != NULL;
}
