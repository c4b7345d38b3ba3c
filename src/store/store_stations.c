/* Service positions in portable SQL; see store_stations.h. The alias of the
 * stations table is st: SCOPE_COVERS owns the alias s. */
#include "store/store_stations.h"

#include "store/scope.h"
#include "util/clock.h"

/* The columns of enum station_col for the station aliased st. */
#define STATION_COLS                                                                               \
    "st.id, st.kind, st.name, st.place_code, pl.name AS place_name, pl.level AS place_level, "     \
    "st.address, st.area_m2, st.build_mode, st.funding, st.opened_on, st.hours, st.zone_24h, "     \
    "st.zone_8h, st.phone, st.extra_modules, st.created_at, st.updated_at, "                       \
    "(SELECT COUNT(*) FROM station_places c WHERE c.station_id = st.id) AS n_places, "             \
    "st.has_code, st.has_area, st.has_sign, st.has_flag, st.has_facilities, st.has_archive, "      \
    "st.good_quality, st.area_branch, st.area_service, st.mod_members, st.mod_deliberation, "      \
    "st.mod_agency, st.mod_culture, st.mod_mediation "                                             \
    "FROM stations st JOIN places pl ON pl.code = st.place_code "

db_rows *store_station_get(db *d, arena *a, int64_t viewer, const char *cap, int64_t id)
{
    db_rows *r = DBQ(d, a,
                     "SELECT " STATION_COLS
                     "WHERE st.id = ? AND (? = 0 OR " SCOPE_COVERS("st.place_code") ")",
                     P_INT(id), P_INT(viewer), P_INT(viewer), P_TEXT(cap));
    return r && r->nrows ? r : NULL;
}

db_rows *store_stations_list(db *d, arena *a, int64_t viewer, const char *cap,
                             const struct station_filter *f)
{
    return DBQ(
        d, a,
        "SELECT " STATION_COLS "WHERE (CAST(? AS TEXT) IS NULL OR st.kind = ?) "
        "AND (CAST(? AS TEXT) IS NULL OR (st.place_code >= ? AND st.place_code < CAST(? AS TEXT) "
        "|| ':') OR EXISTS (SELECT 1 FROM station_places sp WHERE sp.station_id = st.id AND "
        "sp.place_code >= ? AND sp.place_code < CAST(? AS TEXT) || ':')) "
        "AND st.id > ? AND (? = 0 OR " SCOPE_COVERS("st.place_code") ") ORDER BY st.id LIMIT ?",
        P_OPT(f->kind), P_OPT(f->kind), P_OPT(f->place), P_OPT(f->place), P_OPT(f->place),
        P_OPT(f->place), P_OPT(f->place), P_INT(f->after_id), P_INT(viewer), P_INT(viewer),
        P_TEXT(cap), P_INT(f->limit > 0 ? f->limit : 50));
}

db_rows *store_station_places(db *d, arena *a, int64_t viewer, const char *cap, int64_t id)
{
    return DBQ(d, a,
               "SELECT p.code, p.name, p.level FROM station_places sp JOIN places p ON p.code = "
               "sp.place_code WHERE sp.station_id = ? AND (? = 0 OR " SCOPE_COVERS(
                   "p.code") ") ORDER BY p.code",
               P_INT(id), P_INT(viewer), P_INT(viewer), P_TEXT(cap));
}

void store_station_coverage(db *d, int64_t viewer, const char *cap, const char *place,
                            long *compounds, long *covered)
{
    arena *a = arena_new();
    db_rows *r = DBQ(
        d, a,
        "SELECT COUNT(*), COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM stations st WHERE "
        "st.place_code = c.code AND st.kind <> 'love_post') OR EXISTS (SELECT 1 FROM "
        "station_places sp JOIN stations st ON st.id = sp.station_id WHERE sp.place_code = c.code "
        "AND st.kind <> 'love_post') THEN 1 ELSE 0 END), 0) FROM places c WHERE c.level = "
        "'compound' AND c.code >= ? AND c.code < CAST(? AS TEXT) || ':' AND (? = 0 "
        "OR " SCOPE_COVERS("c.code") ")",
        P_TEXT(place), P_TEXT(place), P_INT(viewer), P_INT(viewer), P_TEXT(cap));
    *compounds = r && r->nrows ? (long)db_get_int(r, 0, 0) : 0;
    *covered = r && r->nrows ? (long)db_get_int(r, 0, 1) : 0;
    arena_free(a);
}

static db_param opt_int(int64_t v)
{
    return v < 0 ? P_NULL : P_INT(v);
}

#define ITEM_ARGS(s)                                                                               \
    P_INT((s)->items[0] != 0), P_INT((s)->items[1] != 0), P_INT((s)->items[2] != 0),               \
        P_INT((s)->items[3] != 0), P_INT((s)->items[4] != 0), P_INT((s)->items[5] != 0),           \
        P_INT((s)->items[6] != 0), P_INT((s)->items[7] != 0), P_INT((s)->items[8] != 0),           \
        P_INT((s)->items[9] != 0), P_INT((s)->items[10] != 0), P_INT((s)->items[11] != 0),         \
        P_INT((s)->items[12] != 0), P_INT((s)->items[13] != 0)

_Static_assert(SI__COUNT == 14, "ITEM_ARGS and the SQL below list 14 items");

