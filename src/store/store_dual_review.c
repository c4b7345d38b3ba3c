/* The 双评价 queries: see store_dual_review.h. One static SQL text per query;
 * every figure is a scalar subquery over [from, to). */
#include "store/store_dual_review.h"

#include "core/roles.h"
#include "store/scope.h"
#include "store/store_rows.h"

/* Columns of a member row. */
enum dual_member_col {
    DM_ID,
    DM_NAME,
    DM_PLACE,
    DM_PLACE_NAME,
    DM_WORK_UNIT,
    DM_WORK_ORG_ID,
    DM_WORK_ORG_NAME,
    DM_REPORTED_AT,
    DM_REPORTED_COMMUNITY,
    DM_REPORTED_COMMUNITY_NAME,
    DM_COMMUNITY_SIDE,  /* 1: the viewer reads it as the community */
    DM_UNIT_SIDE,       /* 1: the viewer reads it as the work unit */
    DM_COMMUNITY_WRITE, /* 1: the viewer may give the community's evaluation */
    DM_ORDERS,          /* orders assigned to the person and resolved in the period */
    DM_RATED_SATISFIED, /* ratings given in the period on orders they handled */
    DM_RATED_BASIC,
    DM_RATED_UNSATISFIED,
    DM_WISHES,          /* wishes they claimed and fulfilled in the period */
    DM_ACTIVITIES,      /* activities of the period they signed up for (not waiting) */
    DM_SERVED,          /* of which they were marked as having served */
    DM_SERVICE_MINUTES, /* volunteer minutes credited */
    DM_POINTS,          /* points earned: awards net of their reversals */
    DM_C_GRADE,         /* the community's evaluation of the year */
    DM_C_COMMENT,
    DM_C_BY,
    DM_C_AT,
    DM_U_GRADE, /* the unit's */
    DM_U_COMMENT,
    DM_U_BY,
    DM_U_AT,
    DM__COUNT
};

/* The viewer holds a role with cap through a grant on the member's work unit. */
#define UNIT_COVERS                                                                                \
    " EXISTS (SELECT 1 FROM grants g JOIN role_caps gc ON gc.role = g.role"                        \
    " WHERE g.account_id = ? AND gc.cap = ? AND g.org_id = pm.work_org_id) "

/* What a movement counts as earned (as in store_points.c). */
#define EARNED                                                                                     \
    "CASE WHEN m.kind = 'award' THEN m.points WHEN m.kind = 'reverse' AND o.kind = 'award' "       \
    "THEN m.points ELSE 0 END"

#define ORDERS_OF " FROM orders o WHERE o.assignee_kind = 'person' AND o.assignee_id = p.id "
#define SIGNUPS_OF                                                                                 \
    " FROM activity_signups s JOIN activities ac ON ac.id = s.activity_id"                         \
    " JOIN accounts sa ON sa.id = s.account_id WHERE sa.person_id = p.id AND s.status = 'signed'"  \
    " AND ac.status = 'scheduled' AND ac.starts_at >= ? AND ac.starts_at < ? "

