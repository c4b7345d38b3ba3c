/* Organisations and agreements in portable SQL; see store_orgs.h. */
#include "store/store_orgs.h"
#include "store/store_rows.h"

#include <string.h>

#include "core/roles.h"
#include "store/scope.h"
#include "util/clock.h"

/* The columns of enum org_col for the organisation aliased o. */
#define ORG_COLS                                                                                   \
    "o.id, o.kind, o.name, o.parent_id, par.name AS parent_name, o.place_code, "                   \
    "pl.name AS place_name, o.formation, o.phone, o.created_at, o.has_position, o.has_ledger, "    \
    "o.has_mechanism, o.has_plan, o.secretary_person_id, sec.name AS secretary_name, "             \
    "o.secretary_way, o.one_shoulder, "                                                            \
    "(SELECT COUNT(*) FROM org_places c WHERE c.org_id = o.id) AS n_places, "                      \
    "(SELECT COUNT(*) FROM organisations c WHERE c.parent_id = o.id) AS n_children, "              \
    "(SELECT COUNT(*) FROM party_members c WHERE c.branch_id = o.id) AS n_members "                \
    "FROM organisations o LEFT JOIN organisations par ON par.id = o.parent_id "                    \
    "LEFT JOIN places pl ON pl.code = o.place_code LEFT JOIN people sec ON sec.id = "              \
    "o.secretary_person_id "

/* Visibility of o: its home place is in scope, or a place it serves
 * overlaps the scope (lies in it, or contains it: a county department serving
 * the whole county is seen by a community's secretary, who dispatches to it),
 * or it has a 共建协议 with a community in scope. Parameters: viewer, then
 * (viewer, cap) four times. */
#define ORG_VISIBLE                                                                                \
    " (? = 0 OR " SCOPE_COVERS(                                                                    \
        "o.place_code") " OR EXISTS (SELECT 1 FROM org_places vp WHERE "                           \
                        "vp.org_id = o.id AND (" SCOPE_COVERS(                                     \
                            "vp.place_code") " OR EXISTS (SELECT 1 FROM "                          \
                                             "scope_ranges s JOIN role_caps rc ON rc.role = "      \
                                             "s.role WHERE s.account_id = ? AND rc.cap = ? "       \
                                             "AND s.lo > vp.place_code AND s.lo < vp.place_code "  \
                                             "|| ':'))) OR EXISTS (SELECT 1 FROM "                 \
                                             "agreements va WHERE va.org_id = o.id "               \
                                             "AND " SCOPE_COVERS("va.place_code") ")) "
#define ORG_VISIBLE_ARGS(viewer, cap)                                                              \
    P_INT(viewer), P_INT(viewer), P_TEXT(cap), P_INT(viewer), P_TEXT(cap), P_INT(viewer),          \
        P_TEXT(cap), P_INT(viewer), P_TEXT(cap)

db_rows *store_org_get(db *d, arena *a, int64_t viewer, const char *cap, int64_t id)
{
    db_rows *r = DBQ(d, a, "SELECT " ORG_COLS "WHERE o.id = ? AND" ORG_VISIBLE, P_INT(id),
                     ORG_VISIBLE_ARGS(viewer, cap));
    return r && r->nrows ? r : NULL;
}

db_rows *store_orgs_list(db *d, arena *a, int64_t viewer, const char *cap,
                         const struct org_filter *f)
{
    const char *like = f->q && *f->q ? store_like_pattern(a, f->q, true) : NULL;
    return DBQ(d, a,
               "SELECT " ORG_COLS "WHERE (CAST(? AS TEXT) IS NULL OR o.kind = ?) "
               "AND (CAST(? AS TEXT) IS NULL OR (o.place_code >= ? AND o.place_code < "
               "CAST(? AS TEXT) || ':')) "
               "AND (CAST(? AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM org_places sp WHERE "
               "sp.org_id = o.id AND sp.place_code >= ? AND sp.place_code < CAST(? AS TEXT) || "
               "':')) "
               "AND (CAST(? AS TEXT) IS NULL OR o.name LIKE ? ESCAPE '\\') "
               "AND (? = 0 OR o.parent_id = ?) AND o.id > ? AND" ORG_VISIBLE
               "ORDER BY o.id LIMIT ?",
               P_OPT(f->kind), P_OPT(f->kind), P_OPT(f->place), P_OPT(f->place), P_OPT(f->place),
               P_OPT(f->serves), P_OPT(f->serves), P_OPT(f->serves), P_NTEXT(like), P_NTEXT(like),
               P_INT(f->parent_id), P_INT(f->parent_id), P_INT(f->after_id),
               ORG_VISIBLE_ARGS(viewer, cap), P_INT(f->limit > 0 ? f->limit : 50));
}

