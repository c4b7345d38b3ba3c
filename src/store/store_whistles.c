/* Whistle kinds, whistles and their calls; see store_whistles.h. */
#include "store/store_whistles.h"

#include "core/roles.h"
#include "store/scope.h"

#include <string.h>

int store_whistle_kinds(db *d, arena *a, const char *county, struct whistle_kind_row **out)
{
    db_rows *r = DBQ(d, a,
                     "SELECT id, kind, answer_minutes, updated_at FROM whistle_kinds "
                     "WHERE place_code = ? ORDER BY id",
                     P_TEXT(county));
    if (!r) return -1;
    struct whistle_kind_row *k = arena_alloc(a, sizeof *k * (size_t)(r->nrows + 1));
    for (int i = 0; i < r->nrows; i++)
        k[i] = (struct whistle_kind_row){.id = db_get_int(r, i, 0),
                                         .kind = db_get(r, i, 1),
                                         .answer_minutes = db_get_int(r, i, 2),
                                         .updated_at = db_get_int(r, i, 3)};
    *out = k;
    return r->nrows;
}

int store_whistle_kind_orgs(db *d, arena *a, int64_t kind_id, struct org_ref **out)
{
    db_rows *r =
        DBQ(d, a,
            "SELECT o.id, o.name FROM whistle_kind_departments k "
            "JOIN organisations o ON o.id = k.org_id WHERE k.whistle_kind_id = ? ORDER BY o.id",
            P_INT(kind_id));
    if (!r) return -1;
    struct org_ref *o = arena_alloc(a, sizeof *o * (size_t)(r->nrows + 1));
    for (int i = 0; i < r->nrows; i++)
        o[i] = (struct org_ref){.id = db_get_int(r, i, 0), .name = db_get(r, i, 1)};
    *out = o;
    return r->nrows;
}

int64_t store_whistle_kind_put(db *d, arena *a, const char *county, const char *kind, int minutes,
                               int64_t now)
{
    int64_t id = DBI(d, 0, "SELECT id FROM whistle_kinds WHERE place_code = ? AND kind = ?",
                     P_TEXT(county), P_TEXT(kind));
    if (id > 0)
        return DBX(d, "UPDATE whistle_kinds SET answer_minutes = ?, updated_at = ? WHERE id = ?",
                   P_INT(minutes), P_INT(now), P_INT(id)) == 1
                   ? id
                   : -1;
    db_rows *r = DBQ(d, a,
                     "INSERT INTO whistle_kinds(place_code, kind, answer_minutes, updated_at) "
                     "VALUES (?, ?, ?, ?) RETURNING id",
                     P_TEXT(county), P_TEXT(kind), P_INT(minutes), P_INT(now));
    return r && r->nrows == 1 ? db_get_int(r, 0, 0) : -1;
}

int store_whistle_kind_set_orgs(db *d, int64_t kind_id, const int64_t *orgs, int n)
{
    if (DBX(d, "DELETE FROM whistle_kind_departments WHERE whistle_kind_id = ?", P_INT(kind_id)) <
        0)
        return -1;
    for (int i = 0; i < n; i++)
        if (DBX(d, "INSERT INTO whistle_kind_departments(whistle_kind_id, org_id) VALUES (?, ?)",
                P_INT(kind_id), P_INT(orgs[i])) != 1)
            return -1;
    return 0;
}

bool store_org_is_department(db *d, int64_t org_id)
{
    return DBI(d, 0, "SELECT COUNT(*) FROM organisations WHERE id = ? AND kind = 'department'",
               P_INT(org_id)) > 0;
}

int64_t store_department_by_name(db *d, const char *name)
{
    return DBI(d, 0, "SELECT MIN(id) FROM organisations WHERE kind = 'department' AND name = ?",
               P_TEXT(name));
}

