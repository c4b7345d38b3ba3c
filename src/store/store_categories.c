/* Categories, overrides and responsibilities; see store_categories.h. */
#include "store/store_categories.h"

#include <stddef.h>

#include "store/scope.h"

/* The row's place subtree meets the viewer's scope: NULL (everywhere), inside
 * a scope, or containing one. Parameters: viewer, viewer, cap. */
#define MEETS(col)                                                                                 \
    " (? = 0 OR " col " IS NULL OR EXISTS (SELECT 1 FROM scope_ranges s JOIN role_caps rc"         \
    " ON rc.role = s.role WHERE s.account_id = ? AND rc.cap = ? AND ((" col " >= s.lo AND " col    \
    " < s.lo || ':') OR (s.lo >= " col " AND s.lo < " col " || ':')))) "

#define CATEGORY_COLS                                                                              \
    "c.id, c.code, c.parent_code, c.place_code, c.name, c.description, "                           \
    "c.response_minutes, c.resolution_minutes, c.working_hours, c.tier, c.skill, "                 \
    "c.whistle, c.active, c.sort_order, (SELECT p.name FROM places p WHERE p.code = "              \
    "c.place_code) "

db_rows *store_categories_list(db *d, arena *a, int64_t viewer, const char *cap, const char *at)
{
    return DBQ(d, a,
               "SELECT " CATEGORY_COLS "FROM categories c WHERE " MEETS(
                   "c.place_code") " AND (CAST(? AS TEXT) IS NULL OR c.place_code IS NULL OR "
                                   "(CAST(? AS TEXT) >= c.place_code AND CAST(? AS TEXT) < "
                                   "c.place_code || ':')) "
                                   "ORDER BY c.sort_order, c.id",
               P_INT(viewer), P_INT(viewer), P_TEXT(cap), P_NTEXT(at), P_NTEXT(at), P_NTEXT(at));
}

db_rows *store_category_get(db *d, arena *a, int64_t viewer, const char *cap, const char *code)
{
    db_rows *r =
        DBQ(d, a,
            "SELECT " CATEGORY_COLS "FROM categories c WHERE c.code = ? AND " MEETS("c.place_code"),
            P_TEXT(code), P_INT(viewer), P_INT(viewer), P_TEXT(cap));
    return r && r->nrows ? r : NULL;
}

int64_t store_categories_count(db *d)
{
    return DBI(d, -1, "SELECT COUNT(*) FROM categories");
}

int64_t store_category_insert(db *d, const struct category_row *c, int64_t now)
{
    if (DBX(d,
            "INSERT INTO categories(code, parent_code, place_code, name, description, "
            "response_minutes, resolution_minutes, working_hours, tier, skill, whistle, active, "
            "sort_order, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            P_TEXT(c->code), P_NTEXT(c->parent_code), P_NTEXT(c->place_code), P_TEXT(c->name),
            P_NTEXT(c->description), P_INT(c->response_minutes), P_INT(c->resolution_minutes),
            P_INT(c->working_hours), P_TEXT(c->tier), P_NTEXT(c->skill), P_NTEXT(c->whistle),
            P_INT(c->active), P_INT(c->sort_order), P_INT(now)) < 0)
        return -1;
    return DBI(d, -1, "SELECT id FROM categories WHERE code = ?", P_TEXT(c->code));
}

int store_category_update(db *d, const struct category_row *c, int64_t now)
{
    return DBX(d,
               "UPDATE categories SET name = ?, description = ?, response_minutes = ?, "
               "resolution_minutes = ?, working_hours = ?, tier = ?, skill = ?, whistle = ?, "
               "active = ?, sort_order = ?, updated_at = ? WHERE code = ?",
               P_TEXT(c->name), P_NTEXT(c->description), P_INT(c->response_minutes),
               P_INT(c->resolution_minutes), P_INT(c->working_hours), P_TEXT(c->tier),
               P_NTEXT(c->skill), P_NTEXT(c->whistle), P_INT(c->active), P_INT(c->sort_order),
               P_INT(now), P_TEXT(c->code));
}

