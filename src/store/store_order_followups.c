/* Supervisions, revisits, tier and consultations; see store_order_followups.h. */
#include "store/store_order_followups.h"

#include "core/roles.h"
#include "store/scope.h"

int store_supervision_insert(db *d, int64_t order_id, int64_t by, const char *note,
                             int64_t deadline, int64_t now)
{
    return DBX(d,
               "INSERT INTO order_supervisions(order_id, by_account, note, deadline, created_at) "
               "VALUES (?, ?, ?, ?, ?)",
               P_INT(order_id), by > 0 ? P_INT(by) : P_NULL, P_TEXT(note), P_INT(deadline),
               P_INT(now));
}

int store_supervisions_close(db *d, int64_t order_id, int64_t now)
{
    return DBX(
        d, "UPDATE order_supervisions SET closed_at = ? WHERE order_id = ? AND closed_at IS NULL",
        P_INT(now), P_INT(order_id));
}

#define SV_COLS                                                                                    \
    "s.id, s.order_id, (SELECT ac.username FROM accounts ac WHERE ac.id = s.by_account), s.note, " \
    "s.deadline, s.created_at, s.closed_at, o.code, o.title, o.place_code, o.state "               \
    "FROM order_supervisions s JOIN orders o ON o.id = s.order_id "

static int supervision_rows(arena *a, const db_rows *r, struct supervision_row **out)
{
    if (!r) return -1;
    struct supervision_row *s = arena_alloc(a, sizeof *s * (size_t)(r->nrows + 1));
    for (int i = 0; i < r->nrows; i++)
        s[i] = (struct supervision_row){.id = db_get_int(r, i, 0),
                                        .order_id = db_get_int(r, i, 1),
                                        .by = db_get(r, i, 2),
                                        .note = db_get(r, i, 3),
                                        .deadline = db_get_int(r, i, 4),
                                        .created_at = db_get_int(r, i, 5),
                                        .closed_at = db_get_int(r, i, 6),
                                        .order_code = db_get(r, i, 7),
                                        .order_title = db_get(r, i, 8),
                                        .order_place = db_get(r, i, 9),
                                        .order_state = db_get(r, i, 10)};
    *out = s;
    return r->nrows;
}

int store_supervisions_of_order(db *d, arena *a, int64_t order_id, struct supervision_row **out)
{
    return supervision_rows(
        a, DBQ(d, a, "SELECT " SV_COLS "WHERE s.order_id = ? ORDER BY s.id", P_INT(order_id)), out);
}

int store_supervisions_open(db *d, arena *a, int64_t viewer, const char *place, int64_t now,
                            int limit, struct supervision_row **out)
{
    return supervision_rows(
        a,
        DBQ(d, a,
            "SELECT " SV_COLS "WHERE s.closed_at IS NULL "
            "AND (CAST(? AS TEXT) IS NULL OR (o.place_code >= CAST(? AS TEXT) "
            "AND o.place_code < CAST(? AS TEXT) || ':')) AND "
            "(? = 0 OR " SCOPE_COVERS("o.place_code") ") "
                                                      "ORDER BY CASE WHEN s.deadline < ? THEN 0 "
                                                      "ELSE 1 END, s.deadline, s.id LIMIT ?",
            P_NTEXT(place), P_NTEXT(place), P_NTEXT(place), P_INT(viewer), P_INT(viewer),
            P_TEXT(CAP_ORDERS_READ), P_INT(now), P_INT(limit)),
        out);
}

int store_revisit_insert(db *d, int64_t order_id, int64_t by, const char *note, const char *outcome,
                         int64_t now)
{
    return DBX(d,
               "INSERT INTO order_revisits(order_id, by_account, note, outcome, created_at) "
               "VALUES (?, ?, ?, ?, ?)",
               P_INT(order_id), by > 0 ? P_INT(by) : P_NULL, P_TEXT(note), P_TEXT(outcome),
               P_INT(now));
}

int store_revisits_of_order(db *d, arena *a, int64_t order_id, struct revisit_row **out)
{
    db_rows *r =
        DBQ(d, a,
            "SELECT r.id, (SELECT ac.username FROM accounts ac WHERE ac.id = r.by_account), "
            "r.note, r.outcome, r.created_at FROM order_revisits r WHERE r.order_id = ? "
            "ORDER BY r.id",
            P_INT(order_id));
    if (!r) return -1;
    struct revisit_row *v = arena_alloc(a, sizeof *v * (size_t)(r->nrows + 1));
    for (int i = 0; i < r->nrows; i++)
        v[i] = (struct revisit_row){.id = db_get_int(r, i, 0),
                                    .by = db_get(r, i, 1),
                                    .note = db_get(r, i, 2),
                                    .outcome = db_get(r, i, 3),
                                    .created_at = db_get_int(r, i, 4)};
    *out = v;
    return r->nrows;
}

int store_order_set_tier(db *d, int64_t order_id, const char *tier, int64_t now)
{
    return DBX(d, "UPDATE orders SET tier = ?, version = version + 1, updated_at = ? WHERE id = ?",
               P_TEXT(tier), P_INT(now), P_INT(order_id));
}

int64_t store_consultation_insert(db *d, arena *a, int64_t order_id, int64_t held_at,
                                  const char *participants, const char *outcome, int64_t by,
                                  int64_t now)
{
    db_rows *r = DBQ(d, a,
                     "INSERT INTO order_consultations(order_id, held_at, participants, outcome, "
                     "created_by, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                     P_INT(order_id), P_INT(held_at), P_TEXT(participants), P_TEXT(outcome),
                     by > 0 ? P_INT(by) : P_NULL, P_INT(now));
    return r && r->nrows == 1 ? db_get_int(r, 0, 0) : -1;
}

int store_consultations_of_order(db *d, arena *a, int64_t order_id, struct consultation_row **out)
{
    db_rows *r = DBQ(d, a,
                     "SELECT c.id, c.held_at, c.participants, c.outcome, (SELECT ac.username FROM "
                     "accounts ac WHERE ac.id = c.created_by), c.created_at FROM "
                     "order_consultations c WHERE c.order_id = ? ORDER BY c.id",
                     P_INT(order_id));
    if (!r) return -1;
    struct consultation_row *c = arena_alloc(a, sizeof *c * (size_t)(r->nrows + 1));
    for (int i = 0; i < r->nrows; i++)
        c[i] = (struct consultation_row){.id = db_get_int(r, i, 0),
                                         .held_at = db_get_int(r, i, 1),
                                         .participants = db_get(r, i, 2),
                                         .outcome = db_get(r, i, 3),
                                         .by = db_get(r, i, 4),
                                         .created_at = db_get_int(r, i, 5)};
    *out = c;
    return r->nrows;
}