bool store_account_leads_county(db *d, int64_t account, const char *county)
{
    /* a grant whose range starts at or above the county and covers it */
    return DBI(d, 0,
               "SELECT COUNT(*) FROM scope_ranges s JOIN role_caps rc ON rc.role = s.role "
               "WHERE s.account_id = ? AND rc.cap = ? AND LENGTH(s.lo) <= 6 AND (CAST(? AS TEXT) "
               "IS NULL OR (CAST(? AS TEXT) >= s.lo AND CAST(? AS TEXT) < s.lo || ':'))",
               P_INT(account), P_TEXT(CAP_ACCOUNTS), P_NTEXT(county), P_NTEXT(county),
               P_NTEXT(county)) > 0;
}

int64_t store_whistle_insert(db *d, arena *a, int64_t order_id, const char *kind, const char *note,
                             int64_t by, int64_t now)
{
    db_rows *r =
        DBQ(d, a,
            "INSERT INTO whistles(order_id, kind, note, blown_by, created_at) "
            "VALUES (?, ?, ?, ?, ?) RETURNING id",
            P_INT(order_id), P_TEXT(kind), P_OPT(note), by > 0 ? P_INT(by) : P_NULL, P_INT(now));
    return r && r->nrows == 1 ? db_get_int(r, 0, 0) : -1;
}

int64_t store_whistle_call_insert(db *d, arena *a, int64_t whistle_id, int64_t order_id,
                                  int64_t org_id, int64_t deadline)
{
    db_rows *r = DBQ(d, a,
                     "INSERT INTO whistle_calls(whistle_id, order_id, org_id, deadline) "
                     "VALUES (?, ?, ?, ?) RETURNING id",
                     P_INT(whistle_id), P_INT(order_id), P_INT(org_id), P_INT(deadline));
    return r && r->nrows == 1 ? db_get_int(r, 0, 0) : -1;
}

#define CALL_COLS                                                                                  \
    "c.id, c.whistle_id, c.order_id, c.org_id, og.name, w.kind, c.deadline, c.answered_at, "       \
    "(SELECT ac.username FROM accounts ac WHERE ac.id = c.answered_by), c.answer_note, "           \
    "c.overdue_at, w.created_at, w.note, o.code, o.title, o.place_code "                           \
    "FROM whistle_calls c JOIN whistles w ON w.id = c.whistle_id "                                 \
    "JOIN organisations og ON og.id = c.org_id JOIN orders o ON o.id = c.order_id "

static int call_rows(arena *a, const db_rows *r, struct whistle_call_row **out)
{
    if (!r) return -1;
    struct whistle_call_row *c = arena_alloc(a, sizeof *c * (size_t)(r->nrows + 1));
    for (int i = 0; i < r->nrows; i++)
        c[i] = (struct whistle_call_row){.id = db_get_int(r, i, 0),
                                         .whistle_id = db_get_int(r, i, 1),
                                         .order_id = db_get_int(r, i, 2),
                                         .org_id = db_get_int(r, i, 3),
                                         .org_name = db_get(r, i, 4),
                                         .kind = db_get(r, i, 5),
                                         .deadline = db_get_int(r, i, 6),
                                         .answered_at = db_get_int(r, i, 7),
                                         .answered_by = db_get(r, i, 8),
                                         .answer_note = db_get(r, i, 9),
                                         .overdue_at = db_get_int(r, i, 10),
                                         .blown_at = db_get_int(r, i, 11),
                                         .note = db_get(r, i, 12),
                                         .order_code = db_get(r, i, 13),
                                         .order_title = db_get(r, i, 14),
                                         .order_place = db_get(r, i, 15)};
    *out = c;
    return r->nrows;
}

int store_whistle_calls_of_order(db *d, arena *a, int64_t order_id, struct whistle_call_row **out)
{
    return call_rows(
        a,
        DBQ(d, a, "SELECT " CALL_COLS "WHERE c.order_id = ? ORDER BY c.whistle_id DESC, c.id",
            P_INT(order_id)),
        out);
}

