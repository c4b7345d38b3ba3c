/* Service positions 阵地 in SQL: 党群服务中心, 小区党群服务站 and 爱心驿站, the
 * compounds each one serves, and the coverage of compounds by stations.
 *
 * A station is visible to a viewer holding cap over the place it sits in
 * (SCOPE_COVERS on its place_code). Viewer 0 is the trusted command line. */
#ifndef LINLI_STORE_STATIONS_H
#define LINLI_STORE_STATIONS_H
#include <stdbool.h>
#include <stdint.h>

#include "core/station_rule.h"
#include "store/db.h"
#include "store/store_registry.h"

/* Columns of store_station_get and store_stations_list; the SI__COUNT
 * checked items (enum station_item order, "1"/"0") start at STC_ITEMS. */
enum station_col {
    STC_ID,
    STC_KIND,
    STC_NAME,
    STC_PLACE,
    STC_PLACE_NAME,
    STC_PLACE_LEVEL,
    STC_ADDRESS,
    STC_AREA,
    STC_MODE,
    STC_FUNDING,
    STC_OPENED,
    STC_HOURS,
    STC_ZONE_24H,
    STC_ZONE_8H,
    STC_PHONE,
    STC_EXTRA, /* N modules joined by '、', or NULL */
    STC_CREATED,
    STC_UPDATED,
    STC_N_PLACES, /* compounds served */
    STC_ITEMS,
    STC__COUNT = STC_ITEMS + SI__COUNT
};

db_rows *store_station_get(db *d, arena *a, int64_t viewer, const char *cap, int64_t id);

struct station_filter {
    const char *kind;  /* kind id, or NULL */
    const char *place; /* sits in or serves a place of this subtree, or NULL */
    int64_t after_id;  /* keyset cursor: ids greater than this */
    int limit;         /* ≤ 0: 50 */
};
/* Visible stations matching f, by id. */
db_rows *store_stations_list(db *d, arena *a, int64_t viewer, const char *cap,
                             const struct station_filter *f);

/* Places a station serves, in the viewer's cap scope, by code: code, name, level. */
db_rows *store_station_places(db *d, arena *a, int64_t viewer, const char *cap, int64_t id);

/* Compounds (小区) of a subtree in the viewer's scope, and how many of them a
 * station or center sits in or serves (爱心驿站 do not count). */
void store_station_coverage(db *d, int64_t viewer, const char *cap, const char *place,
                            long *compounds, long *covered);

/* Writes (no scope: the service checked it). area_m2 / funding < 0: NULL. */
struct station_row {
    const char *kind, *name, *place_code, *address, *build_mode, *opened_on, *hours, *phone;
    const char *extra_modules;
    int64_t area_m2, funding;
    int zone_24h, zone_8h;
    int items[SI__COUNT];
};
/* A station as read: its stored values and what the joins add. */
struct station_view {
    int64_t id;
    struct station_row row;
    const char *place_name, *place_level;
    long n_places; /* compounds served */
};
/* store_station_get as a struct: false when absent or not visible. */
bool store_station_read(db *d, arena *a, int64_t viewer, const char *cap, int64_t id,
                        struct station_view *out);
/* store_stations_list as structs: the count, or -1 when the query failed. */
int store_stations_find(db *d, arena *a, int64_t viewer, const char *cap,
                        const struct station_filter *f, struct station_view **out);
/* store_station_places as structs; -1 on failure. */
int store_station_served(db *d, arena *a, int64_t viewer, const char *cap, int64_t id,
                         struct served_place **out);

/* Returns the new id or a negative DB_* code. */
int64_t store_station_insert(db *d, const struct station_row *s);
int store_station_update(db *d, int64_t id, const struct station_row *s);
/* Replaces the places served with codes[0..n). */
int store_station_places_set(db *d, int64_t id, const char *const *codes, int n);

#endif