int64_t store_station_insert(db *d, const struct station_row *s)
{
    arena *a = arena_new();
    int64_t now = clock_now();
    db_rows *r = DBQ(
        d, a,
        "INSERT INTO stations(kind, name, place_code, address, area_m2, build_mode, funding, "
        "opened_on, hours, zone_24h, zone_8h, phone, extra_modules, has_code, has_area, has_sign, "
        "has_flag, has_facilities, has_archive, good_quality, area_branch, area_service, "
        "mod_members, mod_deliberation, mod_agency, mod_culture, mod_mediation, created_at, "
        "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?, ?, ?, ?, ?, ?) RETURNING id",
        P_TEXT(s->kind), P_TEXT(s->name), P_TEXT(s->place_code), P_OPT(s->address),
        opt_int(s->area_m2), P_OPT(s->build_mode), opt_int(s->funding), P_OPT(s->opened_on),
        P_OPT(s->hours), P_INT(s->zone_24h != 0), P_INT(s->zone_8h != 0), P_OPT(s->phone),
        P_OPT(s->extra_modules), ITEM_ARGS(s), P_INT(now), P_INT(now));
    int64_t id = r && r->nrows ? db_get_int(r, 0, 0) : (db_last_code(d) ? db_last_code(d) : -1);
    arena_free(a);
    return id;
}

int store_station_update(db *d, int64_t id, const struct station_row *s)
{
    return DBX(d,
               "UPDATE stations SET kind = ?, name = ?, place_code = ?, address = ?, area_m2 = ?, "
               "build_mode = ?, funding = ?, opened_on = ?, hours = ?, zone_24h = ?, zone_8h = ?, "
               "phone = ?, extra_modules = ?, has_code = ?, has_area = ?, has_sign = ?, "
               "has_flag = ?, has_facilities = ?, has_archive = ?, good_quality = ?, "
               "area_branch = ?, area_service = ?, mod_members = ?, mod_deliberation = ?, "
               "mod_agency = ?, mod_culture = ?, mod_mediation = ?, updated_at = ? WHERE id = ?",
               P_TEXT(s->kind), P_TEXT(s->name), P_TEXT(s->place_code), P_OPT(s->address),
               opt_int(s->area_m2), P_OPT(s->build_mode), opt_int(s->funding), P_OPT(s->opened_on),
               P_OPT(s->hours), P_INT(s->zone_24h != 0), P_INT(s->zone_8h != 0), P_OPT(s->phone),
               P_OPT(s->extra_modules), ITEM_ARGS(s), P_INT(clock_now()), P_INT(id));
}

int store_station_places_set(db *d, int64_t id, const char *const *codes, int n)
{
    int rc = DBX(d, "DELETE FROM station_places WHERE station_id = ?", P_INT(id));
    for (int i = 0; rc >= 0 && i < n; i++)
        rc = DBX(d, "INSERT INTO station_places(station_id, place_code) VALUES (?, ?)", P_INT(id),
                 P_TEXT(codes[i]));
    return rc < 0 ? rc : 0;
}

/* ---- Rows as structs ------------------------------------------------------ */

static void station_view_of(const db_rows *r, int i, void *out)
{
    struct station_view *v = out;
    *v = (struct station_view){
        .id = db_get_int(r, i, STC_ID),
        .row =
            {
                .kind = db_get(r, i, STC_KIND),
                .name = db_get(r, i, STC_NAME),
                .place_code = db_get(r, i, STC_PLACE),
                .address = db_get(r, i, STC_ADDRESS),
                .build_mode = db_get(r, i, STC_MODE),
                .opened_on = db_get(r, i, STC_OPENED),
                .hours = db_get(r, i, STC_HOURS),
                .phone = db_get(r, i, STC_PHONE),
                .extra_modules = db_get(r, i, STC_EXTRA),
                .area_m2 = db_get(r, i, STC_AREA) ? db_get_int(r, i, STC_AREA) : -1,
                .funding = db_get(r, i, STC_FUNDING) ? db_get_int(r, i, STC_FUNDING) : -1,
                .zone_24h = db_get_int(r, i, STC_ZONE_24H) != 0,
                .zone_8h = db_get_int(r, i, STC_ZONE_8H) != 0,
            },
        .place_name = db_get(r, i, STC_PLACE_NAME),
        .place_level = db_get(r, i, STC_PLACE_LEVEL),
        .n_places = (long)db_get_int(r, i, STC_N_PLACES),
    };
    for (int k = 0; k < SI__COUNT; k++) v->row.items[k] = db_get_int(r, i, STC_ITEMS + k) != 0;
}

bool store_station_read(db *d, arena *a, int64_t viewer, const char *cap, int64_t id,
                        struct station_view *out)
{
    db_rows *r = store_station_get(d, a, viewer, cap, id);
    if (r) station_view_of(r, 0, out);
    return r != NULL;
}

int store_stations_find(db *d, arena *a, int64_t viewer, const char *cap,
                        const struct station_filter *f, struct station_view **out)
{
    int n;
    *out = store_rows(a, store_stations_list(d, a, viewer, cap, f), sizeof **out,
                          station_view_of, &n);
    return n;
}

int store_station_served(db *d, arena *a, int64_t viewer, const char *cap, int64_t id,
                         struct served_place **out)
{
    return store_served_places_of(a, store_station_places(d, a, viewer, cap, id), out);
}
