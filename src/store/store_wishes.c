/* SQL for micro-wishes; see store_wishes.h. */
#include "store/store_wishes.h"

#include "core/roles.h"
#include "store/scope.h"

/* The columns of WISH_SELECT (read into struct wish by wish_at). */
enum wish_col {
    WC_ID,
    WC_PLACE,
    WC_PLACE_NAME,
    WC_COMMUNITY,
    WC_COMMUNITY_NAME,
    WC_KIND,
    WC_TITLE,
    WC_DETAIL,
    WC_WANTED_BY,
    WC_PERSON,
    WC_DISPLAY_NAME,
    WC_STATE,
    WC_POSTED_BY,
    WC_POSTED_BY_NAME,
    WC_REVIEWED_BY,
    WC_REVIEWED_AT,
    WC_REJECT_REASON,
    WC_CLAIMED_BY,
    WC_CLAIMER_NAME,
    WC_CLAIMED_AT,
    WC_FULFIL_NOTE,
    WC_FULFILLED_AT,
    WC_ACHIEVED_AT,
    WC_CREATED_AT,
    WC_UPDATED_AT,
    WC_HAS_PHOTO,
    WC__COUNT
};

#define WISH_SELECT                                                                                \
    "SELECT w.id, w.place_code, p.name, w.community_code, c.name, w.kind, w.title, w.detail, "     \
    "w.wanted_by, w.person_id, w.display_name, w.state, w.posted_by, pa.display_name, "            \
    "w.reviewed_by, w.reviewed_at, w.reject_reason, w.claimed_by, ca.display_name, w.claimed_at, " \
    "w.fulfil_note, w.fulfilled_at, w.achieved_at, w.created_at, w.updated_at, "                   \
    "CASE WHEN ph.wish_id IS NULL THEN 0 ELSE 1 END "                                              \
    "FROM wishes w JOIN places p ON p.code = w.place_code "                                        \
    "JOIN places c ON c.code = w.community_code "                                                  \
    "LEFT JOIN accounts pa ON pa.id = w.posted_by "                                                \
    "LEFT JOIN accounts ca ON ca.id = w.claimed_by "                                               \
    "LEFT JOIN wish_photos ph ON ph.wish_id = w.id "

/* The visibility predicate; parameters: viewer ×4, CAP_WISHES_REVIEW, viewer, CAP_SELF. */
#define WISH_VISIBLE                                                                               \
    " (? = 0 OR w.posted_by = ? OR w.claimed_by = ? OR " SCOPE_COVERS(                             \
        "w.place_code") " OR (w.state IN ('published', 'claimed', 'fulfilled', 'achieved') "       \
                        "AND " SCOPE_COVERS("w.place_code") ")) "
#define VIS_PARAMS(v)                                                                              \
    P_INT(v), P_INT(v), P_INT(v), P_INT(v), P_TEXT(CAP_WISHES_REVIEW), P_INT(v), P_TEXT(CAP_SELF)

int64_t store_wish_insert(db *d, const struct wish_new *w, int64_t now)
{
    arena *a = arena_new();
    db_rows *r =
        DBQ(d, a,
            "INSERT INTO wishes(place_code, community_code, kind, title, detail, "
            "wanted_by, person_id, display_name, state, posted_by, created_at, "
            "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?) RETURNING id",
            P_TEXT(w->place_code), P_TEXT(w->community_code), P_TEXT(w->kind), P_TEXT(w->title),
            P_OPT(w->detail), P_OPT(w->wanted_by), w->person_id > 0 ? P_INT(w->person_id) : P_NULL,
            P_TEXT(w->display_name), P_INT(w->posted_by), P_INT(now), P_INT(now));
    int64_t id = r && r->nrows ? db_get_int(r, 0, 0) : -1;
    arena_free(a);
    return id;
}

static struct wish wish_at(const db_rows *r, int i)
{
#define T(c) db_get(r, i, (c))
#define N(c) db_get_int(r, i, (c))
    return (struct wish){
        .id = N(WC_ID),
        .person_id = N(WC_PERSON),
        .posted_by = N(WC_POSTED_BY),
        .reviewed_by = N(WC_REVIEWED_BY),
        .claimed_by = N(WC_CLAIMED_BY),
        .reviewed_at = N(WC_REVIEWED_AT),
        .claimed_at = N(WC_CLAIMED_AT),
        .fulfilled_at = N(WC_FULFILLED_AT),
        .achieved_at = N(WC_ACHIEVED_AT),
        .created_at = N(WC_CREATED_AT),
        .updated_at = N(WC_UPDATED_AT),
        .place_code = T(WC_PLACE),
        .place_name = T(WC_PLACE_NAME),
        .community_code = T(WC_COMMUNITY),
        .community_name = T(WC_COMMUNITY_NAME),
        .kind = T(WC_KIND),
        .title = T(WC_TITLE),
        .detail = T(WC_DETAIL),
        .wanted_by = T(WC_WANTED_BY),
        .display_name = T(WC_DISPLAY_NAME),
        .state = T(WC_STATE),
        .posted_by_name = T(WC_POSTED_BY_NAME),
        .reject_reason = T(WC_REJECT_REASON),
        .claimer_name = T(WC_CLAIMER_NAME),
        .fulfil_note = T(WC_FULFIL_NOTE),
        .has_photo = N(WC_HAS_PHOTO) != 0,
    };
#undef T
#undef N
}