#define OVERRIDE_COLS                                                                              \
    "o.id, o.category_code, o.place_code, o.response_minutes, o.resolution_minutes, "              \
    "o.working_hours, o.tier, o.skill, o.whistle, o.active, "                                      \
    "(SELECT p.name FROM places p WHERE p.code = o.place_code) "

db_rows *store_category_overrides_at(db *d, arena *a, const char *place)
{
    return DBQ(d, a,
               "SELECT " OVERRIDE_COLS "FROM category_overrides o "
               "WHERE CAST(? AS TEXT) >= o.place_code AND CAST(? AS TEXT) < o.place_code || ':' "
               "ORDER BY LENGTH(o.place_code), o.id",
               P_TEXT(place), P_TEXT(place));
}

db_rows *store_category_overrides_of(db *d, arena *a, int64_t viewer, const char *cap,
                                     const char *code)
{
    return DBQ(d, a,
               "SELECT " OVERRIDE_COLS
               "FROM category_overrides o WHERE o.category_code = ? AND " MEETS(
                   "o.place_code") "ORDER BY o.place_code",
               P_TEXT(code), P_INT(viewer), P_INT(viewer), P_TEXT(cap));
}

db_rows *store_category_override_get(db *d, arena *a, const char *code, const char *place)
{
    db_rows *r = DBQ(d, a,
                     "SELECT " OVERRIDE_COLS "FROM category_overrides o "
                     "WHERE o.category_code = ? AND o.place_code = ?",
                     P_TEXT(code), P_TEXT(place));
    return r && r->nrows ? r : NULL;
}

int64_t store_category_override_put(db *d, const struct override_row *o, int64_t now)
{
    db_param resp = o->response_minutes > 0 ? P_INT(o->response_minutes) : P_NULL;
    db_param reso = o->resolution_minutes > 0 ? P_INT(o->resolution_minutes) : P_NULL;
    db_param wh = o->working_hours >= 0 ? P_INT(o->working_hours) : P_NULL;
    db_param act = o->active >= 0 ? P_INT(o->active) : P_NULL;
    int n = DBX(d,
                "UPDATE category_overrides SET response_minutes = ?, resolution_minutes = ?, "
                "working_hours = ?, tier = ?, skill = ?, whistle = ?, active = ?, updated_at = ? "
                "WHERE category_code = ? AND place_code = ?",
                resp, reso, wh, P_NTEXT(o->tier), P_NTEXT(o->skill), P_NTEXT(o->whistle), act,
                P_INT(now), P_TEXT(o->code), P_TEXT(o->place_code));
    if (n < 0) return -1;
    if (n == 0 &&
        DBX(d,
            "INSERT INTO category_overrides(category_code, place_code, response_minutes, "
            "resolution_minutes, working_hours, tier, skill, whistle, active, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            P_TEXT(o->code), P_TEXT(o->place_code), resp, reso, wh, P_NTEXT(o->tier),
            P_NTEXT(o->skill), P_NTEXT(o->whistle), act, P_INT(now)) < 0)
        return -1;
    return DBI(d, -1,
               "SELECT id FROM category_overrides WHERE category_code = ? AND place_code = ?",
               P_TEXT(o->code), P_TEXT(o->place_code));
}

#define RESP_COLS                                                                                  \
    "r.id, r.category_code, c.name, r.place_code, "                                                \
    "(SELECT p.name FROM places p WHERE p.code = r.place_code), r.org_id, o.name, o.kind, "        \
    "r.role, r.note "

db_rows *store_responsibilities_list(db *d, arena *a, int64_t viewer, const char *cap,
                                     const struct resp_filter *f)
{
    return DBQ(d, a,
               "SELECT " RESP_COLS "FROM responsibilities r "
               "JOIN categories c ON c.code = r.category_code "
               "JOIN organisations o ON o.id = r.org_id "
               "WHERE r.id > ? AND (CAST(? AS TEXT) IS NULL OR r.category_code = CAST(? AS TEXT)) "
               "AND (CAST(? AS TEXT) IS NULL OR r.place_code IS NULL OR "
               "(CAST(? AS TEXT) >= r.place_code AND CAST(? AS TEXT) < r.place_code || ':')) "
               "AND " MEETS("r.place_code") "ORDER BY r.id LIMIT ?",
               P_INT(f->after_id), P_NTEXT(f->category), P_NTEXT(f->category), P_NTEXT(f->place),
               P_NTEXT(f->place), P_NTEXT(f->place), P_INT(viewer), P_INT(viewer), P_TEXT(cap),
               P_INT(f->limit));
}