db_rows *store_org_places(db *d, arena *a, int64_t viewer, const char *cap, int64_t org_id)
{
    return DBQ(
        d, a,
        "SELECT p.code, p.name, p.level FROM org_places op JOIN places p ON p.code = "
        "op.place_code WHERE op.org_id = ? AND (? = 0 OR " SCOPE_COVERS("p.code") ") "
                                                                                  "ORDER BY p.code",
        P_INT(org_id), P_INT(viewer), P_INT(viewer), P_TEXT(cap));
}

db_rows *store_org_members(db *d, arena *a, int64_t viewer, int64_t org_id, int limit)
{
    return DBQ(
        d, a,
        "SELECT pe.id, pe.name, pe.sex, pe.place_code, pl.name AS place_name, "
        "m.kind AS member_kind, m.joined_on, CASE WHEN ? = 0 OR " SCOPE_COVERS(
            "pe.place_code") " THEN 1 ELSE 0 END AS can_reveal "
                             "FROM party_members m JOIN people pe ON pe.id = m.person_id "
                             "LEFT JOIN places pl ON pl.code = pe.place_code WHERE m.branch_id = ? "
                             "AND (? = 0 OR " SCOPE_COVERS(
                                 "pe.place_code") ") ORDER BY pe.id LIMIT ?",
        P_INT(viewer), P_INT(viewer), P_TEXT(CAP_PEOPLE_REVEAL), P_INT(org_id), P_INT(viewer),
        P_INT(viewer), P_TEXT(CAP_PEOPLE_READ), P_INT(limit));
}

#define AGREEMENT_COLS                                                                             \
    "SELECT ag.id, ag.org_id, o.name AS org_name, ag.place_code, p.name AS place_name, "           \
    "ag.title, ag.signed_on, ag.expires_on, ag.created_at FROM agreements ag "                     \
    "JOIN organisations o ON o.id = ag.org_id JOIN places p ON p.code = ag.place_code "

db_rows *store_org_agreements(db *d, arena *a, int64_t viewer, const char *cap, int64_t org_id)
{
    return DBQ(d, a,
               AGREEMENT_COLS "WHERE ag.org_id = ? AND (? = 0 OR " SCOPE_COVERS(
                   "ag.place_code") ") "
                                    "ORDER BY ag.signed_on DESC, ag.id DESC",
               P_INT(org_id), P_INT(viewer), P_INT(viewer), P_TEXT(cap));
}

db_rows *store_place_agreements(db *d, arena *a, int64_t viewer, const char *cap,
                                const char *place_code)
{
    return DBQ(d, a,
               AGREEMENT_COLS "WHERE ag.place_code >= ? AND ag.place_code < CAST(? AS TEXT) || ':' "
                              "AND (? = 0 OR " SCOPE_COVERS(
                                  "ag.place_code") ") "
                                                   "ORDER BY ag.signed_on DESC, ag.id DESC",
               P_TEXT(place_code), P_TEXT(place_code), P_INT(viewer), P_INT(viewer), P_TEXT(cap));
}

db_rows *store_agreement_get(db *d, arena *a, int64_t viewer, const char *cap, int64_t id)
{
    db_rows *r =
        DBQ(d, a, AGREEMENT_COLS "WHERE ag.id = ? AND (? = 0 OR " SCOPE_COVERS("ag.place_code") ")",
            P_INT(id), P_INT(viewer), P_INT(viewer), P_TEXT(cap));
    return r && r->nrows ? r : NULL;
}

bool store_org_is_below(db *d, int64_t id, int64_t ancestor)
{
    /* Walk up from id; the depth bound stops a pre-existing cycle. */
    return DBI(d, 0,
               "WITH RECURSIVE up(id, depth) AS (SELECT CAST(? AS BIGINT), 0 UNION ALL SELECT "
               "o.parent_id, up.depth + 1 FROM organisations o JOIN up ON o.id = up.id WHERE "
               "o.parent_id IS NOT NULL AND up.depth < 64) "
               "SELECT COUNT(*) FROM up WHERE id = ?",
               P_INT(id), P_INT(ancestor)) > 0;
}