static int wishes_of(arena *a, const db_rows *r, struct wish **out)
{
    *out = NULL;
    if (!r) return -1;
    *out = arena_alloc(a, sizeof **out * (size_t)(r->nrows + 1));
    for (int i = 0; i < r->nrows; i++) (*out)[i] = wish_at(r, i);
    return r->nrows;
}

bool store_wish_get(db *d, arena *a, int64_t viewer, int64_t id, struct wish *out)
{
    db_rows *r =
        DBQ(d, a, WISH_SELECT "WHERE w.id = ? AND" WISH_VISIBLE, P_INT(id), VIS_PARAMS(viewer));
    if (!r || !r->nrows) return false;
    *out = wish_at(r, 0);
    return true;
}

int store_wishes_list(db *d, arena *a, int64_t viewer, const struct wish_filter *f,
                      struct wish **out)
{
    return wishes_of(
        a,
        DBQ(d, a,
            WISH_SELECT "WHERE" WISH_VISIBLE "AND (CAST(? AS TEXT) IS NULL OR w.state = ?) AND "
                        "(CAST(? AS TEXT) IS NULL OR w.kind = ?) "
                        "AND (CAST(? AS TEXT) IS NULL OR (w.place_code >= ? AND w.place_code < "
                        "CAST(? AS TEXT) || "
                        "':')) "
                        "AND (CAST(? AS TEXT) IS NULL OR (w.wanted_by < ? AND w.state IN "
                        "('pending', 'published', 'claimed'))) "
                        "AND (? = 0 OR w.posted_by = ? OR w.claimed_by = ?) "
                        "AND (? = 0 OR w.id < ?) ORDER BY w.id DESC LIMIT ?",
            VIS_PARAMS(viewer), P_OPT(f->state), P_OPT(f->state), P_OPT(f->kind), P_OPT(f->kind),
            P_OPT(f->place), P_OPT(f->place), P_OPT(f->place), P_OPT(f->overdue_before),
            P_OPT(f->overdue_before), P_INT(f->mine ? 1 : 0), P_INT(viewer), P_INT(viewer),
            P_INT(f->after_id), P_INT(f->after_id), P_INT(f->limit > 0 ? f->limit : 50)),
        out);
}

int store_wish_wall_items(db *d, arena *a, const char *community, int limit, struct wish **out)
{
    return wishes_of(a,
                     DBQ(d, a,
                         WISH_SELECT
                         "WHERE w.community_code = ? AND w.state IN "
                         "('published', 'claimed', 'fulfilled', 'achieved') "
                         "ORDER BY CASE w.state WHEN 'published' THEN 0 ELSE 1 END, w.id DESC "
                         "LIMIT ?",
                         P_TEXT(community), P_INT(limit)),
                     out);
}

const char *store_place_community(db *d, arena *a, const char *code)
{
    db_rows *r = DBQ(d, a,
                     "SELECT code FROM places WHERE level = 'community' AND ? >= code AND ? < "
                     "code || ':' ORDER BY code DESC LIMIT 1",
                     P_TEXT(code), P_TEXT(code));
    return r && r->nrows ? db_get(r, 0, 0) : NULL;
}

const char *store_wish_place_name(db *d, arena *a, const char *code)
{
    db_rows *r = DBQ(d, a, "SELECT name FROM places WHERE code = ?", P_TEXT(code));
    return r && r->nrows ? db_get(r, 0, 0) : NULL;
}

bool store_wish_is_volunteer(db *d, int64_t account, const char *place_code)
{
    return DBI(d, 0,
               "SELECT COUNT(*) FROM scope_ranges s JOIN accounts ac ON ac.id = s.account_id "
               "WHERE s.account_id = ? AND s.role = 'volunteer' AND ac.disabled = 0 "
               "AND ? >= s.lo AND ? < s.lo || ':'",
               P_INT(account), P_TEXT(place_code), P_TEXT(place_code)) > 0;
}