db_rows *store_responsibility_get(db *d, arena *a, int64_t viewer, const char *cap, int64_t id)
{
    db_rows *r =
        DBQ(d, a,
            "SELECT " RESP_COLS "FROM responsibilities r "
            "JOIN categories c ON c.code = r.category_code "
            "JOIN organisations o ON o.id = r.org_id WHERE r.id = ? AND " MEETS("r.place_code"),
            P_INT(id), P_INT(viewer), P_INT(viewer), P_TEXT(cap));
    return r && r->nrows ? r : NULL;
}

bool store_responsibility_exists(db *d, const char *code, const char *place, int64_t org_id)
{
    return DBI(d, 0,
               "SELECT COUNT(*) FROM responsibilities WHERE category_code = ? AND org_id = ? AND "
               "((CAST(? AS TEXT) IS NULL AND place_code IS NULL) OR place_code = CAST(? AS TEXT))",
               P_TEXT(code), P_INT(org_id), P_NTEXT(place), P_NTEXT(place)) > 0;
}

int64_t store_responsibility_insert(db *d, const char *code, const char *place, int64_t org_id,
                                    const char *role, const char *note, int64_t now)
{
    if (DBX(d,
            "INSERT INTO responsibilities(category_code, place_code, org_id, role, note, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?)",
            P_TEXT(code), P_NTEXT(place), P_INT(org_id), P_TEXT(role), P_OPT(note), P_INT(now)) < 0)
        return -1;
    return DBI(d, -1, "SELECT MAX(id) FROM responsibilities WHERE category_code = ? AND org_id = ?",
               P_TEXT(code), P_INT(org_id));
}

int store_responsibility_delete(db *d, int64_t id)
{
    return DBX(d, "DELETE FROM responsibilities WHERE id = ?", P_INT(id));
}

db_rows *store_category_org_brief(db *d, arena *a, int64_t org_id)
{
    db_rows *r = DBQ(d, a, "SELECT id, name, kind, place_code FROM organisations WHERE id = ?",
                     P_INT(org_id));
    return r && r->nrows ? r : NULL;
}

bool store_scope_covers_all(db *d, int64_t viewer, const char *cap)
{
    if (viewer == 0) return true;
    return DBI(d, 1,
               "SELECT COUNT(*) FROM places p WHERE p.parent_code IS NULL AND NOT " SCOPE_COVERS(
                   "p.code"),
               P_INT(viewer), P_TEXT(cap)) == 0;
}

/* ---- Rows as structs ------------------------------------------------------ */

static void category_of(const db_rows *r, int i, void *out)
{
    *(struct category_view *)out =
        (struct category_view){.id = db_get_int(r, i, CC_ID),
                               .row = {.code = db_get(r, i, CC_CODE),
                                       .parent_code = db_get(r, i, CC_PARENT),
                                       .place_code = db_get(r, i, CC_PLACE),
                                       .name = db_get(r, i, CC_NAME),
                                       .description = db_get(r, i, CC_DESCRIPTION),
                                       .response_minutes = (long)db_get_int(r, i, CC_RESPONSE),
                                       .resolution_minutes = (long)db_get_int(r, i, CC_RESOLUTION),
                                       .working_hours = db_get_int(r, i, CC_WORKING_HOURS) != 0,
                                       .active = db_get_int(r, i, CC_ACTIVE) != 0,
                                       .tier = db_get(r, i, CC_TIER),
                                       .skill = db_get(r, i, CC_SKILL),
                                       .whistle = db_get(r, i, CC_WHISTLE),
                                       .sort_order = (long)db_get_int(r, i, CC_SORT)},
                               .place_name = db_get(r, i, CC_PLACE_NAME)};
}

int store_categories_find(db *d, arena *a, int64_t viewer, const char *cap, const char *at,
                          struct category_view **out)
{
    int n;
    *out = store_rows(a, store_categories_list(d, a, viewer, cap, at), sizeof **out,
                          category_of, &n);
    return n;
}