static db_param flag(int v)
{
    return v < 0 ? P_NULL : P_INT(v ? 1 : 0);
}

int64_t store_org_insert(db *d, const struct org_row *o)
{
    arena *a = arena_new();
    db_rows *r = DBQ(
        d, a,
        "INSERT INTO organisations(kind, name, parent_id, place_code, formation, phone, "
        "has_position, has_ledger, has_mechanism, has_plan, secretary_person_id, secretary_way, "
        "one_shoulder, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        P_TEXT(o->kind), P_TEXT(o->name), o->parent_id ? P_INT(o->parent_id) : P_NULL,
        P_OPT(o->place_code), P_OPT(o->formation), P_OPT(o->phone), flag(o->has_position),
        flag(o->has_ledger), flag(o->has_mechanism), flag(o->has_plan),
        o->secretary_person_id ? P_INT(o->secretary_person_id) : P_NULL, P_OPT(o->secretary_way),
        flag(o->one_shoulder), P_INT(clock_now()));
    int64_t id = r && r->nrows ? db_get_int(r, 0, 0) : (db_last_code(d) ? db_last_code(d) : -1);
    arena_free(a);
    return id;
}

int store_org_update(db *d, int64_t id, const struct org_row *o)
{
    return DBX(d,
               "UPDATE organisations SET kind = ?, name = ?, parent_id = ?, place_code = ?, "
               "formation = ?, phone = ?, has_position = ?, has_ledger = ?, has_mechanism = ?, "
               "has_plan = ?, secretary_person_id = ?, secretary_way = ?, one_shoulder = ? "
               "WHERE id = ?",
               P_TEXT(o->kind), P_TEXT(o->name), o->parent_id ? P_INT(o->parent_id) : P_NULL,
               P_OPT(o->place_code), P_OPT(o->formation), P_OPT(o->phone), flag(o->has_position),
               flag(o->has_ledger), flag(o->has_mechanism), flag(o->has_plan),
               o->secretary_person_id ? P_INT(o->secretary_person_id) : P_NULL,
               P_OPT(o->secretary_way), flag(o->one_shoulder), P_INT(id));
}

int store_org_places_set(db *d, int64_t id, const char *const *codes, int n)
{
    int rc = DBX(d, "DELETE FROM org_places WHERE org_id = ?", P_INT(id));
    for (int i = 0; rc >= 0 && i < n; i++)
        rc = DBX(d, "INSERT INTO org_places(org_id, place_code) VALUES (?, ?)", P_INT(id),
                 P_TEXT(codes[i]));
    return rc < 0 ? rc : 0;
}

int64_t store_agreement_insert(db *d, int64_t org_id, const char *place_code, const char *title,
                               const char *signed_on, const char *expires_on)
{
    arena *a = arena_new();
    db_rows *r = DBQ(d, a,
                     "INSERT INTO agreements(org_id, place_code, title, signed_on, expires_on, "
                     "created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                     P_INT(org_id), P_TEXT(place_code), P_TEXT(title), P_TEXT(signed_on),
                     P_OPT(expires_on), P_INT(clock_now()));
    int64_t id = r && r->nrows ? db_get_int(r, 0, 0) : (db_last_code(d) ? db_last_code(d) : -1);
    arena_free(a);
    return id;
}

/* A branch's formation as recorded, else inferred from how many places it
 * serves (a joint branch covers several compounds). */
#define EFFECTIVE_FORMATION(o)                                                                     \
    "COALESCE(" o ".formation, CASE WHEN (SELECT COUNT(*) FROM org_places ef WHERE ef.org_id = " o \
    ".id) > 1 THEN 'joint' ELSE 'standalone' END)"

/* Whether a branch of formation f sits in or serves compound c (two indexed
 * probes: organisations_place and org_places_place). */