int store_wish_poster_places(db *d, arena *a, int64_t account, const char ***out)
{
    db_rows *r =
        DBQ(d, a,
            "SELECT p.place_code FROM accounts ac JOIN people p ON p.id = ac.person_id "
            "WHERE ac.id = ? AND p.place_code IS NOT NULL "
            "UNION SELECT pm.reported_community FROM accounts ac JOIN party_members pm "
            "ON pm.person_id = ac.person_id WHERE ac.id = ? AND pm.reported_at IS NOT NULL "
            "AND pm.reported_community IS NOT NULL "
            "UNION SELECT g.place_code FROM grants g WHERE g.account_id = ? "
            "AND g.role = 'resident' AND g.place_code IS NOT NULL ORDER BY 1",
            P_INT(account), P_INT(account), P_INT(account));
    *out = NULL;
    if (!r) return -1;
    *out = arena_alloc(a, sizeof **out * (size_t)(r->nrows + 1));
    for (int i = 0; i < r->nrows; i++) (*out)[i] = db_get(r, i, 0);
    return r->nrows;
}

bool store_wish_covers(db *d, int64_t account, const char *cap, const char *place_code)
{
    if (account == 0) return true;
    return DBI(d, 0, "SELECT COUNT(*) FROM places p WHERE p.code = ? AND" SCOPE_COVERS("p.code"),
               P_TEXT(place_code), P_INT(account), P_TEXT(cap)) > 0;
}

int store_wish_review(db *d, int64_t id, bool approve, const char *reason, int64_t by, int64_t now)
{
    return DBX(d,
               "UPDATE wishes SET state = ?, reject_reason = ?, reviewed_by = ?, reviewed_at = ?, "
               "updated_at = ? WHERE id = ? AND state = 'pending'",
               P_TEXT(approve ? "published" : "rejected"), approve ? P_NULL : P_TEXT(reason),
               by ? P_INT(by) : P_NULL, P_INT(now), P_INT(now), P_INT(id));
}

int store_wish_claim(db *d, int64_t id, int64_t by, int64_t now)
{
    /* the WHERE is the race: of concurrent claims exactly one finds 'published' */
    return DBX(d,
               "UPDATE wishes SET state = 'claimed', claimed_by = ?, claimed_at = ?, "
               "updated_at = ? WHERE id = ? AND state = 'published'",
               P_INT(by), P_INT(now), P_INT(now), P_INT(id));
}

int store_wish_fulfil(db *d, int64_t id, int64_t by, const char *note, int64_t now)
{
    return DBX(d,
               "UPDATE wishes SET state = 'fulfilled', fulfil_note = ?, fulfilled_at = ?, "
               "updated_at = ? WHERE id = ? AND state = 'claimed' AND claimed_by = ?",
               P_TEXT(note), P_INT(now), P_INT(now), P_INT(id), P_INT(by));
}

int store_wish_achieve(db *d, int64_t id, int64_t now)
{
    return DBX(d,
               "UPDATE wishes SET state = 'achieved', achieved_at = ?, updated_at = ? "
               "WHERE id = ? AND state = 'fulfilled'",
               P_INT(now), P_INT(now), P_INT(id));
}

int store_wish_photo_put(db *d, int64_t id, const char *mime, const char *base64, int64_t size,
                         int64_t by, int64_t now)
{
    return DBX(d,
               "INSERT INTO wish_photos(wish_id, mime, bytes, size, created_at, created_by) "
               "VALUES (?, ?, ?, ?, ?, ?)",
               P_INT(id), P_TEXT(mime), P_TEXT(base64), P_INT(size), P_INT(now),
               by ? P_INT(by) : P_NULL);
}

bool store_wish_photo(db *d, arena *a, int64_t id, const char **mime, int64_t *size,
                      const char **base64)
{
    db_rows *r =
        DBQ(d, a, "SELECT mime, size, bytes FROM wish_photos WHERE wish_id = ?", P_INT(id));
    if (!r || !r->nrows) return false;
    *mime = db_get(r, 0, 0);
    *size = db_get_int(r, 0, 1);
    *base64 = db_get(r, 0, 2);
    return true;
}

db_rows *store_wish_push_accounts(db *d, arena *a, const char *community)
{
    const char *c = community;
    return DBQ(
        d, a,
        "SELECT g.account_id FROM grants g JOIN accounts ac ON ac.id = g.account_id "
        "WHERE ac.disabled = 0 AND g.org_id IN ("
        " SELECT o.id FROM organisations o WHERE o.place_code >= ? AND o.place_code < CAST(? AS "
        "TEXT) || ':'"
        " UNION SELECT op.org_id FROM org_places op"
        "  WHERE op.place_code >= ? AND op.place_code < CAST(? AS TEXT) || ':'"
        " UNION SELECT ag.org_id FROM agreements ag"
        "  WHERE (ag.place_code >= ? AND ag.place_code < CAST(? AS TEXT) || ':')"
        "     OR (? >= ag.place_code AND ? < ag.place_code || ':'))"
        " UNION SELECT ac.id FROM accounts ac JOIN party_members pm ON pm.person_id = ac.person_id"
        " WHERE ac.disabled = 0 AND pm.kind = 'in_service' AND pm.reported_at IS NOT NULL"
        " AND pm.reported_community = ?"
        " ORDER BY 1",
        P_TEXT(c), P_TEXT(c), P_TEXT(c), P_TEXT(c), P_TEXT(c), P_TEXT(c), P_TEXT(c), P_TEXT(c),
        P_TEXT(c));
}