bool store_whistle_call_get(db *d, arena *a, int64_t call_id, struct whistle_call_row *out)
{
    struct whistle_call_row *c;
    if (call_rows(a, DBQ(d, a, "SELECT " CALL_COLS "WHERE c.id = ?", P_INT(call_id)), &c) < 1)
        return false;
    *out = c[0];
    return true;
}

int store_whistle_calls_open(db *d, arena *a, int64_t viewer, bool as_department, int limit,
                             struct whistle_call_row **out)
{
    return call_rows(a,
                     DBQ(d, a,
                         "SELECT " CALL_COLS "WHERE c.answered_at IS NULL AND ("
                         "(? = 1 AND EXISTS (SELECT 1 FROM grants g WHERE g.account_id = ? "
                         "AND g.org_id = c.org_id)) OR (? = 0 AND " SCOPE_COVERS(
                             "o.place_code") ")) "
                                             "ORDER BY c.deadline, c.id LIMIT ?",
                         P_INT(as_department ? 1 : 0), P_INT(viewer), P_INT(as_department ? 1 : 0),
                         P_INT(viewer), P_TEXT(CAP_ORDERS_READ), P_INT(limit)),
                     out);
}

int store_whistle_call_answer(db *d, int64_t call_id, int64_t account, const char *note,
                              int64_t now)
{
    return DBX(d,
               "UPDATE whistle_calls SET answered_at = ?, answered_by = ?, answer_note = ? "
               "WHERE id = ? AND answered_at IS NULL",
               P_INT(now), account > 0 ? P_INT(account) : P_NULL, P_OPT(note), P_INT(call_id));
}

int store_whistles_due(db *d, arena *a, int64_t now, int limit, struct whistle_due_row **out)
{
    db_rows *r = DBQ(d, a,
                     "SELECT w.id, w.order_id, w.kind FROM whistles w WHERE EXISTS (SELECT 1 FROM "
                     "whistle_calls c WHERE c.whistle_id = w.id AND c.answered_at IS NULL "
                     "AND c.overdue_at IS NULL AND c.deadline < ?) ORDER BY w.id LIMIT ?",
                     P_INT(now), P_INT(limit));
    if (!r) return -1;
    struct whistle_due_row *w = arena_alloc(a, sizeof *w * (size_t)(r->nrows + 1));
    for (int i = 0; i < r->nrows; i++)
        w[i] = (struct whistle_due_row){
            .id = db_get_int(r, i, 0), .order_id = db_get_int(r, i, 1), .kind = db_get(r, i, 2)};
    *out = w;
    return r->nrows;
}

int store_whistle_calls_mark_overdue(db *d, int64_t whistle_id, int64_t now)
{
    return DBX(d,
               "UPDATE whistle_calls SET overdue_at = ? WHERE whistle_id = ? "
               "AND answered_at IS NULL AND overdue_at IS NULL AND deadline < ?",
               P_INT(now), P_INT(whistle_id), P_INT(now));
}

const char *store_whistle_overdue_orgs(db *d, arena *a, int64_t whistle_id)
{
    db_rows *r =
        DBQ(d, a,
            "SELECT og.name FROM whistle_calls c JOIN organisations og ON og.id = c.org_id "
            "WHERE c.whistle_id = ? AND c.overdue_at IS NOT NULL AND c.answered_at IS NULL "
            "ORDER BY c.id",
            P_INT(whistle_id));
    if (!r) return NULL;
    const char *names = "";
    for (int i = 0; i < r->nrows; i++)
        names = arena_printf(a, "%s%s%s", names, i ? "、" : "", db_get(r, i, 0));
    return names;
}

bool store_whistle_account_called(db *d, int64_t account, int64_t order_id)
{
    return DBI(d, 0,
               "SELECT COUNT(*) FROM grants g WHERE g.account_id = ? AND g.org_id IN ("
               "SELECT c.org_id FROM whistle_calls c WHERE c.order_id = ? UNION "
               "SELECT k.org_id FROM order_costs k WHERE k.order_id = ? AND k.state <> 'declined')",
               P_INT(account), P_INT(order_id), P_INT(order_id)) > 0;
}