#define MEMBER_SELECT                                                                              \
    "SELECT p.id, p.name, p.place_code, pl.name, pm.work_unit, pm.work_org_id, wo.name, "          \
    "pm.reported_at, pm.reported_community, rc.name, "                                             \
    "CASE WHEN" SCOPE_COVERS(                                                                      \
        "p.place_code") "THEN 1 ELSE 0 END, "                                                      \
                        "CASE WHEN" UNIT_COVERS "THEN 1 ELSE 0 END, "                              \
                        "CASE WHEN" SCOPE_COVERS(                                                  \
                            "p.place_code") "THEN 1 ELSE 0 END, "                                  \
                                            "(SELECT COUNT(*)" ORDERS_OF                           \
                                            "AND o.resolved_at >= ? AND o.resolved_at < ?), "      \
                                            "(SELECT COUNT(*)" ORDERS_OF                           \
                                            "AND o.rating = 'satisfied' AND o.rated_at >= ? AND "  \
                                            "o.rated_at < ?), "                                    \
                                            "(SELECT COUNT(*)" ORDERS_OF                           \
                                            "AND o.rating = 'basic' AND o.rated_at >= ? AND "      \
                                            "o.rated_at < ?), "                                    \
                                            "(SELECT COUNT(*)" ORDERS_OF                           \
                                            "AND o.rating = 'unsatisfied' AND o.rated_at >= ? "    \
                                            "AND "                                                 \
                                            "o.rated_at < ?), "                                    \
                                            "(SELECT COUNT(*) FROM wishes w JOIN accounts wa ON "  \
                                            "wa.id = w.claimed_by WHERE "                          \
                                            "wa.person_id = p.id AND w.state IN ('fulfilled', "    \
                                            "'achieved') AND w.fulfilled_at >= ? AND "             \
                                            "w.fulfilled_at < ?), "                                \
                                            "(SELECT COUNT(*)" SIGNUPS_OF "), "                    \
                                            "(SELECT COUNT(*)" SIGNUPS_OF "AND s.served = 1), "    \
                                            "(SELECT COALESCE(SUM(s.service_minutes), "            \
                                            "0)" SIGNUPS_OF "AND s.served = 1), "                  \
                                            "(SELECT COALESCE(SUM(" EARNED                         \
                                            "), 0) FROM points_movements m LEFT JOIN "             \
                                            "points_movements o "                                  \
                                            "ON o.id = m.reverses_id WHERE m.person_id = p.id "    \
                                            "AND m.created_at >= ? AND "                           \
                                            "m.created_at < ?), "                                  \
                                            "c.grade, c.comment, COALESCE(ca.display_name, "       \
                                            "ca.username), c.updated_at, "                         \
                                            "u.grade, u.comment, COALESCE(ua.display_name, "       \
                                            "ua.username), u.updated_at "                          \
                                            "FROM people p JOIN party_members pm ON pm.person_id " \
                                            "= p.id "                                              \
                                            "LEFT JOIN places pl ON pl.code = p.place_code "       \
                                            "LEFT JOIN organisations wo ON wo.id = "               \
                                            "pm.work_org_id "                                      \
                                            "LEFT JOIN places rc ON rc.code = "                    \
                                            "pm.reported_community "                               \
                                            "LEFT JOIN dual_reviews c ON c.person_id = p.id AND "  \
                                            "c.year = ? AND c.side = 'community' "                 \
                                            "LEFT JOIN accounts ca ON ca.id = c.reviewed_by "      \
                                            "LEFT JOIN dual_reviews u ON u.person_id = p.id AND "  \
                                            "u.year = ? AND u.side = 'unit' "                      \
                                            "LEFT JOIN accounts ua ON ua.id = u.reviewed_by "      \
                                            "WHERE pm.kind = 'in_service' AND pm.reported_at IS "  \
                                            "NOT NULL "

/* The parameters of MEMBER_SELECT, in their textual order. */
#define MEMBER_PARAMS(viewer, from, to, year)                                                      \
    P_INT(viewer), P_TEXT(CAP_PEOPLE_READ), P_INT(viewer), P_TEXT(CAP_ORGS_READ), P_INT(viewer),   \
        P_TEXT(CAP_PEOPLE_WRITE), P_INT(from), P_INT(to), P_INT(from), P_INT(to), P_INT(from),     \
        P_INT(to), P_INT(from), P_INT(to), P_INT(from), P_INT(to), P_INT(from), P_INT(to),         \
        P_INT(from), P_INT(to), P_INT(from), P_INT(to), P_INT(from), P_INT(to), P_INT(year),       \
        P_INT(year)

static db_rows *store_dual_member(db *d, arena *a, int64_t viewer, int64_t person, int year,
                                  int64_t from, int64_t to)
{
    db_rows *r = DBQ(d, a, MEMBER_SELECT "AND p.id = ?", MEMBER_PARAMS(viewer, from, to, year),
                     P_INT(person));
    return r && r->nrows ? r : NULL;
}

bool store_dual_is_member(db *d, int64_t person)
{
    return DBI(d, 0,
               "SELECT 1 FROM party_members WHERE person_id = ? AND kind = 'in_service' AND "
               "reported_at IS NOT NULL",
               P_INT(person)) == 1;
}

static db_rows *store_dual_members(db *d, arena *a, int64_t viewer, const char *place, int64_t org,
                                   int year, int64_t from, int64_t to, int64_t after_id, int limit)
{
    const char *lo = place ? place : "";
    return DBQ(d, a,
               MEMBER_SELECT "AND (" SCOPE_COVERS(
                   "p.place_code") "OR" UNIT_COVERS ") "
                                   "AND (CAST(? AS TEXT) = '' OR (p.place_code >= ? AND "
                                   "p.place_code < CAST(? AS TEXT) || ':')) "
                                   "AND (? = 0 OR pm.work_org_id = ?) AND p.id > ? "
                                   "ORDER BY p.id LIMIT ?",
               MEMBER_PARAMS(viewer, from, to, year), P_INT(viewer), P_TEXT(CAP_PEOPLE_READ),
               P_INT(viewer), P_TEXT(CAP_ORGS_READ), P_TEXT(lo), P_TEXT(lo), P_TEXT(lo), P_INT(org),
               P_INT(org), P_INT(after_id), P_INT(limit));
}