int store_wish_stats_places(db *d, arena *a, const char *place, int64_t from, int64_t to,
                            const char *today, struct wish_place_counts **out)
{
    db_rows *r =
        DBQ(d, a,
            "SELECT k.code, k.name, COUNT(w.id),"
            " SUM(CASE WHEN w.state IN ('published', 'claimed', 'fulfilled', 'achieved')"
            " THEN 1 ELSE 0 END),"
            " SUM(CASE WHEN w.state IN ('claimed', 'fulfilled', 'achieved') THEN 1 ELSE 0 END),"
            " SUM(CASE WHEN w.state = 'achieved' THEN 1 ELSE 0 END),"
            " SUM(CASE WHEN w.wanted_by < ? AND w.state IN ('pending', 'published', 'claimed')"
            " THEN 1 ELSE 0 END) "
            "FROM places k LEFT JOIN wishes w ON w.place_code >= k.code"
            " AND w.place_code < k.code || ':' AND w.created_at >= ? AND w.created_at < ? "
            "WHERE k.code = ? OR k.parent_code = ? "
            "GROUP BY k.code, k.name ORDER BY k.code",
            P_TEXT(today), P_INT(from), P_INT(to), P_TEXT(place), P_TEXT(place));
    *out = NULL;
    if (!r) return -1;
    *out = arena_alloc(a, sizeof **out * (size_t)(r->nrows + 1));
    for (int i = 0; i < r->nrows; i++)
        (*out)[i] = (struct wish_place_counts){
            db_get(r, i, 0),     db_get(r, i, 1),     db_get_int(r, i, 2), db_get_int(r, i, 3),
            db_get_int(r, i, 4), db_get_int(r, i, 5), db_get_int(r, i, 6)};
    return r->nrows;
}

static db_rows *stats_by(db *d, arena *a, const char *place, int64_t from, int64_t to, bool by_kind)
{
    if (by_kind)
        return DBQ(d, a,
                   "SELECT kind, COUNT(*) FROM wishes WHERE place_code >= ? AND place_code < "
                   "CAST(? AS TEXT) "
                   "|| ':' AND created_at >= ? AND created_at < ? GROUP BY kind ORDER BY kind",
                   P_TEXT(place), P_TEXT(place), P_INT(from), P_INT(to));
    return DBQ(
        d, a,
        "SELECT state, COUNT(*) FROM wishes WHERE place_code >= ? AND place_code < CAST(? AS TEXT) "
        "|| ':' AND created_at >= ? AND created_at < ? GROUP BY state ORDER BY state",
        P_TEXT(place), P_TEXT(place), P_INT(from), P_INT(to));
}

int store_wish_stats_by(db *d, arena *a, const char *place, int64_t from, int64_t to, bool by_kind,
                        struct wish_count **out)
{
    db_rows *r = stats_by(d, a, place, from, to, by_kind);
    *out = NULL;
    if (!r) return -1;
    *out = arena_alloc(a, sizeof **out * (size_t)(r->nrows + 1));
    for (int i = 0; i < r->nrows; i++)
        (*out)[i] = (struct wish_count){db_get(r, i, 0), db_get_int(r, i, 1)};
    return r->nrows;
}

bool store_wish_person(db *d, arena *a, int64_t person_id, const char **name, const char **place)
{
    db_rows *r = DBQ(d, a, "SELECT name, place_code FROM people WHERE id = ?", P_INT(person_id));
    if (!r || !r->nrows) return false;
    *name = db_get(r, 0, 0);
    *place = db_get(r, 0, 1);
    return true;
}

const char *store_wish_account_name(db *d, arena *a, int64_t account)
{
    db_rows *r = DBQ(d, a,
                     "SELECT COALESCE(p.name, ac.display_name, ac.username) FROM accounts ac "
                     "LEFT JOIN people p ON p.id = ac.person_id WHERE ac.id = ?",
                     P_INT(account));
    return r && r->nrows ? db_get(r, 0, 0) : NULL;
}

const char *store_wish_community_name(db *d, arena *a, const char *code)
{
    db_rows *r =
        DBQ(d, a, "SELECT name FROM places WHERE code = ? AND level = 'community'", P_TEXT(code));
    return r && r->nrows ? db_get(r, 0, 0) : NULL;
}