#define HAS_BRANCH(f)                                                                              \
    "CASE WHEN EXISTS (SELECT 1 FROM org_places op JOIN organisations o ON o.id = op.org_id "      \
    "WHERE op.place_code = c.code AND o.kind = 'branch' AND " EFFECTIVE_FORMATION(                 \
        "o") " = '" f "') OR EXISTS (SELECT 1 FROM organisations o WHERE o.place_code = c.code "   \
             "AND o.kind = "                                                                       \
             "'branch' AND " EFFECTIVE_FORMATION("o") " = '" f "') THEN 1 ELSE 0 END"

db_rows *store_branch_compounds(db *d, arena *a, int64_t viewer, const char *cap, const char *place)
{
    return DBQ(
        d, a,
        "SELECT c.code, c.name, (SELECT COUNT(*) FROM people pe JOIN party_members m ON "
        "m.person_id = pe.id WHERE pe.place_code >= c.code AND pe.place_code < c.code || "
        "':') AS n_party_members, " HAS_BRANCH("standalone") " AS has_standalone, " HAS_BRANCH(
            "joint") " AS has_joint "
                     "FROM places c WHERE c.level = 'compound' AND c.code >= ? AND c.code < CAST(? "
                     "AS "
                     "TEXT) || ':' AND (? = 0 OR " SCOPE_COVERS("c.code") ") ORDER BY c.code",
        P_TEXT(place), P_TEXT(place), P_INT(viewer), P_INT(viewer), P_TEXT(cap));
}

db_rows *store_branches_under(db *d, arena *a, int64_t viewer, const char *cap, const char *place)
{
    return DBQ(d, a,
               "SELECT b.id, b.anchor, b.formation FROM (SELECT o.id, COALESCE(o.place_code, "
               "(SELECT MIN(op.place_code) FROM org_places op WHERE op.org_id = o.id)) AS "
               "anchor, " EFFECTIVE_FORMATION(
                   "o") " AS formation FROM organisations o WHERE o.kind = "
                        "'branch') b WHERE b.anchor >= ? AND b.anchor < CAST(? AS TEXT) || ':' "
                        "AND (? = 0 OR " SCOPE_COVERS("b.anchor") ") ORDER BY b.anchor, b.id",
               P_TEXT(place), P_TEXT(place), P_INT(viewer), P_INT(viewer), P_TEXT(cap));
}

/* ---- Rows as structs ------------------------------------------------------ */

static void org_view_of(const db_rows *r, int i, void *out)
{
    *(struct org_view *)out = (struct org_view){
        .id = db_get_int(r, i, OC_ID),
        .row =
            {
                .kind = db_get(r, i, OC_KIND),
                .name = db_get(r, i, OC_NAME),
                .place_code = db_get(r, i, OC_PLACE_CODE),
                .formation = db_get(r, i, OC_FORMATION),
                .phone = db_get(r, i, OC_PHONE),
                .secretary_way = db_get(r, i, OC_SECRETARY_WAY),
                .parent_id = db_get_int(r, i, OC_PARENT_ID),
                .secretary_person_id = db_get_int(r, i, OC_SECRETARY_ID),
                .has_position = store_flag_of(db_get(r, i, OC_HAS_POSITION)),
                .has_ledger = store_flag_of(db_get(r, i, OC_HAS_LEDGER)),
                .has_mechanism = store_flag_of(db_get(r, i, OC_HAS_MECHANISM)),
                .has_plan = store_flag_of(db_get(r, i, OC_HAS_PLAN)),
                .one_shoulder = store_flag_of(db_get(r, i, OC_ONE_SHOULDER)),
            },
        .parent_name = db_get(r, i, OC_PARENT_NAME),
        .place_name = db_get(r, i, OC_PLACE_NAME),
        .secretary_name = db_get(r, i, OC_SECRETARY_NAME),
        .n_places = (long)db_get_int(r, i, OC_N_PLACES),
        .n_children = (long)db_get_int(r, i, OC_N_CHILDREN),
        .n_members = (long)db_get_int(r, i, OC_N_MEMBERS),
    };
}

bool store_org_read(db *d, arena *a, int64_t viewer, const char *cap, int64_t id,
                    struct org_view *out)
{
    db_rows *r = store_org_get(d, a, viewer, cap, id);
    if (r) org_view_of(r, 0, out);
    return r != NULL;
}