bool store_category_read(db *d, arena *a, int64_t viewer, const char *cap, const char *code,
                         struct category_view *out)
{
    db_rows *r = store_category_get(d, a, viewer, cap, code);
    if (r) category_of(r, 0, out);
    return r != NULL;
}

int64_t store_category_next_sort(db *d)
{
    return DBI(d, 0, "SELECT COALESCE(MAX(sort_order), 0) + 10 FROM categories");
}

static void override_of(const db_rows *r, int i, void *out)
{
    struct override_view *v = out;
    *v = (struct override_view){.id = db_get_int(r, i, OV_ID),
                                .row = {.code = db_get(r, i, OV_CODE),
                                        .place_code = db_get(r, i, OV_PLACE),
                                        .working_hours = -1,
                                        .active = -1,
                                        .tier = db_get(r, i, OV_TIER),
                                        .skill = db_get(r, i, OV_SKILL),
                                        .whistle = db_get(r, i, OV_WHISTLE)},
                                .place_name = db_get(r, i, OV_PLACE_NAME)};
    if (db_get(r, i, OV_RESPONSE)) v->row.response_minutes = (long)db_get_int(r, i, OV_RESPONSE);
    if (db_get(r, i, OV_RESOLUTION))
        v->row.resolution_minutes = (long)db_get_int(r, i, OV_RESOLUTION);
    if (db_get(r, i, OV_WORKING_HOURS))
        v->row.working_hours = db_get_int(r, i, OV_WORKING_HOURS) != 0;
    if (db_get(r, i, OV_ACTIVE)) v->row.active = db_get_int(r, i, OV_ACTIVE) != 0;
}

int store_category_overrides_at_list(db *d, arena *a, const char *place, struct override_view **out)
{
    int n;
    *out =
        store_rows(a, store_category_overrides_at(d, a, place), sizeof **out, override_of, &n);
    return n;
}

int store_category_overrides_of_list(db *d, arena *a, int64_t viewer, const char *cap,
                                     const char *code, struct override_view **out)
{
    int n;
    *out = store_rows(a, store_category_overrides_of(d, a, viewer, cap, code), sizeof **out,
                          override_of, &n);
    return n;
}

bool store_category_override_read(db *d, arena *a, const char *code, const char *place,
                                  struct override_view *out)
{
    db_rows *r = store_category_override_get(d, a, code, place);
    if (r) override_of(r, 0, out);
    return r != NULL;
}

static void resp_of(const db_rows *r, int i, void *out)
{
    *(struct resp_view *)out = (struct resp_view){.id = db_get_int(r, i, RC_ID),
                                                  .org_id = db_get_int(r, i, RC_ORG_ID),
                                                  .category_code = db_get(r, i, RC_CODE),
                                                  .category_name = db_get(r, i, RC_CATEGORY_NAME),
                                                  .place_code = db_get(r, i, RC_PLACE),
                                                  .place_name = db_get(r, i, RC_PLACE_NAME),
                                                  .org_name = db_get(r, i, RC_ORG_NAME),
                                                  .org_kind = db_get(r, i, RC_ORG_KIND),
                                                  .role = db_get(r, i, RC_ROLE),
                                                  .note = db_get(r, i, RC_NOTE)};
}

int store_responsibilities_find(db *d, arena *a, int64_t viewer, const char *cap,
                                const struct resp_filter *f, struct resp_view **out)
{
    int n;
    *out = store_rows(a, store_responsibilities_list(d, a, viewer, cap, f), sizeof **out,
                          resp_of, &n);
    return n;
}

bool store_responsibility_read(db *d, arena *a, int64_t viewer, const char *cap, int64_t id,
                               struct resp_view *out)
{
    db_rows *r = store_responsibility_get(d, a, viewer, cap, id);
    if (r) resp_of(r, 0, out);
    return r != NULL;
}

bool store_category_org_read(db *d, arena *a, int64_t org_id, struct org_brief *out)
{
    db_rows *r = store_category_org_brief(d, a, org_id);
    if (r)
        *out = (struct org_brief){.id = db_get_int(r, 0, 0),
                                  .name = db_get(r, 0, 1),
                                  .kind = db_get(r, 0, 2),
                                  .place_code = db_get(r, 0, 3)};
    return r != NULL;
}