static db_rows *store_dual_review_get(db *d, arena *a, int64_t person, int year, const char *side)
{
    return DBQ(d, a,
               "SELECT id, grade, comment FROM dual_reviews WHERE person_id = ? AND year = ? AND "
               "side = ?",
               P_INT(person), P_INT(year), P_TEXT(side));
}

int64_t store_dual_review_put(db *d, int64_t person, int year, const char *side, const char *grade,
                              const char *comment, int64_t by, int64_t now)
{
    int n = DBX(d,
                "UPDATE dual_reviews SET grade = ?, comment = ?, reviewed_by = ?, updated_at = ? "
                "WHERE person_id = ? AND year = ? AND side = ?",
                P_TEXT(grade), P_OPT(comment), P_INT(by), P_INT(now), P_INT(person), P_INT(year),
                P_TEXT(side));
    if (n < 0) return -1;
    if (n == 0 && DBX(d,
                      "INSERT INTO dual_reviews(person_id, year, side, grade, comment, "
                      "reviewed_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                      P_INT(person), P_INT(year), P_TEXT(side), P_TEXT(grade), P_OPT(comment),
                      P_INT(by), P_INT(now), P_INT(now)) < 0)
        return -1;
    return DBI(d, -1, "SELECT id FROM dual_reviews WHERE person_id = ? AND year = ? AND side = ?",
               P_INT(person), P_INT(year), P_TEXT(side));
}

static void member_fill(const db_rows *r, int i, void *out)
{
    *(struct dual_member_row *)out = (struct dual_member_row){
        .id = db_get_int(r, i, DM_ID),
        .name = db_get(r, i, DM_NAME),
        .place_code = db_get(r, i, DM_PLACE),
        .place_name = db_get(r, i, DM_PLACE_NAME),
        .work_unit = db_get(r, i, DM_WORK_UNIT),
        .work_org_id = db_get_int(r, i, DM_WORK_ORG_ID),
        .work_org_name = db_get(r, i, DM_WORK_ORG_NAME),
        .reported_at = db_get(r, i, DM_REPORTED_AT),
        .reported_community = db_get(r, i, DM_REPORTED_COMMUNITY),
        .reported_community_name = db_get(r, i, DM_REPORTED_COMMUNITY_NAME),
        .community_side = db_get_int(r, i, DM_COMMUNITY_SIDE) != 0,
        .unit_side = db_get_int(r, i, DM_UNIT_SIDE) != 0,
        .community_write = db_get_int(r, i, DM_COMMUNITY_WRITE) != 0,
        .orders = db_get_int(r, i, DM_ORDERS),
        .rated_satisfied = db_get_int(r, i, DM_RATED_SATISFIED),
        .rated_basic = db_get_int(r, i, DM_RATED_BASIC),
        .rated_unsatisfied = db_get_int(r, i, DM_RATED_UNSATISFIED),
        .wishes = db_get_int(r, i, DM_WISHES),
        .activities = db_get_int(r, i, DM_ACTIVITIES),
        .served = db_get_int(r, i, DM_SERVED),
        .service_minutes = db_get_int(r, i, DM_SERVICE_MINUTES),
        .points = db_get_int(r, i, DM_POINTS),
        .community = {db_get(r, i, DM_C_GRADE), db_get(r, i, DM_C_COMMENT), db_get(r, i, DM_C_BY),
                      db_get_int(r, i, DM_C_AT)},
        .unit = {db_get(r, i, DM_U_GRADE), db_get(r, i, DM_U_COMMENT), db_get(r, i, DM_U_BY),
                 db_get_int(r, i, DM_U_AT)}};
}

int store_dual_member_read(db *d, arena *a, int64_t viewer, int64_t person, int year, int64_t from,
                           int64_t to, struct dual_member_row *out)
{
    db_rows *r = store_dual_member(d, a, viewer, person, year, from, to);
    if (!r) return db_last_code(d) != DB_OK ? -1 : 0;
    member_fill(r, 0, out);
    return 1;
}

int store_dual_members_find(db *d, arena *a, int64_t viewer, const char *place, int64_t org,
                            int year, int64_t from, int64_t to, int64_t after_id, int limit,
                            struct dual_member_row **out)
{
    int n;
    *out =
        store_rows(a, store_dual_members(d, a, viewer, place, org, year, from, to, after_id, limit),
                   sizeof **out, member_fill, &n);
    return n;
}

int store_dual_review_read(db *d, arena *a, int64_t person, int year, const char *side,
                           struct dual_evaluation_row *out)
{
    db_rows *r = store_dual_review_get(d, a, person, year, side);
    if (!r) return -1;
    if (!r->nrows) return 0;
    *out = (struct dual_evaluation_row){.grade = db_get(r, 0, 1), .comment = db_get(r, 0, 2)};
    return 1;
}