int store_orgs_find(db *d, arena *a, int64_t viewer, const char *cap, const struct org_filter *f,
                    struct org_view **out)
{
    int n;
    *out = store_rows(a, store_orgs_list(d, a, viewer, cap, f), sizeof **out, org_view_of, &n);
    return n;
}

int store_org_served(db *d, arena *a, int64_t viewer, const char *cap, int64_t org_id,
                     struct served_place **out)
{
    return store_served_places_of(a, store_org_places(d, a, viewer, cap, org_id), out);
}

static void member_of(const db_rows *r, int i, void *out)
{
    *(struct org_member *)out = (struct org_member){.id = db_get_int(r, i, MC_ID),
                                                    .name = db_get(r, i, MC_NAME),
                                                    .sex = db_get(r, i, MC_SEX),
                                                    .place_code = db_get(r, i, MC_PLACE),
                                                    .place_name = db_get(r, i, MC_PLACE_NAME),
                                                    .member_kind = db_get(r, i, MC_KIND),
                                                    .joined_on = db_get(r, i, MC_JOINED),
                                                    .can_reveal = db_get_int(r, i, MC_REVEAL) != 0};
}

int store_org_member_list(db *d, arena *a, int64_t viewer, int64_t org_id, int limit,
                          struct org_member **out)
{
    int n;
    *out =
        store_rows(a, store_org_members(d, a, viewer, org_id, limit), sizeof **out, member_of, &n);
    return n;
}

static void agreement_of(const db_rows *r, int i, void *out)
{
    *(struct agreement_view *)out =
        (struct agreement_view){.id = db_get_int(r, i, AG_ID),
                                .org_id = db_get_int(r, i, AG_ORG_ID),
                                .org_name = db_get(r, i, AG_ORG_NAME),
                                .place_code = db_get(r, i, AG_PLACE),
                                .place_name = db_get(r, i, AG_PLACE_NAME),
                                .title = db_get(r, i, AG_TITLE),
                                .signed_on = db_get(r, i, AG_SIGNED),
                                .expires_on = db_get(r, i, AG_EXPIRES)};
}

int store_org_agreement_list(db *d, arena *a, int64_t viewer, const char *cap, int64_t org_id,
                             struct agreement_view **out)
{
    int n;
    *out = store_rows(a, store_org_agreements(d, a, viewer, cap, org_id), sizeof **out,
                      agreement_of, &n);
    return n;
}

int store_place_agreement_list(db *d, arena *a, int64_t viewer, const char *cap,
                               const char *place_code, struct agreement_view **out)
{
    int n;
    *out = store_rows(a, store_place_agreements(d, a, viewer, cap, place_code), sizeof **out,
                      agreement_of, &n);
    return n;
}

bool store_agreement_read(db *d, arena *a, int64_t viewer, const char *cap, int64_t id,
                          struct agreement_view *out)
{
    db_rows *r = store_agreement_get(d, a, viewer, cap, id);
    if (r) agreement_of(r, 0, out);
    return r != NULL;
}

static void compound_of(const db_rows *r, int i, void *out)
{
    *(struct branch_compound *)out =
        (struct branch_compound){.code = db_get(r, i, BCC_CODE),
                                 .name = db_get(r, i, BCC_NAME),
                                 .members = (long)db_get_int(r, i, BCC_MEMBERS),
                                 .standalone = db_get_int(r, i, BCC_STANDALONE) != 0,
                                 .joint = db_get_int(r, i, BCC_JOINT) != 0};
}

int store_branch_compound_list(db *d, arena *a, int64_t viewer, const char *cap, const char *place,
                               struct branch_compound **out)
{
    int n;
    *out = store_rows(a, store_branch_compounds(d, a, viewer, cap, place), sizeof **out,
                      compound_of, &n);
    return n;
}

static void anchor_of(const db_rows *r, int i, void *out)
{
    *(struct branch_anchor *)out = (struct branch_anchor){
        .anchor = db_get(r, i, BR_ANCHOR), .joint = !strcmp(db_get(r, i, BR_FORMATION), "joint")};
}

int store_branch_anchor_list(db *d, arena *a, int64_t viewer, const char *cap, const char *place,
                             struct branch_anchor **out)
{
    int n;
    *out =
        store_rows(a, store_branches_under(d, a, viewer, cap, place), sizeof **out, anchor_of, &n);
    return n;
}
